package io.ddm.metrics;

import io.ddm.routing.health.PrimaryHealthMonitor;
import io.ddm.routing.health.ReplicaHealthMonitor;
import io.ddm.routing.health.ReplicaState;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * What the primary and replica checks decided, per server: whether each primary is taken to be up
 * ({@code ddm.primary.available}, 1 or 0) and how often it was recorded down ({@code ddm.primary.outages}),
 * whether each replica is in the read rotation ({@code ddm.replica.in.rotation}) and how often it was excluded
 * ({@code ddm.replica.exclusions}). Alerting on the counters catches outages shorter than a scrape interval.
 */
final class ServerAvailabilityMetrics {

    private ServerAvailabilityMetrics() {
    }

    static void bindTo(Topology topology, PrimaryHealthMonitor primaries, ReplicaHealthMonitor replicas, MeterRegistry registry) {
        for (Node node : topology.nodes()) {
            if (primaries != null) {
                bindPrimary(node.primary(), primaries, registry);
            }
            if (replicas != null) {
                for (Server replica : node.replicas()) {
                    bindReplica(replica, replicas, registry);
                }
            }
        }
    }

    private static void bindPrimary(Server primary, PrimaryHealthMonitor monitor, MeterRegistry registry) {
        Tags tags = Tags.of("node", primary.node(), "server", primary.name());
        Gauge.builder("ddm.primary.available", monitor, (watching) -> watching.isAvailable(primary.node()) ? 1 : 0)
            .description("Whether the node's primary is taken to be up (1) or down (0): while down, its shards fail at once")
            .tags(tags)
            .register(registry);
        FunctionCounter.builder("ddm.primary.outages", monitor, (watching) -> watching.outages(primary.node()))
            .description("Times the node's primary was recorded down")
            .tags(tags)
            .register(registry);
    }

    private static void bindReplica(Server replica, ReplicaHealthMonitor monitor, MeterRegistry registry) {
        Tags tags = Tags.of("node", replica.node(), "server", replica.name());
        Gauge.builder("ddm.replica.in.rotation", monitor, (watching) -> watching.isInRotation(replica.name()) ? 1 : 0)
            .description("Whether reads are routed to the replica (1) or it is excluded (0)")
            .tags(tags)
            .register(registry);
        FunctionCounter.builder("ddm.replica.exclusions", monitor, (watching) -> {
            ReplicaState state = watching.states().get(replica.name());
            return (state != null) ? state.exclusions() : 0;
        })
            .description("Times the replica was excluded from reads")
            .tags(tags)
            .register(registry);
    }

}
