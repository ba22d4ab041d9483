package io.ddm.integration;

import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.fastpath.FastPath;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fast path on real servers: which statements take it, and that they land where ShardingSphere would put them, on
 * the connection ShardingSphere's transaction holds, and on the replica or primary its read/write splitting picks.
 * {@code FastPathDifferentialIntegrationTests} compares thousands of statements with the fast path on and off.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathIntegrationTests {

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    private FastPath fastPath;

    private DatabaseTopology topology;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_fast");
        this.ddm = new DdmOnServers(topology, "it_fast", 4).table("t_order", "user_id", "mod-hash", "user_id", "mod-hash", 2);
        DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
        keys.setColumn("order_id");
        this.ddm.table("t_order").setKeyGenerator(keys);
        this.dataSource = this.ddm.open();
        this.fastPath = this.dataSource.getFastPath().orElseThrow();
        DdmOnServers.execute(this.dataSource, "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,"
                + " status VARCHAR(10) NOT NULL, updates INT NOT NULL DEFAULT 0)");
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void keyedStatementsRunOnTheOwningTable() throws SQLException {
        long before = this.fastPath.getFastExecutions();
        long orderId;
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_order (user_id, status) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, 13);
            insert.setString(2, "NEW");
            assertThat(insert.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = insert.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                orderId = keys.getLong(1);
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE t_order SET updates = updates + 1, status = ?"
                    + " WHERE user_id = ? AND order_id = ?")) {
                update.setString(1, "PAID");
                update.setLong(2, 13);
                update.setLong(3, orderId);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(this.fastPath.getFastExecutions() - before).isEqualTo(2);
        // ShardingSphere's route for the same user: a statement the fast path leaves to it (a literal list).
        DdmOnServers.execute(this.dataSource,
                "INSERT INTO t_order (order_id, user_id, status) VALUES (1, 13, 'GENERAL'), (2, 13, 'GENERAL')");
        List<List<Object>> rows = new ArrayList<>();
        for (int shard = 0; shard < 4; shard++) {
            for (int table = shard * 2; table < shard * 2 + 2; table++) {
                for (List<Object> row : DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                        "SELECT order_id, user_id, status, updates FROM t_order_" + table + " WHERE user_id = 13")) {
                    row.add(0, this.ddm.database(shard) + ".t_order_" + table);
                    rows.add(row);
                }
            }
        }
        assertThat(rows).hasSize(3);
        assertThat(rows).anySatisfy((row) -> assertThat(row.subList(1, 5)).containsExactly(orderId, 13L, "PAID", 1));
        assertThat(rows).extracting((row) -> row.get(0)).containsOnly(rows.get(0).get(0));
        DdmOnServers.execute(this.dataSource, "DELETE FROM t_order WHERE user_id = 13");
    }

    @Test
    void statementsShardingSphereMustRouteDoNotTakeTheFastPath() throws SQLException {
        long before = this.fastPath.getFastExecutions();
        for (String sql : List.of("SELECT * FROM t_order WHERE user_id IN (?, ?)",
                "SELECT * FROM t_order WHERE user_id = ? OR user_id = ?",
                "SELECT COUNT(*) FROM t_order WHERE user_id = ? AND order_id > ?",
                "SELECT * FROM t_order WHERE user_id = ? AND order_id > ? ORDER BY order_id LIMIT 1",
                "SELECT * FROM t_order WHERE user_id + 0 = ? AND order_id > ?",
                "SELECT /* a comment */ * FROM t_order WHERE user_id = ? AND order_id > ?",
                "SELECT * FROM t_order o WHERE o.user_id = ? AND o.order_id IN (SELECT ? FROM dual)")) {
            try (Connection connection = this.dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, 1);
                statement.setLong(2, 2);
                statement.executeQuery().close();
            }
        }
        assertThat(this.fastPath.getFastExecutions()).isEqualTo(before);
    }

    @Test
    void aTransactionKeepsOneConnectionPerShardForFastAndGeneralStatements() throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO t_order (order_id, user_id, status) VALUES (?, ?, ?)")) {
                insert.setLong(1, 900_001);
                insert.setLong(2, 22);
                insert.setString(3, "TX");
                insert.executeUpdate();
            }
            // A general statement (an aggregate over every shard) sees the uncommitted row: the same physical connection.
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM t_order WHERE status = ?")) {
                count.setString(1, "TX");
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(1);
                }
            }
            // And a fast read in the transaction goes to the primary, where the row is.
            try (PreparedStatement select = connection.prepareStatement("SELECT status FROM t_order WHERE user_id = ? AND order_id = ?")) {
                select.setLong(1, 22);
                select.setLong(2, 900_001);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("TX");
                    assertThat(rows.getMetaData().getTableName(1)).isEqualTo("t_order");
                }
            }
            connection.rollback();
        }
        assertThat(DdmOnServers.query(this.dataSource, "SELECT COUNT(*) FROM t_order WHERE status = 'TX'").get(0).get(0).toString())
            .isEqualTo("0");
    }

    @Test
    void readsOutsideTransactionsGoToTheReplica() throws SQLException {
        DdmOnServers.execute(this.dataSource, "INSERT INTO t_order (order_id, user_id, status) VALUES (900100, 31, 'R')");
        this.topology.awaitReplication();
        int node = 31 % 4 / 2;
        DatabaseServer replica = this.topology.replicasOf(node).get(0);
        DatabaseServer primary = this.topology.primary(node);
        long replicaBefore = DdmOnServers.comSelect(replica);
        long primaryBefore = DdmOnServers.comSelect(primary);
        long fastBefore = this.fastPath.getFastExecutions();
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT status FROM t_order WHERE user_id = ? AND order_id = ?")) {
            for (int i = 0; i < 5; i++) {
                select.setLong(1, 31);
                select.setLong(2, 900100);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("R");
                }
            }
        }
        assertThat(this.fastPath.getFastExecutions() - fastBefore).isEqualTo(5);
        // comSelect's own query counts once on each server.
        assertThat(DdmOnServers.comSelect(replica) - replicaBefore).isGreaterThanOrEqualTo(6);
        assertThat(DdmOnServers.comSelect(primary) - primaryBefore).isEqualTo(1);
    }

    @Test
    void aFastPathStatementAnswersAsShardingSphereDoes() throws SQLException {
        DdmOnServers.execute(this.dataSource, "INSERT INTO t_order (order_id, user_id, status) VALUES (900200, 41, 'A')");
        this.topology.awaitReplication();
        String sql = "SELECT status FROM t_order WHERE user_id = ? AND order_id = ?";
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, 41);
            select.setLong(2, 900200);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.getStatement()).isSameAs(select);
                assertThat(rows.getMetaData().getTableName(1)).isEqualTo("t_order");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("status")).isEqualTo("A");
            }
            assertThat(select.getConnection()).isSameAs(connection);
            assertThat(select.unwrap(PreparedStatement.class)).isSameAs(select);
            // ShardingSphere's statement does not take a parameter with an SQLType, and neither does the fast path's.
            assertThatExceptionOfType(SQLFeatureNotSupportedException.class)
                .isThrownBy(() -> select.setObject(1, 41L, JDBCType.BIGINT));
        }
    }

}
