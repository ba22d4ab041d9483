package io.ddm.test.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class DatabaseTopologyTests {

    private final DatabaseTopology topology;

    DatabaseTopologyTests(DatabaseTopology topology) {
        this.topology = topology;
    }

    @BeforeEach
    void dropTestDatabases() {
        topology.resetData("it_");
    }

    @Test
    void hasTwoPrimariesWithOneReplicaEach() throws SQLException {
        assertThat(topology.kind()).isNotNull();
        assertThat(topology.primaries()).extracting(DatabaseServer::name).containsExactly("ds0", "ds1");
        assertThat(topology.replicasOf(0)).extracting(DatabaseServer::name).containsExactly("ds0-r0");
        assertThat(topology.replicasOf(1)).extracting(DatabaseServer::name).containsExactly("ds1-r0");
        assertThat(topology.servers()).hasSize(4).allSatisfy(server -> {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:mysql://" + server.host() + ":" + server.port() + "/");
        });
        assertThat(topology.primary(1).role()).isEqualTo(ServerRole.PRIMARY);
        assertThat(topology.replicasOf(1).get(0).role()).isEqualTo(ServerRole.REPLICA);
        assertThat(topology.servers()).extracting(DatabaseServer::port).doesNotHaveDuplicates();
        try (Connection connection = topology.primary(0).connection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@character_set_server, @@max_connections, @@time_zone")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("utf8mb4");
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(300);
            assertThat(rs.getString(3)).isEqualTo("+00:00");
        }
    }

    @Test
    void describesItsServersAsDdmNodeProperties() {
        DatabaseServer ds0 = this.topology.primary(0);
        DatabaseServer ds1r0 = this.topology.replicasOf(1).get(0);
        assertThat(this.topology.ddmNodeProperties("?socketTimeout=5000"))
            .containsEntry("ddm.nodes.ds0.url", ds0.jdbcUrl() + "?socketTimeout=5000")
            .containsEntry("ddm.nodes.ds0.username", ds0.username())
            .containsEntry("ddm.nodes.ds0.password", ds0.password())
            .containsEntry("ddm.nodes.ds1.replicas.ds1-r0.url", ds1r0.jdbcUrl() + "?socketTimeout=5000")
            .hasSize(2 * 3 + 2);
        assertThat(this.topology.ddmNodeProperties()).containsEntry("ddm.nodes.ds0.url", ds0.jdbcUrl());
    }

    @Test
    void sharedTopologyIsTheSameInstanceAndCannotBeClosed() {
        assertThat(DatabaseServers.topology(2, 1)).isSameAs(topology);
        assertThatThrownBy(topology::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("shared");
    }

    @Test
    void rowWrittenOnEachPrimaryArrivesOnItsReplica() throws SQLException {
        for (int i = 0; i < 2; i++) {
            createTable(topology.primary(i), "it_basic");
            execute(topology.primary(i), "INSERT INTO it_basic.t (id, note) VALUES (1, 'written on ds" + i + "')");
        }

        topology.awaitReplication();

        for (int i = 0; i < 2; i++) {
            assertThat(notes(topology.replicasOf(i).get(0), "it_basic")).isEqualTo("written on ds" + i);
        }
    }

    @Test
    void pausedReplicaDoesNotApplyNewRowsUntilResumed() throws SQLException {
        DatabaseServer primary = topology.primary(0);
        DatabaseServer replica = topology.replicasOf(0).get(0);
        createTable(primary, "it_pause");
        execute(primary, "INSERT INTO it_pause.t (id, note) VALUES (1, 'before')");
        topology.awaitReplication();

        replica.pauseReplication();
        execute(primary, "INSERT INTO it_pause.t (id, note) VALUES (2, 'during')");
        topology.awaitReplication(); // ignores the paused replica

        assertThat(replica.isReplicationPaused()).isTrue();
        assertThat(notes(replica, "it_pause")).isEqualTo("before");

        replica.resumeReplication();
        topology.awaitReplication();

        assertThat(notes(replica, "it_pause")).isEqualTo("before,during");
    }

    @Test
    void stoppedReplicaRefusesConnectionsAndCatchesUpAfterStart() throws SQLException {
        DatabaseServer primary = topology.primary(1);
        DatabaseServer replica = topology.replicasOf(1).get(0);
        createTable(primary, "it_stop_replica");
        execute(primary, "INSERT INTO it_stop_replica.t (id, note) VALUES (1, 'before')");
        topology.awaitReplication();
        int port = replica.port();

        replica.stop();
        assertThat(replica.isRunning()).isFalse();
        assertConnectionRefused(replica);
        execute(primary, "INSERT INTO it_stop_replica.t (id, note) VALUES (2, 'while stopped')");

        replica.start();
        topology.awaitReplication();

        assertThat(replica.port()).isEqualTo(port);
        assertThat(notes(replica, "it_stop_replica")).isEqualTo("before,while stopped");
    }

    @Test
    void stoppedPrimaryRefusesConnectionsAndReplicatesAgainAfterStart() throws SQLException {
        DatabaseServer primary = topology.primary(0);
        DatabaseServer replica = topology.replicasOf(0).get(0);
        createTable(primary, "it_stop_primary");
        execute(primary, "INSERT INTO it_stop_primary.t (id, note) VALUES (1, 'before')");
        topology.awaitReplication();

        primary.stop();
        assertConnectionRefused(primary);
        assertThat(notes(replica, "it_stop_primary")).isEqualTo("before");

        primary.start();
        execute(primary, "INSERT INTO it_stop_primary.t (id, note) VALUES (2, 'after restart')");
        topology.awaitReplication();

        assertThat(notes(primary, "it_stop_primary")).isEqualTo("before,after restart");
        assertThat(notes(replica, "it_stop_primary")).isEqualTo("before,after restart");
    }

    @Test
    void killedServersRecoverTheirDataAndReplication() throws SQLException {
        DatabaseServer primary = topology.primary(1);
        DatabaseServer replica = topology.replicasOf(1).get(0);
        createTable(primary, "it_kill");
        execute(primary, "INSERT INTO it_kill.t (id, note) VALUES (1, 'committed')");
        topology.awaitReplication();

        replica.kill();
        primary.kill();
        assertThat(primary.isRunning()).isFalse();
        assertConnectionRefused(primary);
        primary.start();
        replica.start();
        execute(primary, "INSERT INTO it_kill.t (id, note) VALUES (2, 'after crash')");
        topology.awaitReplication();

        assertThat(notes(replica, "it_kill")).isEqualTo("committed,after crash");
    }

    @Test
    void frozenServerAcceptsButDoesNotAnswerUntilUnfrozen() throws SQLException {
        DatabaseServer replica = topology.replicasOf(0).get(0);
        String url = replica.jdbcUrl() + "?connectTimeout=1000&socketTimeout=1000";

        replica.freeze();
        try {
            assertThat(replica.isFrozen()).isTrue();
            assertThat(replica.isRunning()).isTrue();
            long started = System.nanoTime();
            assertThatThrownBy(() -> DriverManager.getConnection(url, replica.username(), replica.password()).close())
                    .isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        } finally {
            replica.unfreeze();
        }

        assertThat(replica.isFrozen()).isFalse();
        try (Connection connection = DriverManager.getConnection(url, replica.username(), replica.password());
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    static void createTable(DatabaseServer primary, String database) throws SQLException {
        execute(primary, "CREATE DATABASE " + database,
                "CREATE TABLE " + database + ".t (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL)");
    }

    static void execute(DatabaseServer server, String... statements) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The notes of table {@code t}, ordered by id and joined with commas; empty if there are none. */
    static String notes(DatabaseServer server, String database) throws SQLException {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT GROUP_CONCAT(note ORDER BY id) FROM t")) {
            rs.next();
            String notes = rs.getString(1);
            return notes == null ? "" : notes;
        }
    }

    void assertConnectionRefused(DatabaseServer server) {
        var failure = assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl() + "?connectTimeout=2000",
                server.username(), server.password()).close())
                .isInstanceOf(SQLException.class);
        if (topology.kind() != ServerKind.DOCKER) {
            // With Docker, a port proxy (e.g. Docker Desktop's) may accept and close instead of refusing.
            failure.hasRootCauseInstanceOf(ConnectException.class);
        }
    }
}
