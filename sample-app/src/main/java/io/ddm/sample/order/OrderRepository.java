package io.ddm.sample.order;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * {@code t_order} and {@code t_order_item}: one binding group sharded by {@code user_id} over every shard database and
 * two tables per shard. Every statement names the user, so DDM sends it to exactly one physical table pair. Reads
 * outside a transaction are served by the replica of the shard's node.
 */
@Repository
public class OrderRepository {

    private static final String SELECT = "SELECT o.order_id, o.user_id, r.code, o.status, o.total, o.created_at,"
            + " i.item_id, i.product, i.quantity, i.unit_price"
            + " FROM t_order o JOIN t_order_item i ON i.user_id = o.user_id AND i.order_id = o.order_id"
            + " JOIN t_region r ON r.region_id = o.region_id";

    /** One order of a user with its items: a join inside one shard (binding tables), plus the broadcast region. */
    public static final String FIND_ONE = SELECT + " WHERE o.user_id = ? AND o.order_id = ? ORDER BY i.item_id";

    /** All orders of a user with their items, newest first (snowflake ids grow with time). */
    public static final String FIND_BY_USER = SELECT + " WHERE o.user_id = ? ORDER BY o.order_id DESC, i.item_id";

    private static final String INSERT_ORDER = "INSERT INTO t_order (user_id, region_id, status, total, created_at)"
            + " VALUES (?, ?, ?, ?, ?)";

    private static final String INSERT_ITEM = "INSERT INTO t_order_item (order_id, user_id, product, quantity, unit_price)"
            + " VALUES (?, ?, ?, ?, ?)";

    private final JdbcClient jdbc;

    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts an order; DDM generates {@code order_id}.
     * @return the generated id
     */
    long insertOrder(long userId, int regionId, String status, BigDecimal total, LocalDateTime createdAt) {
        KeyHolder key = new GeneratedKeyHolder();
        this.jdbc.sql(INSERT_ORDER).params(userId, regionId, status, total, createdAt).update(key, "order_id");
        return key.getKeyAs(Long.class);
    }

    /**
     * Inserts an item; DDM generates {@code item_id} and routes the row by {@code user_id}, next to its order.
     * @return the generated id
     */
    long insertItem(long orderId, long userId, NewOrder.Item item) {
        KeyHolder key = new GeneratedKeyHolder();
        this.jdbc.sql(INSERT_ITEM).params(orderId, userId, item.product(), item.quantity(), item.unitPrice()).update(key, "item_id");
        return key.getKeyAs(Long.class);
    }

    public Optional<Order> findOne(long userId, long orderId) {
        return assemble(this.jdbc.sql(FIND_ONE).params(userId, orderId).query(OrderRepository::row).list()).stream().findFirst();
    }

    public List<Order> findByUser(long userId) {
        return assemble(this.jdbc.sql(FIND_BY_USER).param(userId).query(OrderRepository::row).list());
    }

    /** One row of the join: the order's columns repeated for each item. */
    private record Row(Order order, OrderItem item) {
    }

    private static Row row(ResultSet row, int number) throws SQLException {
        Order order = new Order(row.getLong("order_id"), row.getLong("user_id"), row.getString("code"), row.getString("status"),
                row.getBigDecimal("total"), row.getObject("created_at", LocalDateTime.class), List.of());
        OrderItem item = new OrderItem(row.getLong("item_id"), row.getString("product"), row.getInt("quantity"),
                row.getBigDecimal("unit_price"));
        return new Row(order, item);
    }

    /** Groups the joined rows into orders, keeping their order. */
    private static List<Order> assemble(List<Row> rows) {
        Map<Long, Order> orders = new LinkedHashMap<>();
        Map<Long, List<OrderItem>> items = new LinkedHashMap<>();
        for (Row row : rows) {
            orders.putIfAbsent(row.order().orderId(), row.order());
            items.computeIfAbsent(row.order().orderId(), (id) -> new ArrayList<>()).add(row.item());
        }
        return orders.values().stream()
            .map((order) -> new Order(order.orderId(), order.userId(), order.region(), order.status(), order.total(),
                    order.createdAt(), List.copyOf(items.get(order.orderId()))))
            .toList();
    }

}
