package io.ddm.sample.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * Revenue per region across all shards.
 *
 * @param regions one line per region that has orders, by region code
 * @param orders all orders
 * @param revenue all revenue
 */
public record RevenueReport(List<RegionRevenue> regions, long orders, BigDecimal revenue) {

    static RevenueReport of(List<RegionRevenue> regions) {
        return new RevenueReport(regions, regions.stream().mapToLong(RegionRevenue::orders).sum(),
                regions.stream().map(RegionRevenue::revenue).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

}
