package io.ddm.benchmarks.suite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The physical limit: HikariCP pools straight to the shard databases (one per shard database on its primary and on
 * its replica), the physical table computed by the benchmark with DDM's formula ({@link BenchmarkData#tableOf}).
 * Statements that span shards follow the plan ShardingSphere uses: one connection per shard database, its tables one
 * after the other, the shard databases in parallel, results merged here.
 */
final class DirectContender implements Contender {

    private static final String ORDERS = BenchmarkData.TABLE_NAMES.get(0) + "_";

    private static final String LOG = BenchmarkData.TABLE_NAMES.get(1) + "_";

    private static final Comparator<Order> LARGEST_FIRST = Comparator.comparingInt(Order::amountCents).reversed()
            .thenComparingLong(Order::orderId);

    private final List<HikariDataSource> primaries = new ArrayList<>();

    private final List<HikariDataSource> replicas = new ArrayList<>();

    private final ExecutorService scatter = Executors.newFixedThreadPool(BenchmarkData.SHARDS, (task) -> {
        Thread thread = new Thread(task, "direct-scatter");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Opens the pools.
     * @param topology the servers; every node needs a replica
     * @param poolSize connections of each pool
     * @param driverProperties Connector/J properties of every pool (the ones DDM sets, so the comparison is of the
     * middleware, not of driver settings)
     */
    DirectContender(DatabaseTopology topology, int poolSize, Properties driverProperties) {
        int nodes = topology.primaries().size();
        for (int shard = 0; shard < BenchmarkData.SHARDS; shard++) {
            int node = BenchmarkData.nodeOf(shard, nodes);
            this.primaries.add(pool(topology.primary(node), shard, poolSize, driverProperties));
            this.replicas.add(pool(topology.replicasOf(node).get(0), shard, poolSize, driverProperties));
        }
    }

    private static HikariDataSource pool(DatabaseServer server, int shard, int poolSize, Properties driverProperties) {
        HikariConfig config = new HikariConfig();
        String database = BenchmarkData.database(shard);
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(poolSize);
        config.setDataSourceProperties(driverProperties);
        config.setPoolName("direct-" + server.name() + "-" + database);
        return new HikariDataSource(config);
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public Order pointSelect(long userId, long orderId) throws SQLException {
        int table = BenchmarkData.tableOf(userId);
        try (Connection connection = replica(table).getConnection()) {
            return SuiteSql.pointSelect(connection, ORDERS + table, userId, orderId);
        }
    }

    @Override
    public List<Order> range(long userId, long fromOrderId, long toOrderId) throws SQLException {
        int table = BenchmarkData.tableOf(userId);
        try (Connection connection = replica(table).getConnection()) {
            return SuiteSql.range(connection, ORDERS + table, userId, fromOrderId, toOrderId);
        }
    }

    @Override
    public Map<String, Long> countByStatus() throws SQLException {
        Map<String, Long> result = new TreeMap<>();
        for (Map<String, Long> shard : onEveryShard((connection, tables) -> {
            Map<String, Long> counts = new TreeMap<>();
            for (int table : tables) {
                SuiteSql.addCountsByStatus(connection, ORDERS + table, counts);
            }
            return counts;
        })) {
            shard.forEach((status, count) -> result.merge(status, count, Long::sum));
        }
        return result;
    }

    @Override
    public List<Order> largestOrders(int limit) throws SQLException {
        List<Order> all = new ArrayList<>();
        for (List<Order> shard : onEveryShard((connection, tables) -> {
            List<Order> orders = new ArrayList<>();
            for (int table : tables) {
                orders.addAll(SuiteSql.largestOrders(connection, ORDERS + table, limit));
            }
            return orders;
        })) {
            all.addAll(shard);
        }
        all.sort(LARGEST_FIRST);
        return new ArrayList<>(all.subList(0, Math.min(limit, all.size())));
    }

    /** Runs a query on every shard database (on its replica), one task per shard database, with its physical tables. */
    private <T> List<T> onEveryShard(ShardQuery<T> query) throws SQLException {
        List<Future<T>> futures = new ArrayList<>();
        for (int shard = 0; shard < BenchmarkData.SHARDS; shard++) {
            List<Integer> tables = IntStream.range(shard * BenchmarkData.TABLES_PER_SHARD, (shard + 1) * BenchmarkData.TABLES_PER_SHARD)
                    .boxed().toList();
            HikariDataSource pool = this.replicas.get(shard);
            futures.add(this.scatter.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    return query.run(connection, tables);
                }
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted", ex);
            }
            catch (ExecutionException ex) {
                throw (ex.getCause() instanceof SQLException sql) ? sql : new SQLException(ex.getCause());
            }
        }
        return results;
    }

    @Override
    public void insert(LogRow row) throws SQLException {
        int table = BenchmarkData.tableOf(row.userId());
        try (Connection connection = primary(table).getConnection()) {
            SuiteSql.insert(connection, LOG + table, List.of(row));
        }
    }

    @Override
    public void insertBatch(List<LogRow> rows) throws SQLException {
        Map<Integer, List<LogRow>> byTable = new TreeMap<>();
        rows.forEach((row) -> byTable.computeIfAbsent(BenchmarkData.tableOf(row.userId()), (table) -> new ArrayList<>()).add(row));
        Map<Integer, Connection> connections = new TreeMap<>();
        try {
            for (Map.Entry<Integer, List<LogRow>> table : byTable.entrySet()) {
                Connection connection = connections.get(table.getKey() / BenchmarkData.TABLES_PER_SHARD);
                if (connection == null) {
                    connection = primary(table.getKey()).getConnection();
                    connections.put(table.getKey() / BenchmarkData.TABLES_PER_SHARD, connection);
                    connection.setAutoCommit(false);
                }
                SuiteSql.insert(connection, LOG + table.getKey(), table.getValue());
            }
            for (Connection each : connections.values()) {
                each.commit();
            }
        }
        catch (SQLException | RuntimeException ex) {
            for (Connection each : connections.values()) {
                each.rollback();
            }
            throw ex;
        }
        finally {
            for (Connection each : connections.values()) {
                each.close();
            }
        }
    }

    @Override
    public int touch(long userId, long orderId) throws SQLException {
        int table = BenchmarkData.tableOf(userId);
        try (Connection connection = primary(table).getConnection()) {
            return SuiteSql.touch(connection, ORDERS + table, userId, orderId);
        }
    }

    @Override
    public int delete(long userId, long logId) throws SQLException {
        int table = BenchmarkData.tableOf(userId);
        try (Connection connection = primary(table).getConnection()) {
            return SuiteSql.delete(connection, LOG + table, userId, logId);
        }
    }

    private HikariDataSource primary(int table) {
        return this.primaries.get(table / BenchmarkData.TABLES_PER_SHARD);
    }

    private HikariDataSource replica(int table) {
        return this.replicas.get(table / BenchmarkData.TABLES_PER_SHARD);
    }

    @Override
    public void close() {
        this.scatter.shutdownNow();
        this.primaries.forEach(HikariDataSource::close);
        this.replicas.forEach(HikariDataSource::close);
    }

    /** A query of some physical tables on a connection to their shard database. */
    @FunctionalInterface
    private interface ShardQuery<T> {

        T run(Connection connection, List<Integer> tables) throws SQLException;

    }

}
