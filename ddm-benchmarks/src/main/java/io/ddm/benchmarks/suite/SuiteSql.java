package io.ddm.benchmarks.suite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The suite's statements, each prepared and executed on a given connection, for a logical table ({@code t_order},
 * routed by DDM or ShardingSphere) or a physical one ({@code t_order_17}, run directly).
 */
final class SuiteSql {

    private static final String ORDER_COLUMNS = "order_id, user_id, status, amount_cents";

    private SuiteSql() {
    }

    static Order pointSelect(Connection connection, String orderTable, long userId, long orderId) throws SQLException {
        List<Order> orders = orders(connection, "SELECT " + ORDER_COLUMNS + " FROM " + orderTable + " WHERE user_id = ? AND order_id = ?",
                userId, orderId);
        return orders.isEmpty() ? null : orders.get(0);
    }

    static List<Order> range(Connection connection, String orderTable, long userId, long fromOrderId, long toOrderId)
            throws SQLException {
        return orders(connection, "SELECT " + ORDER_COLUMNS + " FROM " + orderTable
                + " WHERE user_id = ? AND order_id BETWEEN ? AND ? ORDER BY order_id", userId, fromOrderId, toOrderId);
    }

    static List<Order> largestOrders(Connection connection, String orderTable, int limit) throws SQLException {
        return orders(connection, "SELECT " + ORDER_COLUMNS + " FROM " + orderTable + " ORDER BY amount_cents DESC, order_id LIMIT ?",
                limit);
    }

    /** Adds the order counts by status of a table to a total. */
    static void addCountsByStatus(Connection connection, String orderTable, Map<String, Long> totals) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT status, COUNT(*) AS orders FROM " + orderTable
                + " GROUP BY status ORDER BY status"); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                totals.merge(rows.getString(1), rows.getLong(2), Long::sum);
            }
        }
    }

    /** Inserts rows, one row as one statement, more as one JDBC batch. */
    static void insert(Connection connection, String logTable, List<LogRow> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + logTable
                + " (log_id, user_id, amount_cents) VALUES (?, ?, ?)")) {
            for (LogRow row : rows) {
                statement.setLong(1, row.logId());
                statement.setLong(2, row.userId());
                statement.setInt(3, row.amountCents());
                if (rows.size() == 1) {
                    statement.executeUpdate();
                    return;
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static int touch(Connection connection, String orderTable, long userId, long orderId) throws SQLException {
        return update(connection, "UPDATE " + orderTable + " SET updates = updates + 1 WHERE user_id = ? AND order_id = ?", userId,
                orderId);
    }

    static int delete(Connection connection, String logTable, long userId, long logId) throws SQLException {
        return update(connection, "DELETE FROM " + logTable + " WHERE user_id = ? AND log_id = ?", userId, logId);
    }

    private static int update(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static List<Order> orders(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            List<Order> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(new Order(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getInt(4)));
                }
            }
            return result;
        }
    }

    private static void bind(PreparedStatement statement, long... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setLong(i + 1, parameters[i]);
        }
    }

}
