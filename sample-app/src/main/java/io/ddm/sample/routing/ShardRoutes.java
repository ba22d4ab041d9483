package io.ddm.sample.routing;

import java.util.Arrays;

import io.ddm.datasource.DdmDataSource;
import io.ddm.endpoint.RoutePreview;
import io.ddm.routing.PrimaryRouting;

import org.springframework.stereotype.Component;

/**
 * Tells where a statement runs by asking DDM itself: {@link RoutePreview} runs ShardingSphere's parser and router
 * on the same SQL and parameters the repositories execute, without executing anything. So the shard an answer
 * names is the one DDM routed to, not a formula copied into the application.
 */
@Component
public class ShardRoutes {

    private final RoutePreview preview;

    public ShardRoutes(DdmDataSource dataSource) {
        this.preview = new RoutePreview(dataSource);
    }

    /**
     * The route of a statement.
     * @param sql the logical SQL, with {@code ?} placeholders
     * @param parameters the placeholder values
     * @return where it runs
     */
    public ShardRoute of(String sql, Object... parameters) {
        // Previewed as a primary read: a replica read would take a turn of the replicas' load balancer, shifting
        // the real reads' rotation. The shard, node and physical tables are the same either way.
        return ShardRoute.of(PrimaryRouting.call(() -> this.preview.route(sql, Arrays.asList(parameters))));
    }

}
