package io.ddm.sample.routing;

import java.util.Comparator;
import java.util.List;

import io.ddm.endpoint.RouteDescriptor;

import org.springframework.http.HttpHeaders;

/**
 * Where a statement runs, as DDM routes it: how many shards, which shard databases, on which nodes, in which
 * physical tables. Answers carry it as {@code X-DDM-*} response headers.
 *
 * @param route {@code single-shard}, {@code multi-shard} or {@code all-shards}
 * @param shards shard databases, e.g. {@code shop_3}
 * @param nodes nodes holding those shards, e.g. {@code ds1}
 * @param tables physical tables, e.g. {@code t_order_6}
 */
public record ShardRoute(String route, List<String> shards, List<String> nodes, List<String> tables) {

    /** Header naming the route kind. */
    public static final String ROUTE_HEADER = "X-DDM-Route";

    /** Header listing the shard databases. */
    public static final String SHARD_HEADER = "X-DDM-Shard";

    /** Header listing the nodes. */
    public static final String NODE_HEADER = "X-DDM-Node";

    /** Header listing the physical tables. */
    public static final String TABLES_HEADER = "X-DDM-Tables";

    /** Orders {@code t_order_10} after {@code t_order_9}: by the name without its number, then by the number. */
    private static final Comparator<String> NATURAL_ORDER = Comparator.comparing((String name) -> name.replaceAll("[0-9]+$", ""))
        .thenComparingLong((name) -> {
            String digits = name.replaceAll("^.*?([0-9]*)$", "$1");
            return digits.isEmpty() ? -1 : Long.parseLong(digits);
        });

    static ShardRoute of(RouteDescriptor descriptor) {
        List<RouteDescriptor.UnitDescriptor> units = descriptor.units();
        return new ShardRoute(descriptor.route(), distinct(units.stream().map(RouteDescriptor.UnitDescriptor::database).toList()),
                distinct(units.stream().map(RouteDescriptor.UnitDescriptor::node).toList()),
                distinct(units.stream().flatMap((unit) -> unit.tables().stream()).toList()));
    }

    private static List<String> distinct(List<String> values) {
        return values.stream().distinct().sorted(NATURAL_ORDER).toList();
    }

    /**
     * The route as response headers.
     * @return the headers
     */
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(ROUTE_HEADER, this.route);
        headers.set(SHARD_HEADER, String.join(",", this.shards));
        headers.set(NODE_HEADER, String.join(",", this.nodes));
        headers.set(TABLES_HEADER, String.join(",", this.tables));
        return headers;
    }

}
