package io.ddm.integration;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-shard queries through DDM give the same answers as one unsharded database holding the same rows:
 * sorting with limits, aggregates, binding-group joins and broadcast tables. The reference is a plain database
 * on the first primary; DDM reads are served by the replicas (they are outside transactions).
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossShardQueryIntegrationTests {

    private static final String REFERENCE = "it_query_reference";

    private static final String[] SCHEMA = {
        "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, region_id INT NOT NULL,"
                + " status VARCHAR(10) NOT NULL, amount DECIMAL(10, 2) NOT NULL)",
        "CREATE TABLE t_order_item (item_id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, user_id BIGINT NOT NULL,"
                + " qty INT NOT NULL)",
        "CREATE TABLE t_region (region_id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)" };

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    private HikariDataSource reference;

    private DatabaseServer referenceServer;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_query");
        this.ddm = new DdmOnServers(topology, "it_query", 4)
            .table("t_order", "user_id", "mod-hash", "user_id", "mod-hash", 2)
            .table("t_order_item", "user_id", "mod-hash", "user_id", "mod-hash", 2);
        this.ddm.table("t_order").setBindingGroup("orders");
        this.ddm.table("t_order_item").setBindingGroup("orders");
        this.ddm.properties().getBroadcastTables().add("t_region");
        this.dataSource = this.ddm.open();
        this.referenceServer = topology.primary(0);
        try (Connection connection = this.referenceServer.connection()) {
            connection.createStatement().execute("CREATE DATABASE " + REFERENCE);
        }
        this.reference = new HikariDataSource();
        this.reference.setJdbcUrl(this.referenceServer.jdbcUrl(REFERENCE));
        this.reference.setUsername(this.referenceServer.username());
        this.reference.setPassword(this.referenceServer.password());
        DdmOnServers.execute(this.dataSource, SCHEMA);
        DdmOnServers.execute(this.reference, SCHEMA);
        for (DataSource each : List.of(this.dataSource, this.reference)) {
            load(each);
        }
        topology.awaitReplication();
    }

    /** The same pseudo-random rows into both databases. */
    private static void load(DataSource dataSource) throws SQLException {
        Random random = new Random(42);
        String[] statuses = { "NEW", "PAID", "SHIPPED" };
        try (Connection connection = dataSource.getConnection();
                PreparedStatement region = connection.prepareStatement("INSERT INTO t_region VALUES (?, ?)");
                PreparedStatement order = connection.prepareStatement("INSERT INTO t_order VALUES (?, ?, ?, ?, ?)");
                PreparedStatement item = connection.prepareStatement("INSERT INTO t_order_item VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= 5; id++) {
                region.setInt(1, id);
                region.setString(2, "region-" + (char) ('a' + id));
                region.executeUpdate();
            }
            long itemId = 1;
            for (long orderId = 1; orderId <= 300; orderId++) {
                long userId = random.nextInt(60);
                order.setLong(1, orderId);
                order.setLong(2, userId);
                order.setInt(3, 1 + random.nextInt(5));
                order.setString(4, statuses[random.nextInt(3)]);
                order.setBigDecimal(5, BigDecimal.valueOf(random.nextInt(100_000), 2));
                order.executeUpdate();
                for (int i = 0, items = 1 + random.nextInt(3); i < items; i++) {
                    item.setLong(1, itemId++);
                    item.setLong(2, orderId);
                    item.setLong(3, userId);
                    item.setInt(4, 1 + random.nextInt(9));
                    item.executeUpdate();
                }
            }
        }
    }

    @AfterAll
    void stop() throws SQLException {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
        if (this.reference != null) {
            this.reference.close();
            try (Connection connection = this.referenceServer.connection()) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + REFERENCE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT order_id, user_id, amount FROM t_order ORDER BY amount DESC, order_id LIMIT 10",
        "SELECT order_id, amount FROM t_order ORDER BY amount, order_id LIMIT 10 OFFSET 25",
        "SELECT status, COUNT(*), SUM(amount), MIN(amount), MAX(amount) FROM t_order GROUP BY status ORDER BY status",
        "SELECT COUNT(*), SUM(amount) FROM t_order",
        "SELECT COUNT(DISTINCT user_id) FROM t_order",
        "SELECT user_id, COUNT(*) AS orders FROM t_order GROUP BY user_id ORDER BY orders DESC, user_id LIMIT 5",
        "SELECT order_id FROM t_order WHERE user_id BETWEEN 10 AND 14 ORDER BY order_id",
        "SELECT order_id FROM t_order WHERE user_id IN (3, 7, 12, 59) ORDER BY order_id",
        "SELECT o.order_id, i.item_id, i.qty FROM t_order o JOIN t_order_item i ON o.order_id = i.order_id"
                + " AND o.user_id = i.user_id WHERE o.user_id IN (3, 7, 12) ORDER BY o.order_id, i.item_id",
        "SELECT o.status, SUM(i.qty) FROM t_order o JOIN t_order_item i ON o.user_id = i.user_id"
                + " AND o.order_id = i.order_id GROUP BY o.status ORDER BY o.status",
        "SELECT r.name, COUNT(*), SUM(o.amount) FROM t_order o JOIN t_region r ON o.region_id = r.region_id"
                + " GROUP BY r.name ORDER BY r.name",
        "SELECT region_id, name FROM t_region ORDER BY region_id" })
    void answersEqualAnUnshardedDatabase(String sql) throws SQLException {
        List<List<Object>> expected = DdmOnServers.query(this.reference, sql);
        assertThat(expected).isNotEmpty();
        assertThat(DdmOnServers.query(this.dataSource, sql)).isEqualTo(expected);
    }

    @Test
    void averageAcrossShardsEqualsTheUnshardedAverage() throws SQLException {
        String sql = "SELECT status, AVG(amount) FROM t_order GROUP BY status ORDER BY status";
        List<List<Object>> expected = DdmOnServers.query(this.reference, sql);
        List<List<Object>> actual = DdmOnServers.query(this.dataSource, sql);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).get(0)).isEqualTo(expected.get(i).get(0));
            assertThat(((BigDecimal) actual.get(i).get(1)).setScale(4, RoundingMode.HALF_UP))
                .isEqualTo(((BigDecimal) expected.get(i).get(1)).setScale(4, RoundingMode.HALF_UP));
        }
    }

    @Test
    void broadcastTablesHaveAFullCopyInEveryShard() throws SQLException {
        for (int shard = 0; shard < 4; shard++) {
            assertThat(DdmOnServers.count(this.ddm.primaryOfShard(shard), this.ddm.database(shard), "t_region")).isEqualTo(5);
        }
    }

    @Test
    void bindingGroupMembersLandInTheSamePhysicalShard() throws SQLException {
        // Every item sits in the physical table with the same number as its order's table.
        for (int shard = 0; shard < 4; shard++) {
            for (int table = shard * 2; table < shard * 2 + 2; table++) {
                List<List<Object>> orphans = DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                        "SELECT COUNT(*) FROM t_order_item_" + table + " i LEFT JOIN t_order_" + table
                                + " o ON o.order_id = i.order_id WHERE o.order_id IS NULL");
                assertThat(orphans).containsExactly(List.of(0L));
            }
        }
    }

}
