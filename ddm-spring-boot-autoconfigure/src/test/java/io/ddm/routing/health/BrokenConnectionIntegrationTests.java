package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ddm.datasource.DdmDataSource;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One broken connection is not an outage: a statement failing because the server killed its connection fails
 * alone; the server is checked, passes, and no outage is recorded; the node's other connections stay open and in
 * use (HikariCP drops only the broken one).
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokenConnectionIntegrationTests {

    private static final String SCHEMA = "it_broken";

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @Test
    void aKilledConnectionFailsItsStatementAloneAndEvictsNoOtherConnection() throws Exception {
        this.topology.resetData(SCHEMA);
        DdmOnServers servers = new DdmOnServers(this.topology, SCHEMA, 2, "?connectTimeout=5000&socketTimeout=60000")
            .table("t_kv", "k", "mod-hash", null, null, null);
        try (DdmDataSource dataSource = servers.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)",
                    "INSERT INTO t_kv (k, v) VALUES (0, 'zero'), (2, 'two')");
            PrimaryHealthMonitor primaries = dataSource.getPrimaryMonitor().orElseThrow();
            DatabaseServer primary = this.topology.primary(0);
            try (Connection broken = dataSource.getConnection(); Connection healthy = dataSource.getConnection()) {
                // In transactions, each holds its own physical connection to shard 0 on ds0's primary.
                broken.setAutoCommit(false);
                healthy.setAutoCommit(false);
                long brokenId = connectionId(broken);
                long healthyId = connectionId(healthy);
                assertThat(brokenId).isNotEqualTo(healthyId);
                try (Connection admin = primary.connection(); Statement kill = admin.createStatement()) {
                    kill.execute("KILL " + brokenId);
                }
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connectionId(broken));
                try {
                    broken.rollback();
                }
                catch (SQLException ex) {
                    // its connection is gone: nothing to roll back
                }
                assertThat(connectionId(healthy)).as("the other connection").isEqualTo(healthyId);
                healthy.commit();
                // Back in its pool, the other connection is not dropped: the server still has it open.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline) {
                    assertThat(serverConnectionIds(primary)).as("connections open on %s", primary.name()).contains(healthyId)
                        .doesNotContain(brokenId);
                    Thread.sleep(100);
                }
            }
            // The failure triggered a check of ds0's primary, which passed: no outage.
            assertThat(primaries.outages("ds0")).isZero();
            assertThat(primaries.isAvailable("ds0")).isTrue();
            DdmOnServers.execute(dataSource, "UPDATE t_kv SET v = 'zero again' WHERE k = 0");
        }
    }

    /** The physical connection's id, from a statement routed to shard 0 (k = 0) on the primary, in the transaction. */
    private static long connectionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT CONNECTION_ID(), v FROM t_kv WHERE k = 0")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    private static Set<Long> serverConnectionIds(DatabaseServer server) throws SQLException {
        Set<Long> result = new HashSet<>();
        try (Connection connection = server.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST")) {
            while (rows.next()) {
                result.add(rows.getLong(1));
            }
        }
        return result;
    }

}
