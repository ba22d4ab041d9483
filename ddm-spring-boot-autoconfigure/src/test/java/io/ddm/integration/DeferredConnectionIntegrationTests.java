package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.PhysicalPool;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.executor.sql.process.ProcessRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A logical connection opens ShardingSphere's own only when something needs it: fast-path statements alone run on
 * physical connections the logical connection holds, and a transaction or a general statement begun later gets those
 * same connections through ShardingSphere's connection manager. Every pool here (a shard's writes, its reads) has one
 * connection and gives up after 500 ms, so a second borrow from one pool by one logical connection fails the test.
 */
@RequiresDatabaseServers(primaries = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeferredConnectionIntegrationTests {

    private static final String SCHEMA = "it_deferred";

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        topology.resetData(SCHEMA);
        this.ddm = new DdmOnServers(topology, SCHEMA, 4, DdmOnServers.URL_PARAMETERS).table("t_kv", "k", "mod-hash", null, null, null);
        // DDL takes more than one connection of a shard (its statement, then the metadata reload): the table is made first.
        try (DdmDataSource setUp = this.ddm.open()) {
            DdmOnServers.execute(setUp, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                    "INSERT INTO t_kv (k, v) VALUES (1, 'one'), (5, 'five'), (2, 'two')");
        }
        for (DatabaseServer primary : topology.primaries()) {
            // Two shards per node: one connection for each shard's pool.
            this.ddm.properties().getNodes().get(primary.name()).getPool().put("maximum-pool-size", "2");
            this.ddm.properties().getNodes().get(primary.name()).getPool().put("connection-timeout", "500");
        }
        this.dataSource = this.ddm.open();
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void fastPathStatementsAloneOpenNoShardingSphereConnection() throws SQLException {
        int processes = ProcessRegistry.getInstance().listAll().size();
        long fastBefore = this.dataSource.getFastPath().orElseThrow().getFastExecutions();
        try (Connection connection = this.dataSource.getConnection()) {
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(value(connection, 1)).isEqualTo("one");
            assertThat(value(connection, 5)).isEqualTo("five");
            update(connection, 2, "TWO");
            assertThat(ProcessRegistry.getInstance().listAll()).as("ShardingSphere's connections").hasSize(processes);
            // Keys 1 and 5 are on shard 1, key 2 on shard 2: one connection held from each of their pools.
            assertThat(active(1)).isEqualTo(1);
            assertThat(active(2)).isEqualTo(1);
            assertThat(connection.isClosed()).isFalse();
            ShardingSphereConnection shardingSphere = connection.unwrap(ShardingSphereConnection.class);
            assertThat(ProcessRegistry.getInstance().listAll()).hasSize(processes + 1);
            // The held connections went to ShardingSphere's connection manager: no second borrow.
            assertThat(shardingSphere.getDatabaseConnectionManager().getConnectionContext().getUsedDataSourceNames()).hasSize(2);
            assertThat(value(connection, 1)).isEqualTo("one");
        }
        assertThat(ProcessRegistry.getInstance().listAll()).hasSize(processes);
        assertThat(active(1)).isZero();
        assertThat(active(2)).isZero();
        assertThat(this.dataSource.getFastPath().orElseThrow().getFastExecutions() - fastBefore).isEqualTo(4);
        DdmOnServers.execute(this.dataSource, "UPDATE t_kv SET v = 'two' WHERE k = 2");
    }

    @Test
    void aTransactionBegunAfterFastStatementsRunsOnTheConnectionsTheyHeld() throws SQLException {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            // Shard 1's primary has a pool for writes and one for reads: each lends its one connection now.
            update(connection, 5, "five");
            select.setLong(1, 1);
            try (ResultSet open = select.executeQuery()) {
                assertThat(active(1)).isEqualTo(2);
                connection.setAutoCommit(false);
                update(connection, 5, "changed");
                // A general statement (an IN list) on the same shard sees the uncommitted change: the same connection.
                try (PreparedStatement general = connection.prepareStatement("SELECT v FROM t_kv WHERE k IN (?, ?) ORDER BY k")) {
                    general.setLong(1, 1);
                    general.setLong(2, 5);
                    try (ResultSet rows = general.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getString(1)).isEqualTo("changed");
                    }
                }
                // The result set read before the transaction began is still open.
                assertThat(open.next()).isTrue();
                assertThat(open.getString(1)).isEqualTo("one");
            }
            connection.rollback();
            assertThat(active(1)).isEqualTo(2);
        }
        assertThat(active(1)).isZero();
        assertThat(DdmOnServers.query(this.dataSource, "SELECT v FROM t_kv WHERE k = 5").get(0).get(0)).isEqualTo("five");
    }

    @Test
    void aClosedConnectionRunsNoStatement() throws SQLException {
        Connection connection = this.dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?");
        select.setLong(1, 2);
        select.executeQuery().close();
        connection.close();
        assertThat(connection.isClosed()).isTrue();
        assertThat(active(2)).isZero();
        select.setLong(1, 2);
        assertThatExceptionOfType(SQLException.class).isThrownBy(select::executeQuery).withMessageContaining("closed");
        assertThatExceptionOfType(SQLException.class).isThrownBy(connection::createStatement).withMessageContaining("closed");
        assertThat(active(2)).isZero();
    }

    private static String value(Connection connection, long key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            select.setLong(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void update(Connection connection, long key, String value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE t_kv SET v = ? WHERE k = ?")) {
            update.setString(1, value);
            update.setLong(2, key);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private int active(int shard) {
        return this.dataSource.getPhysicalDataSources().pools().stream().filter((pool) -> pool.shard() == shard)
            .mapToInt((PhysicalPool pool) -> pool.dataSource().activeConnections()).sum();
    }

}
