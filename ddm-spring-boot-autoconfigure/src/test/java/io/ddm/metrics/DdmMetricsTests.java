package io.ddm.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.driver.jdbc.core.statement.ShardingSpherePreparedStatement;
import org.apache.shardingsphere.driver.jdbc.core.statement.ShardingSphereStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DdmMetrics} on real servers: 2 nodes with a replica each, 4 shards (ds0 hosts it_metrics_0-1, ds1 hosts
 * it_metrics_2-3), {@code t_order} sharded by {@code user_id}: key k lives in shard k % 8 / 2. Assertions compare
 * counts before and after each statement, as a user reading the registry would.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdmMetricsTests {

    private static final String SCHEMA = "it_metrics";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DatabaseTopology topology;

    private DdmDataSource dataSource;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData(SCHEMA);
        this.dataSource = OrdersOnServers.open(topology, SCHEMA, 4);
        new DdmMetrics(this.dataSource).bindTo(this.registry);
        try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, note VARCHAR(20))");
        }
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_order (order_id, user_id) VALUES (?, ?)")) {
            for (long key = 0; key < 16; key++) {
                insert.setLong(1, key);
                insert.setLong(2, key);
                insert.executeUpdate();
            }
        }
        topology.awaitReplication();
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void everyPhysicalPoolHasGaugesTaggedWithItsServer() {
        Set<List<String>> expected = new HashSet<>();
        for (int node = 0; node < 2; node++) {
            DatabaseServer primary = this.topology.primary(node);
            DatabaseServer replica = this.topology.replicasOf(node).get(0);
            for (int shard = node * 2; shard < node * 2 + 2; shard++) {
                expected.add(List.of(primary.name(), "primary", primary.name(), SCHEMA + "_" + shard));
                expected.add(List.of(primary.name(), "replica", replica.name(), SCHEMA + "_" + shard));
            }
        }
        assertThat(expected).hasSize(8);
        for (String gauge : List.of("active", "idle", "pending", "total", "max")) {
            List<List<String>> tags = new ArrayList<>();
            for (Gauge each : this.registry.find("ddm.pool.connections." + gauge).gauges()) {
                Meter.Id id = each.getId();
                tags.add(List.of(id.getTag("node"), id.getTag("role"), id.getTag("server"), id.getTag("database")));
                assertThat(each.value()).as("%s of %s", gauge, id).isGreaterThanOrEqualTo(0);
            }
            assertThat(tags).as(gauge).containsExactlyInAnyOrderElementsOf(expected);
        }
        // A node's budget of 16 connections is split among its 2 shards.
        assertThat(gauge("max", "ds1", "it_metrics_2").value()).isEqualTo(8);
    }

    @Test
    void activeConnectionsRiseWhileAStatementHoldsAConnection() throws SQLException {
        String primary = this.topology.primary(1).name();
        Gauge active = gauge("active", primary, "it_metrics_2");
        assertThat(active.value()).isZero();
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // Key 5: shard 2 on ds1; the transaction holds the primary's connection until it ends.
                statement.executeUpdate("UPDATE t_order SET note = 'held' WHERE user_id = 5");
            }
            assertThat(active.value()).isEqualTo(1);
            connection.rollback();
        }
        assertThat(active.value()).isZero();
    }

    @Test
    void pointSelectBySharingKeyIsSingleShard() throws SQLException {
        double before = logical("t_order", "single-shard", "success");
        assertThat(query("SELECT order_id FROM t_order WHERE user_id = ?", 5L)).containsExactly(5L);
        assertThat(logical("t_order", "single-shard", "success")).isEqualTo(before + 1);
    }

    @Test
    void queryWithoutShardingKeyIsAllShardsThoughItRunsOnParallelThreads() throws SQLException {
        double before = logical("t_order", "all-shards", "success");
        Set<String> threads = threadsRunning(() -> assertThat(query("SELECT COUNT(*) FROM t_order")).singleElement()
            .satisfies((count) -> assertThat(count).as("the 16 rows of start() at least").isGreaterThanOrEqualTo(16)));
        // One shard database ran on the calling thread, the others on ShardingSphere's executor threads, and all 4
        // were counted: the statement's context reached the workers.
        assertThat(threads).contains(Thread.currentThread().getName()).anyMatch((name) -> name.startsWith("ShardingSphere-"));
        assertThat(logical("t_order", "all-shards", "success")).isEqualTo(before + 1);
    }

    @Test
    void queryWithoutShardingKeyInATransactionIsAllShardsOnThePrimaries() throws SQLException {
        double before = logical("t_order", "all-shards", "success");
        double primaries = physical(0, "primary", "success") + physical(1, "primary", "success");
        Set<String> threads = threadsRunning(() -> {
            try (Connection connection = this.dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t_order")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isGreaterThanOrEqualTo(16);
                }
                connection.commit();
            }
        });
        // ShardingSphere 5.5.2 runs local transactions in parallel too (serially only in XA/BASE transactions).
        assertThat(threads).anyMatch((name) -> name.startsWith("ShardingSphere-"));
        assertThat(logical("t_order", "all-shards", "success")).isEqualTo(before + 1);
        // One physical statement per shard database (ShardingSphere joins a shard's two tables with UNION ALL), all on
        // primaries inside a transaction.
        assertThat(physical(0, "primary", "success") + physical(1, "primary", "success")).isEqualTo(primaries + 4);
    }

    @Test
    void inOverTwoShardsIsMultiShard() throws SQLException {
        double before = logical("t_order", "multi-shard", "success");
        // Key 1: shard 0 on ds0, key 5: shard 2 on ds1.
        assertThat(query("SELECT order_id FROM t_order WHERE user_id IN (?, ?) ORDER BY order_id", 1L, 5L)).containsExactly(1L, 5L);
        assertThat(logical("t_order", "multi-shard", "success")).isEqualTo(before + 1);
    }

    @Test
    void readsRunOnTheReplicaAndWritesOnThePrimary() throws SQLException {
        double replicaReads = physical(1, "replica", "success");
        double primaryWrites = physical(1, "primary", "success");
        assertThat(query("SELECT order_id FROM t_order WHERE user_id = ?", 13L)).containsExactly(13L);
        assertThat(physical(1, "replica", "success")).isEqualTo(replicaReads + 1);
        assertThat(physical(1, "primary", "success")).isEqualTo(primaryWrites);
        update("INSERT INTO t_order (order_id, user_id) VALUES (21, 21)");
        assertThat(physical(1, "primary", "success")).isEqualTo(primaryWrites + 1);
        assertThat(physical(1, "replica", "success")).isEqualTo(replicaReads + 1);
    }

    @Test
    void batchCountsAsOneLogicalStatement() throws SQLException {
        double before = logical("t_order", "all-shards", "success");
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_order (order_id, user_id) VALUES (?, ?)")) {
            for (long key = 100; key < 108; key++) {
                insert.setLong(1, key);
                insert.setLong(2, key);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).hasSize(8);
        }
        assertThat(logical("t_order", "all-shards", "success")).isEqualTo(before + 1);
    }

    @Test
    void failingStatementsCountAsErrors() throws SQLException {
        double duplicate = logical("t_order", "single-shard", "error");
        double physicalErrors = physical(1, "primary", "error");
        // Key 6 exists already (shard 3 on ds1): the server rejects the row.
        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> update("INSERT INTO t_order (order_id, user_id) VALUES (6, 6)"));
        assertThat(logical("t_order", "single-shard", "error")).isEqualTo(duplicate + 1);
        assertThat(physical(1, "primary", "error")).isEqualTo(physicalErrors + 1);
        // A statement ShardingSphere cannot parse never reaches a server.
        double unparsable = logical("t_order", "none", "error");
        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> update("UPDATE t_order SET WHERE user_id = 1"));
        assertThat(logical("t_order", "none", "error")).isEqualTo(unparsable + 1);
    }

    @Test
    void wrappersAreTransparent() throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            assertThat(connection).isNotInstanceOf(ShardingSphereConnection.class);
            assertThat(connection.isWrapperFor(ShardingSphereConnection.class)).isTrue();
            assertThat(connection.unwrap(ShardingSphereConnection.class)).isInstanceOf(ShardingSphereConnection.class);
            assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
            try (Statement statement = connection.createStatement();
                    PreparedStatement prepared = connection.prepareStatement("SELECT 1 FROM t_order WHERE user_id = ?")) {
                assertThat(statement.getConnection()).isSameAs(connection);
                assertThat(prepared.getConnection()).isSameAs(connection);
                assertThat(statement.unwrap(ShardingSphereStatement.class)).isInstanceOf(ShardingSphereStatement.class);
                assertThat(prepared.unwrap(ShardingSpherePreparedStatement.class)).isInstanceOf(ShardingSpherePreparedStatement.class);
                assertThat(statement).isEqualTo(statement).isNotEqualTo(prepared);
            }
            connection.close();
            assertThat(connection.isClosed()).isTrue();
            assertThat(connection.unwrap(ShardingSphereConnection.class).isClosed()).isTrue();
        }
    }

    /** The threads that ran physical statements on t_order during an action, from DDM's routing log. */
    private Set<String> threadsRunning(SqlAction action) throws SQLException {
        Logger routing = (Logger) LoggerFactory.getLogger("io.ddm.routing");
        Level level = routing.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        routing.addAppender(events);
        routing.setLevel(Level.DEBUG);
        try {
            action.run();
        }
        finally {
            routing.setLevel(level);
            routing.detachAppender(events);
        }
        Set<String> threads = new HashSet<>();
        for (ILoggingEvent event : List.copyOf(events.list)) {
            if (event.getFormattedMessage().contains("t_order")) {
                threads.add(event.getThreadName());
            }
        }
        return threads;
    }

    private Gauge gauge(String name, String server, String database) {
        return this.registry.get("ddm.pool.connections." + name).tags("server", server, "database", database).gauge();
    }

    private double logical(String table, String route, String outcome) {
        Timer timer = this.registry.find("ddm.statements.logical").tags("table", table, "route", route, "outcome", outcome).timer();
        return (timer != null) ? timer.count() : 0;
    }

    private double physical(int node, String role, String outcome) {
        DatabaseServer server = "primary".equals(role) ? this.topology.primary(node) : this.topology.replicasOf(node).get(0);
        Timer timer = this.registry.find("ddm.statements.physical")
            .tags("node", this.topology.primary(node).name(), "role", role, "server", server.name(), "outcome", outcome)
            .timer();
        return (timer != null) ? timer.count() : 0;
    }

    private List<Long> query(String sql, Object... parameters) throws SQLException {
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Long> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getLong(1));
                }
            }
            return result;
        }
    }

    @FunctionalInterface
    private interface SqlAction {

        void run() throws SQLException;

    }

    private void update(String sql) throws SQLException {
        try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

}
