package io.ddm.sample.order;

import java.math.BigDecimal;

/**
 * One line of an order. Items are sharded exactly like their order (binding group {@code orders}), so an order
 * and its items are always in the same physical table pair, e.g. {@code t_order_5} and {@code t_order_item_5}.
 *
 * @param itemId the id, a snowflake id
 * @param product the product
 * @param quantity how many
 * @param unitPrice price of one
 */
public record OrderItem(long itemId, String product, int quantity, BigDecimal unitPrice) {
}
