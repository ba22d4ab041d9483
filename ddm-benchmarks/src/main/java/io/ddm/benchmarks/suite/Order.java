package io.ddm.benchmarks.suite;

/**
 * One row of {@code t_order} as every contender reads it.
 * @param orderId the primary key
 * @param userId the sharding key
 * @param status the status
 * @param amountCents the amount
 */
public record Order(long orderId, long userId, String status, int amountCents) {
}
