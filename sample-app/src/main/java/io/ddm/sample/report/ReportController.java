package io.ddm.sample.report;

import java.util.List;

import io.ddm.sample.routing.Routed;
import io.ddm.sample.routing.ShardRoutes;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /reports/revenue-by-region}: one aggregate query over every shard. It has no sharding key, so DDM runs it
 * on all shard databases (on their replicas) and merges the groups: counts and sums add up across shards.
 */
@RestController
public class ReportController {

    /** Orders joined with the broadcast {@code t_region}, whose copy sits in every shard next to the orders. */
    static final String REVENUE_BY_REGION = "SELECT r.code, r.name, COUNT(o.order_id) AS orders, SUM(o.total) AS revenue"
            + " FROM t_order o JOIN t_region r ON r.region_id = o.region_id GROUP BY r.code, r.name ORDER BY r.code";

    private final JdbcClient jdbc;

    private final ShardRoutes routes;

    public ReportController(JdbcClient jdbc, ShardRoutes routes) {
        this.jdbc = jdbc;
        this.routes = routes;
    }

    @GetMapping("/reports/revenue-by-region")
    public ResponseEntity<RevenueReport> revenueByRegion() {
        List<RegionRevenue> regions = this.jdbc.sql(REVENUE_BY_REGION)
            .query((row, number) -> new RegionRevenue(row.getString("code"), row.getString("name"), row.getLong("orders"),
                    row.getBigDecimal("revenue")))
            .list();
        return new Routed<>(RevenueReport.of(regions), this.routes.of(REVENUE_BY_REGION)).toResponse(HttpStatus.OK);
    }

}
