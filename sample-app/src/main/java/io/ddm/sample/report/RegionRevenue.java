package io.ddm.sample.report;

import java.math.BigDecimal;

/**
 * Orders and revenue of one region, summed over every shard.
 *
 * @param region the region's code
 * @param name the region's name
 * @param orders number of orders
 * @param revenue sum of the orders' totals
 */
public record RegionRevenue(String region, String name, long orders, BigDecimal revenue) {
}
