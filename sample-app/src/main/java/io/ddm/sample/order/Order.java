package io.ddm.sample.order;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/**
 * An order with its items.
 *
 * @param orderId the id, a snowflake id
 * @param userId the customer, the sharding key
 * @param region code of the region the order counts for (the user's region when it was placed)
 * @param status {@code NEW}
 * @param total sum of the items' quantity times unit price
 * @param createdAt when it was placed (UTC)
 * @param items the items
 */
public record Order(long orderId, long userId, String region, String status, BigDecimal total, LocalDateTime createdAt,
        List<OrderItem> items) {
}
