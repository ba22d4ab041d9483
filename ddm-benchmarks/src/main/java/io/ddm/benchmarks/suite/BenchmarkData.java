package io.ddm.benchmarks.suite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ddm.algorithm.ShardingFormula;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The suite's logical database and its data, the same for every contender: schema {@value #SCHEMA}, {@value #SHARDS}
 * shard databases on the topology's primaries (the first half on {@code ds0}, the rest on {@code ds1}, DDM's default
 * placement), each with {@value #TABLES_PER_SHARD} tables of {@code t_order} (read) and of {@code t_order_log} (written),
 * both sharded by {@code user_id} with DDM's {@code mod-hash} and global numbering: table {@code g = user_id % 32},
 * shard {@code g / 4}. Stock ShardingSphere expresses the same with INLINE expressions ({@link #TABLE_EXPRESSION},
 * {@link #DATABASE_EXPRESSION}); the direct contender computes it with DDM's own {@link ShardingFormula}.
 *
 * <p>User {@code u} (1 to {@code users}) has {@value #ORDERS_PER_USER} orders {@code u * 100 + k}.
 */
public final class BenchmarkData {

    /** Logical database. */
    public static final String SCHEMA = "bench";

    /** Shard databases. */
    public static final int SHARDS = 8;

    /** Physical tables per shard database and logical table. */
    public static final int TABLES_PER_SHARD = 4;

    /** Physical tables per logical table. */
    public static final int TABLES = SHARDS * TABLES_PER_SHARD;

    /** Orders of every user. */
    public static final int ORDERS_PER_USER = 20;

    /** Users of a full run: 40,000 orders, 1,250 per physical table. */
    public static final int DEFAULT_USERS = 2_000;

    /** The logical tables. */
    public static final List<String> TABLE_NAMES = List.of("t_order", "t_order_log");

    /** Stock ShardingSphere's INLINE expression of the physical table (prefix and {@code user_id}). */
    public static final String TABLE_EXPRESSION = "${user_id % " + TABLES + "}";

    /** Stock ShardingSphere's INLINE expression of the shard database. */
    public static final String DATABASE_EXPRESSION = SCHEMA + "_${(user_id % " + TABLES + ").intdiv(" + TABLES_PER_SHARD + ")}";

    /** Order statuses, by {@code order_id % 4}. */
    static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "DONE");

    /** Rows of one multi-row INSERT of the loads, well inside the servers' {@code max_allowed_packet}. */
    private static final int ROWS_PER_INSERT = 5_000;

    private static final ShardingFormula FORMULA = ShardingFormula.of(ShardingFunction.MOD_HASH, TABLES, 0);

    private final int users;

    /**
     * The data of a run.
     * @param users number of users
     */
    public BenchmarkData(int users) {
        this.users = users;
    }

    public int users() {
        return this.users;
    }

    /**
     * The global physical table number of a sharding key, by DDM's formula.
     * @param userId the sharding key
     * @return {@code 0 .. 31}
     */
    public static int tableOf(long userId) {
        return FORMULA.indexOf(userId);
    }

    /**
     * The shard database index of a sharding key.
     * @param userId the sharding key
     * @return {@code 0 .. 7}
     */
    public static int shardOf(long userId) {
        return tableOf(userId) / TABLES_PER_SHARD;
    }

    /**
     * A shard database name.
     * @param shard the shard index
     * @return e.g. {@code bench_3}
     */
    public static String database(int shard) {
        return SCHEMA + "_" + shard;
    }

    /**
     * The index of the primary (node) that holds a shard under DDM's default placement.
     * @param shard the shard index
     * @param nodes the number of nodes
     * @return the node index
     */
    public static int nodeOf(int shard, int nodes) {
        return shard / (SHARDS / nodes);
    }

    /** Amount of an order, spread so that a cross-shard ORDER BY has to merge. */
    static int amountOf(long orderId) {
        return (int) ((orderId * 7_919) % 100_000);
    }

    static String statusOf(long orderId) {
        return STATUSES.get((int) (orderId % STATUSES.size()));
    }

    /**
     * Drops and creates the shard databases on the primaries and loads the orders; the replicas follow by
     * replication, awaited here.
     * @param topology the servers
     * @throws SQLException on a database error
     */
    public void load(DatabaseTopology topology) throws SQLException {
        int nodes = topology.primaries().size();
        for (int shard = 0; shard < SHARDS; shard++) {
            DatabaseServer primary = topology.primary(nodeOf(shard, nodes));
            String database = database(shard);
            try (Connection connection = primary.connection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
                statement.execute("CREATE DATABASE " + database);
                for (int table = shard * TABLES_PER_SHARD; table < (shard + 1) * TABLES_PER_SHARD; table++) {
                    statement.execute("CREATE TABLE " + database + ".t_order_" + table + " (order_id BIGINT NOT NULL PRIMARY KEY,"
                            + " user_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, amount_cents INT NOT NULL,"
                            + " updates INT NOT NULL DEFAULT 0, KEY user_order (user_id, order_id), KEY amount (amount_cents))"
                            + " ENGINE=InnoDB");
                    statement.execute("CREATE TABLE " + database + ".t_order_log_" + table + " (log_id BIGINT NOT NULL PRIMARY KEY,"
                            + " user_id BIGINT NOT NULL, amount_cents INT NOT NULL) ENGINE=InnoDB");
                    insertOrders(statement, database + ".t_order_" + table, table);
                }
            }
        }
        topology.awaitReplication();
    }

    private void insertOrders(Statement statement, String physicalTable, int table) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (long user = 1; user <= this.users; user++) {
            if (tableOf(user) != table) {
                continue;
            }
            for (int k = 0; k < ORDERS_PER_USER; k++) {
                long orderId = user * 100 + k;
                rows.add("(" + orderId + "," + user + ",'" + statusOf(orderId) + "'," + amountOf(orderId) + ")");
            }
        }
        insertValues(statement, physicalTable, "order_id, user_id, status, amount_cents", rows);
    }

    /**
     * Writes rows of {@code t_order_log} straight to the physical tables DDM's formula names, on the primaries, as
     * multi-row INSERTs, and waits for the replicas: for rows the suite needs in place before it measures.
     * @param topology the servers
     * @param rows the rows, of any users
     * @throws SQLException on a database error
     */
    public static void loadLogRows(DatabaseTopology topology, List<LogRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<Integer, List<String>> byTable = new TreeMap<>();
        rows.forEach((row) -> byTable.computeIfAbsent(tableOf(row.userId()), (table) -> new ArrayList<>())
                .add("(" + row.logId() + "," + row.userId() + "," + row.amountCents() + ")"));
        int nodes = topology.primaries().size();
        for (Map.Entry<Integer, List<String>> table : byTable.entrySet()) {
            int shard = table.getKey() / TABLES_PER_SHARD;
            try (Connection connection = topology.primary(nodeOf(shard, nodes)).connection();
                    Statement statement = connection.createStatement()) {
                insertValues(statement, database(shard) + ".t_order_log_" + table.getKey(), "log_id, user_id, amount_cents",
                        table.getValue());
            }
        }
        topology.awaitReplication();
    }

    /** Inserts rows given as SQL value lists ({@code (1,2,3)}), {@value #ROWS_PER_INSERT} rows per statement. */
    private static void insertValues(Statement statement, String physicalTable, String columns, List<String> rows)
            throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<String> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            int inserted = statement.executeUpdate("INSERT INTO " + physicalTable + " (" + columns + ") VALUES " + String.join(",", part));
            if (inserted != part.size()) {
                throw new IllegalStateException("Inserted " + inserted + " of " + part.size() + " rows into " + physicalTable);
            }
        }
    }

}
