package io.ddm.benchmarks.suite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * A contender that runs the logical SQL through a sharding data source: DDM's or stock ShardingSphere's. Both route,
 * rewrite and merge; the benchmark only names the logical tables.
 */
final class LogicalContender implements Contender {

    private static final String ORDERS = BenchmarkData.TABLE_NAMES.get(0);

    private static final String LOG = BenchmarkData.TABLE_NAMES.get(1);

    private final String name;

    private final DataSource dataSource;

    private final AutoCloseable resources;

    /**
     * A contender over a data source.
     * @param name the name in the results
     * @param dataSource the logical data source
     * @param resources what {@link #close()} closes: the data source and what belongs to it
     */
    LogicalContender(String name, DataSource dataSource, AutoCloseable resources) {
        this.name = name;
        this.dataSource = dataSource;
        this.resources = resources;
    }

    DataSource dataSource() {
        return this.dataSource;
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public Order pointSelect(long userId, long orderId) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return SuiteSql.pointSelect(connection, ORDERS, userId, orderId);
        }
    }

    @Override
    public List<Order> range(long userId, long fromOrderId, long toOrderId) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return SuiteSql.range(connection, ORDERS, userId, fromOrderId, toOrderId);
        }
    }

    @Override
    public Map<String, Long> countByStatus() throws SQLException {
        Map<String, Long> result = new TreeMap<>();
        try (Connection connection = this.dataSource.getConnection()) {
            SuiteSql.addCountsByStatus(connection, ORDERS, result);
        }
        return result;
    }

    @Override
    public List<Order> largestOrders(int limit) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return SuiteSql.largestOrders(connection, ORDERS, limit);
        }
    }

    @Override
    public void insert(LogRow row) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            SuiteSql.insert(connection, LOG, List.of(row));
        }
    }

    @Override
    public void insertBatch(List<LogRow> rows) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                SuiteSql.insert(connection, LOG, rows);
                connection.commit();
            }
            catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
        }
    }

    @Override
    public int touch(long userId, long orderId) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return SuiteSql.touch(connection, ORDERS, userId, orderId);
        }
    }

    @Override
    public int delete(long userId, long logId) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return SuiteSql.delete(connection, LOG, userId, logId);
        }
    }

    @Override
    public void close() {
        try {
            this.resources.close();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Closing " + this.name + " failed", ex);
        }
    }

}
