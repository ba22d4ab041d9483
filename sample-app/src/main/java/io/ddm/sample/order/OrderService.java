package io.ddm.sample.order;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.ddm.sample.user.Region;
import io.ddm.sample.user.UserRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders. An order and its items are written in one local transaction on one shard database: they share the
 * sharding key {@code user_id}, so the transaction never spans shards and is atomic.
 */
@Service
public class OrderService {

    /** Status of a newly placed order. */
    static final String NEW = "NEW";

    private final OrderRepository orders;

    private final UserRepository users;

    public OrderService(OrderRepository orders, UserRepository users) {
        this.orders = orders;
        this.users = users;
    }

    /**
     * Places an order for a user.
     * @param userId the user
     * @param order the items
     * @return the order, empty if there is no such user
     */
    @Transactional
    public Optional<Order> place(long userId, NewOrder order) {
        // Inside the transaction this read goes to the primary, so a user created a moment ago is found.
        Optional<Region> region = this.users.regionOfUser(userId);
        if (region.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal total = order.items().stream()
            .map((item) -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
            .reduce(BigDecimal.ZERO, BigDecimal::add)
            .setScale(2);
        LocalDateTime createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        long orderId = this.orders.insertOrder(userId, region.get().regionId(), NEW, total, createdAt);
        List<OrderItem> items = new ArrayList<>();
        for (NewOrder.Item item : order.items()) {
            long itemId = this.orders.insertItem(orderId, userId, item);
            items.add(new OrderItem(itemId, item.product(), item.quantity(), item.unitPrice().setScale(2)));
        }
        return Optional.of(new Order(orderId, userId, region.get().code(), NEW, total, createdAt, List.copyOf(items)));
    }

}
