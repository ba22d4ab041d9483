package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import io.ddm.topology.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fail-fast behaviour of a shard pool, on an in-memory H2 database: what the pool does, not how a server fails
 * (that is {@code ServerOutageIntegrationTests}, on real servers).
 */
class ServerDataSourceTests {

    private static final Server PRIMARY = new Server("ds1", "ds1", Server.Role.PRIMARY, "jdbc:h2:mem:{database}", "sa", "", 1,
            Map.of());

    @Test
    void failsAtOnceNamingShardAndNodeWhileItsServerIsDownAndServesAgainAfterwards() throws SQLException {
        ServerAvailability availability = new ServerAvailability(PRIMARY);
        try (ServerDataSource pool = pool(availability, 30_000)) {
            try (Connection connection = pool.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            assertThat(availability.markDown("ConnectException: Connection refused")).isTrue();
            assertThat(availability.markDown("again")).as("already down").isFalse();
            assertThatExceptionOfType(ShardUnavailableException.class).isThrownBy(pool::getConnection)
                .satisfies((ex) -> {
                    assertThat(ex.getNode()).isEqualTo("ds1");
                    assertThat(ex.getShard()).isEqualTo(3);
                    assertThat(ex.getDatabase()).isEqualTo("shop_3");
                    assertThat(ex.getSQLState()).isEqualTo("08001");
                    assertThat(ex.getMessage()).startsWith("Shard 3 (database 'shop_3') is unavailable: its primary 'ds1' of node 'ds1'")
                        .contains("is down since", "(ConnectException: Connection refused)", "other nodes are not affected");
                });
            assertThat(availability.markUp()).as("the outage that ended").isPresent();
            try (Connection connection = pool.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void aRequestWaitingForAConnectionGivesUpOnceTheOutageIsRecorded() throws Exception {
        ServerAvailability availability = new ServerAvailability(PRIMARY);
        try (ServerDataSource pool = pool(availability, 60_000); Connection onlyConnection = pool.getConnection()) {
            Thread recorder = new Thread(() -> {
                sleep(300);
                availability.markDown("no answer within 1000 ms");
            });
            recorder.start();
            // The pool's single connection is taken: this request waits, and would wait a minute without the outage.
            assertThatExceptionOfType(ShardUnavailableException.class).isThrownBy(pool::getConnection)
                .withMessageContaining("no answer within 1000 ms");
            recorder.join();
        }
    }

    @Test
    void aConnectionTimeoutNamesTheShardAndThePoolState() throws SQLException {
        try (ServerDataSource pool = pool(new ServerAvailability(PRIMARY), 500); Connection onlyConnection = pool.getConnection()) {
            assertThatExceptionOfType(ShardUnavailableException.class).isThrownBy(pool::getConnection)
                .withMessageContaining("gave no connection within 500 ms")
                .withMessageContaining("1 of 1 connections in use");
        }
    }

    @Test
    void aSaturatedPoolReportsItsLongestWaitAndNoBorrowFailure() throws Exception {
        AtomicInteger borrowFailures = new AtomicInteger();
        try (ServerDataSource pool = pool(new ServerAvailability(PRIMARY), 5_000); Connection onlyConnection = pool.getConnection()) {
            pool.setBorrowFailureListener((dataSource, failure) -> borrowFailures.incrementAndGet());
            assertThat(pool.longestWaitMillis()).as("nobody waits").isZero();
            Thread waiter = new Thread(() -> {
                try (Connection connection = pool.getConnection()) {
                    assertThat(connection.isValid(1)).isTrue();
                }
                catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            waiter.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (pool.longestWaitMillis() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pool.longestWaitMillis()).as("the waiting borrow").isPositive();
            onlyConnection.close();
            waiter.join();
            assertThat(pool.longestWaitMillis()).as("nobody waits any more").isZero();
            assertThat(borrowFailures).as("a busy pool is no connection failure").hasValue(0);
        }
    }

    @Test
    void aReplicasPoolSendsItsReadsToTheFallbackWhileItsServerIsOutOfRotation() throws SQLException {
        ServerAvailability availability = new ServerAvailability(PRIMARY);
        try (ServerDataSource pool = pool(availability, 30_000); ServerDataSource other = pool(new ServerAvailability(PRIMARY), 30_000)) {
            pool.setReadFallback(other::getConnection);
            availability.markDown("excluded from reads");
            try (Connection connection = pool.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
                assertThat(other.getHikariPoolMXBean().getActiveConnections()).as("served by the fallback").isOne();
                assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
            }
        }
    }

    private static ServerDataSource pool(ServerAvailability availability, long connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:shop_3;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(connectionTimeout);
        config.setPoolName("test-ds1-shop_3");
        return new ServerDataSource(config, PRIMARY, 3, "shop_3", availability);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
