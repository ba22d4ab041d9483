package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.ddm.integration.DdmOnServers.comSelect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replica checks on real servers without load: two nodes with one replica each, so a node whose replica is
 * excluded has no replica left and must read from its primary (counted with {@code Com_select} on the servers).
 * A stopped replica is excluded by the checks alone; a replica whose replication is paused is excluded for lag and
 * re-admitted once it catches up. Outages under load (killed, frozen) are in {@link ServerOutageIntegrationTests}.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaHealthIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaHealthIntegrationTests.class);

    private static final String SCHEMA = "it_replica";

    /** Keys 0..KEYS-1: even keys live on shard 0 (node ds0), odd keys on shard 1 (node ds1). */
    private static final int KEYS = 20;

    private DatabaseTopology topology;

    @BeforeAll
    void createTable(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData(SCHEMA);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null))) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
            StringBuilder insert = new StringBuilder("INSERT INTO t_kv (k, v) VALUES ");
            for (int k = 0; k < KEYS; k++) {
                insert.append((k > 0) ? ", " : "").append('(').append(k).append(", 'v").append(k).append("')");
            }
            DdmOnServers.execute(dataSource, insert.toString());
        }
        topology.awaitReplication();
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @AfterAll
    void restoreAll() {
        this.topology.restore();
    }

    @Test
    void stoppedReplicaIsExcludedByTheChecksAndItsNodeReadsFromThePrimaryWithoutFailures() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        DatabaseServer primary = this.topology.primary(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            // No reads meanwhile: only the checks can notice.
            long stoppedAt = System.nanoTime();
            replica.stop();
            awaitState(monitor, replica.name(), false);
            logger.info("{}: excluded by the checks {} ms after it stopped ({})", replica.name(),
                    Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(), monitor.states().get(replica.name()).reason());
            assertThat(monitor.isInRotation(this.topology.replicasOf(1).get(0).name())).as("the other node's replica").isTrue();
            long primarySelects = comSelect(primary);
            for (int k = 0; k < KEYS; k += 2) {
                assertThat(read(dataSource, k)).as("k=%s on node ds0", k).isEqualTo("v" + k);
            }
            // comSelect's own query counts once.
            assertThat(comSelect(primary) - primarySelects - 1).as("reads served by ds0's primary").isEqualTo(KEYS / 2);
        }
    }

    @Test
    void replicaWithStoppedReplicationIsExcludedForLagAndReadmittedAfterCatchingUp() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(Duration.ofSeconds(2)))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> monitor.states().get(replica.name()).replicationLag() != null,
                    () -> "lag read while replicating: " + monitor.states());
            assertThat(monitor.isInRotation(replica.name())).isTrue();

            replica.pauseReplication();
            // k = 101 is odd: shard 1 on node ds1, whose replica does not apply it.
            DdmOnServers.execute(dataSource, "INSERT INTO t_kv (k, v) VALUES (101, 'fresh')");
            awaitState(monitor, replica.name(), false);
            ReplicaState excluded = monitor.states().get(replica.name());
            assertThat(excluded.replicationStopped()).as("SQL thread stopped: %s", excluded).isTrue();
            assertThat(read(dataSource, 101)).as("read while the lagging replica is excluded: from the primary").isEqualTo("fresh");

            replica.resumeReplication();
            this.topology.awaitReplication();
            awaitState(monitor, replica.name(), true);
            ReplicaState back = monitor.states().get(replica.name());
            assertThat(back.replicationLag()).as("lag after catching up: %s", back).isLessThanOrEqualTo(Duration.ofSeconds(2));
            long replicaSelects = comSelect(replica);
            for (int i = 0; i < 20; i++) {
                assertThat(read(dataSource, 101)).isEqualTo("fresh");
            }
            assertThat(comSelect(replica) - replicaSelects).as("reads served by the caught-up replica").isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void replicaStuckBehindALockIsExcludedOnceItsLagExceedsTheMaximumAndReadmittedAfterCatchingUp() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(Duration.ofSeconds(2)));
                Connection replicaSession = replica.connection(SCHEMA + "_1");
                Statement lock = replicaSession.createStatement()) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> monitor.states().get(replica.name()).replicationLag() != null,
                    () -> "lag read while replicating: " + monitor.states());
            // Replication keeps running, but its SQL thread waits for this lock on the replica, like behind a long
            // query there: the lag the server reports grows second by second.
            lock.execute("LOCK TABLES t_kv WRITE");
            // k = 103 is odd: shard 1 on node ds1.
            DdmOnServers.execute(dataSource, "INSERT INTO t_kv (k, v) VALUES (103, 'late')");
            awaitState(monitor, replica.name(), false);
            ReplicaState excluded = monitor.states().get(replica.name());
            assertThat(excluded.replicationStopped()).as("SQL thread running: %s", excluded).isFalse();
            assertThat(excluded.replicationLag()).as("measured lag: %s", excluded).isGreaterThan(Duration.ofSeconds(2));
            assertThat(excluded.reason()).contains("replication lag");
            assertThat(read(dataSource, 103)).as("read while the late replica is excluded: from the primary").isEqualTo("late");

            lock.execute("UNLOCK TABLES");
            this.topology.awaitReplication();
            awaitState(monitor, replica.name(), true);
            long replicaSelects = comSelect(replica);
            for (int i = 0; i < 20; i++) {
                assertThat(read(dataSource, 103)).isEqualTo("late");
            }
            assertThat(comSelect(replica) - replicaSelects).as("reads served by the caught-up replica").isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void anExcludedReplicaIsReadmittedOnlyOnceItHasCaughtUp() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null));
                Connection replicaSession = replica.connection(SCHEMA + "_1");
                Statement lock = replicaSession.createStatement()) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> monitor.states().get(replica.name()).replicationLag() != null,
                    () -> "lag read while replicating: " + monitor.states());
            // The replica falls behind (its SQL thread waits for this lock; no maximum lag is set, so it stays in
            // rotation), then has an outage.
            lock.execute("LOCK TABLES t_kv WRITE");
            // k = 105 is odd: shard 1 on node ds1.
            DdmOnServers.execute(dataSource, "INSERT INTO t_kv (k, v) VALUES (105, 'behind')");
            DdmOnServers.await(() -> lagOf(monitor, replica).compareTo(Duration.ofSeconds(2)) >= 0,
                    () -> "2 s behind: " + monitor.states());
            monitor.setExcluded(replica.name(), "an outage of the test");
            // It answers every check again, but reports lag: it stays out until it has caught up.
            DdmOnServers.await(() -> String.valueOf(monitor.states().get(replica.name()).reason()).startsWith("catching up"),
                    () -> "excluded while catching up: " + monitor.states());
            ReplicaState catchingUp = monitor.states().get(replica.name());
            assertThat(catchingUp.inRotation()).as("%s", catchingUp).isFalse();
            assertThat(catchingUp.replicationLag()).as("%s", catchingUp).isGreaterThan(Duration.ofSeconds(1));
            assertThat(read(dataSource, 105)).as("read while it catches up: from the primary").isEqualTo("behind");

            lock.execute("UNLOCK TABLES");
            this.topology.awaitReplication();
            awaitState(monitor, replica.name(), true);
            assertThat(read(dataSource, 105)).isEqualTo("behind");
        }
    }

    private DdmProperties properties(Duration maxReplicaLag) {
        // Fail fast: a read stuck on a frozen replica gives up after 3 s, a borrow from a dead one after 2 s.
        DdmProperties properties = new DdmOnServers(this.topology, SCHEMA, 2, "?connectTimeout=2000&socketTimeout=3000")
            .table("t_kv", "k", "mod-hash", null, null, null)
            .properties();
        properties.getNodes().values().forEach((node) -> node.getPool().put("connection-timeout", "2000"));
        DdmProperties.ReplicaHealth health = properties.getReadWriteSplitting().getHealth();
        health.setInterval(Duration.ofMillis(300));
        health.setTimeout(Duration.ofMillis(500));
        properties.getReadWriteSplitting().setMaxReplicaLag(maxReplicaLag);
        return properties;
    }

    private static Duration lagOf(ReplicaHealthMonitor monitor, DatabaseServer replica) {
        Duration lag = monitor.states().get(replica.name()).replicationLag();
        return (lag != null) ? lag : Duration.ZERO;
    }

    private static void awaitState(ReplicaHealthMonitor monitor, String replica, boolean inRotation) {
        DdmOnServers.await(() -> monitor.isInRotation(replica) == inRotation,
                () -> replica + " " + (inRotation ? "in" : "out of") + " rotation; states " + monitor.states());
    }

    private static String read(DdmDataSource dataSource, long key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            select.setLong(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

}
