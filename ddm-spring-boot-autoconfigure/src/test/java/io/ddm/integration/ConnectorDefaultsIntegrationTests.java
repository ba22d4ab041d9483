package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.PhysicalPool;
import io.ddm.datasource.ServerDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import javax.sql.DataSource;

import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DDM's Connector/J defaults as a user observes them on the servers: a JDBC batch through DDM arrives as one
 * multi-row {@code INSERT} per physical table ({@code rewriteBatchedStatements}), unless the user sets
 * {@code pool.data-source-properties.rewriteBatchedStatements=false}; every row arrives either way.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class ConnectorDefaultsIntegrationTests {

    private static final int SHARDS = 4;

    private static final int TABLES_PER_SHARD = 2;

    private static final int ROWS = 200;

    @Test
    void aBatchIsSentAsOneMultiRowInsertPerPhysicalTable(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_connector");
        DdmOnServers ddm = new DdmOnServers(topology, "it_connector", SHARDS)
            .table("t_item", "user_id", "mod-hash", "user_id", "mod-hash", TABLES_PER_SHARD);
        try (DdmDataSource dataSource = ddm.open()) {
            assertThat(dataSource.getPhysicalDataSources().pools()).extracting(PhysicalPool::dataSource)
                .allSatisfy((pool) -> assertThat(pool.getDataSourceProperties()).containsEntry("rewriteBatchedStatements", "true")
                    .containsEntry("cachePrepStmts", "true")
                    .containsEntry("useLocalSessionState", "true"));
            long before = inserts(topology);
            int[] counts = insertBatch(dataSource);
            assertThat(inserts(topology) - before).isEqualTo(SHARDS * TABLES_PER_SHARD);
            // Connector/J reports rows of a rewritten batch as SUCCESS_NO_INFO.
            assertThat(counts).hasSize(ROWS).containsOnly(Statement.SUCCESS_NO_INFO);
            assertThat(ddm.physicalCounts("t_item", TABLES_PER_SHARD).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(ROWS);
        }
    }

    @Test
    void aUserSettingTurnsTheRewritingOff(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_connector");
        DdmOnServers ddm = new DdmOnServers(topology, "it_connector", SHARDS)
            .table("t_item", "user_id", "mod-hash", "user_id", "mod-hash", TABLES_PER_SHARD);
        ddm.properties().getNodes().values()
            .forEach((node) -> node.getPool().put("data-source-properties.rewriteBatchedStatements", "false"));
        try (DdmDataSource dataSource = ddm.open()) {
            assertThat(dataSource.getPhysicalDataSources().pools()).extracting(PhysicalPool::dataSource)
                .allSatisfy((pool) -> assertThat(pool.getDataSourceProperties()).containsEntry("rewriteBatchedStatements", "false"));
            long before = inserts(topology);
            int[] counts = insertBatch(dataSource);
            assertThat(inserts(topology) - before).isEqualTo(ROWS);
            assertThat(counts).hasSize(ROWS).containsOnly(1);
            assertThat(ddm.physicalCounts("t_item", TABLES_PER_SHARD).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(ROWS);
        }
    }

    @Test
    void theFastPathTakesAConnectionOnTheDatabaseShardingSphereWouldGiveItWithAndWithoutLocalSessionState(DatabaseTopology topology)
            throws SQLException {
        topology.resetData("it_connector");
        for (String localSessionState : new String[] {"true", "false"}) {
            DdmOnServers ddm = new DdmOnServers(topology, "it_connector", SHARDS)
                .table("t_item", "user_id", "mod-hash", "user_id", "mod-hash", TABLES_PER_SHARD);
            ddm.properties().getNodes().values().forEach((node) -> {
                node.getPool().put("data-source-properties.useLocalSessionState", localSessionState);
                node.getPool().put("maximum-pool-size", Integer.toString(SHARDS / 2));
            });
            try (DdmDataSource dataSource = ddm.open()) {
                PhysicalPool physical = dataSource.getPhysicalDataSources().pools().get(0);
                ServerDataSource pool = physical.dataSource();
                DataSource storageUnit;
                try (Connection connection = dataSource.getConnection()) {
                    storageUnit = connection.unwrap(ShardingSphereConnection.class).getContextManager()
                        .getStorageUnits(connection.unwrap(ShardingSphereConnection.class).getCurrentDatabaseName())
                        .get(physical.dataSourceName()).getDataSource();
                }
                // The pool holds one connection: a USE sent as a statement leaves it on another database.
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("USE mysql");
                }
                String shardingSphere = database(storageUnit.getConnection());
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("USE mysql");
                }
                String fastPath = database(pool.getConnectionOnDatabase());
                assertThat(fastPath).as("useLocalSessionState=" + localSessionState).isEqualTo(shardingSphere)
                    .isEqualTo(localSessionState.equals("true") ? "mysql" : physical.database());
            }
        }
    }

    private static String database(Connection connection) throws SQLException {
        try (connection; Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DATABASE()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int[] insertBatch(DdmDataSource dataSource) throws SQLException {
        DdmOnServers.execute(dataSource, "CREATE TABLE t_item (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, amount INT NOT NULL)");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_item (id, user_id, amount) VALUES (?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setLong(1, i);
                insert.setLong(2, i % 37);
                insert.setInt(3, i);
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    /** {@code INSERT} statements the primaries executed since they started. */
    private static long inserts(DatabaseTopology topology) throws SQLException {
        long result = 0;
        for (DatabaseServer primary : topology.primaries()) {
            result += Long.parseLong(DdmOnServers.rows(primary, "mysql", "SHOW GLOBAL STATUS LIKE 'Com_insert'").get(0).get(1).toString());
        }
        return result;
    }

}
