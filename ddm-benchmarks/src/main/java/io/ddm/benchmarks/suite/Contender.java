package io.ddm.benchmarks.suite;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One way to run the suite's statements. Every method borrows a connection, prepares, executes and closes, as an
 * application using {@code JdbcTemplate} or {@code JdbcClient} does. Reads outside a transaction go to the replica of
 * the shard's node, writes to its primary.
 */
public interface Contender extends AutoCloseable {

    /**
     * The contender's name in the results.
     * @return e.g. {@code ddm}
     */
    String name();

    /**
     * One order by its sharding key and primary key.
     * @param userId the sharding key
     * @param orderId the order
     * @return the order, or {@code null} when there is none
     * @throws SQLException on a database error
     */
    Order pointSelect(long userId, long orderId) throws SQLException;

    /**
     * The orders of one user in an order id range (one shard, one table).
     * @param userId the sharding key
     * @param fromOrderId first order id, inclusive
     * @param toOrderId last order id, inclusive
     * @return the orders by order id
     * @throws SQLException on a database error
     */
    List<Order> range(long userId, long fromOrderId, long toOrderId) throws SQLException;

    /**
     * {@code COUNT(*)} of all orders by status, over every shard.
     * @return status to count, by status
     * @throws SQLException on a database error
     */
    Map<String, Long> countByStatus() throws SQLException;

    /**
     * The largest orders over every shard: {@code ORDER BY amount_cents DESC, order_id LIMIT n}.
     * @param limit n
     * @return the orders
     * @throws SQLException on a database error
     */
    List<Order> largestOrders(int limit) throws SQLException;

    /**
     * Inserts one row (auto-commit).
     * @param row the row
     * @throws SQLException on a database error
     */
    void insert(LogRow row) throws SQLException;

    /**
     * Inserts rows as one JDBC batch in one transaction.
     * @param rows the rows, of any shards
     * @throws SQLException on a database error
     */
    void insertBatch(List<LogRow> rows) throws SQLException;

    /**
     * Counts one more update of an order (auto-commit): {@code SET updates = updates + 1}.
     * @param userId the sharding key
     * @param orderId the order
     * @return rows updated
     * @throws SQLException on a database error
     */
    int touch(long userId, long orderId) throws SQLException;

    /**
     * Deletes one row of {@code t_order_log} by its sharding key and primary key (auto-commit).
     * @param userId the sharding key
     * @param logId the row
     * @return rows deleted
     * @throws SQLException on a database error
     */
    int delete(long userId, long logId) throws SQLException;

    @Override
    void close();

}
