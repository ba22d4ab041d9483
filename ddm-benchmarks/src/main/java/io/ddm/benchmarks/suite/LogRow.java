package io.ddm.benchmarks.suite;

/**
 * One row written to {@code t_order_log}.
 * @param logId the primary key, unique over the whole run
 * @param userId the sharding key
 * @param amountCents a value
 */
public record LogRow(long logId, long userId, int amountCents) {
}
