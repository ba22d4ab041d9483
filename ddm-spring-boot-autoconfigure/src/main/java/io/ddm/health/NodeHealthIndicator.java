package io.ddm.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.health.ServerProbe.ServerState;
import io.ddm.routing.health.PrimaryHealthMonitor;
import io.ddm.routing.health.ReplicaHealthMonitor;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one node, from a real round trip to its primary and to each replica on their check connections (never a
 * pooled one): {@code DOWN} when the primary does not answer (writes to the node's shards fail),
 * {@link DdmHealthStatus#DEGRADED} when the primary answers but a replica does not, {@code UP} otherwise. Each
 * server's own status is in the details, with its pools: a saturated pool ({@code pool.saturated}, threads waiting,
 * the longest wait) is reported there and changes no status, since a busy server is not a dead one. A node that holds
 * no shard (a spare node, a move target) shows {@code shards: []} and is judged the same way, except that its dead
 * primary is {@link DdmHealthStatus#SPARE_DOWN}: no statement fails because of it.
 */
public class NodeHealthIndicator implements HealthIndicator {

    private final Topology topology;

    private final Node node;

    private final ServerProbe probe;

    private final ReplicaHealthMonitor replicaMonitor;

    private final PrimaryHealthMonitor primaryMonitor;

    /**
     * Creates the indicator of one node.
     * @param topology the topology
     * @param node the node
     * @param probe probes the node's servers
     * @param replicaMonitor the read-rotation state of replicas, or {@code null} when replica health is off
     * @param primaryMonitor the recorded outages of primaries, or {@code null} when primary health is off
     */
    public NodeHealthIndicator(Topology topology, Node node, ServerProbe probe, ReplicaHealthMonitor replicaMonitor,
            PrimaryHealthMonitor primaryMonitor) {
        this.topology = topology;
        this.node = node;
        this.probe = probe;
        this.replicaMonitor = replicaMonitor;
        this.primaryMonitor = primaryMonitor;
    }

    @Override
    public Health health() {
        List<Server> servers = new ArrayList<>();
        servers.add(this.node.primary());
        servers.addAll(this.node.replicas());
        Map<Server, ServerState> states = this.probe.probe(servers);
        ServerState primary = states.get(this.node.primary());
        Map<String, Object> replicas = new LinkedHashMap<>();
        boolean replicaDown = false;
        for (Server replica : this.node.replicas()) {
            ServerState state = states.get(replica);
            replicaDown |= !state.up();
            Map<String, Object> details = details(state);
            if (this.replicaMonitor != null) {
                // Whether reads are routed to it: routing's own checks, which may lag this probe by a few seconds.
                details.put("inReadRotation", this.replicaMonitor.isInRotation(replica.name()));
            }
            replicas.put(replica.name(), details);
        }
        boolean spare = this.topology.placement().shardsOn(this.node.name()).isEmpty();
        Status status = !primary.up() ? (spare ? DdmHealthStatus.SPARE_DOWN : Status.DOWN)
                : (replicaDown ? DdmHealthStatus.DEGRADED : Status.UP);
        Map<String, Object> primaryDetails = details(primary);
        if (this.primaryMonitor != null) {
            // Whether the node's statements fail at once: routing's own checks, which may lag this probe.
            primaryDetails.put("failingFast", !this.primaryMonitor.isAvailable(this.node.name()));
        }
        Health.Builder health = Health.status(status).withDetail("primary", primaryDetails);
        if (!replicas.isEmpty()) {
            health.withDetail("replicas", replicas);
        }
        List<String> shards = new ArrayList<>();
        this.topology.placement().shardsOn(this.node.name())
            .forEach((shard) -> shards.add(PhysicalNames.shardDatabase(this.topology.schema(), shard)));
        return health.withDetail("shards", shards).build();
    }

    private static Map<String, Object> details(ServerState state) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("server", state.server().name());
        result.put("status", state.up() ? Status.UP.getCode() : Status.DOWN.getCode());
        result.put("address", JdbcUrls.hostAndPort(state.server().url()));
        if (state.up()) {
            result.put("latencyMillis", state.latency().toNanos() / 1_000_000.0);
        }
        else {
            result.put("error", state.error());
        }
        if (state.replication() != null) {
            if (state.replication().stopped() != null) {
                result.put("replicationStopped", state.replication().stopped());
            }
            else if (state.replication().lag() != null) {
                result.put("replicationLagSeconds", state.replication().lag().toSeconds());
            }
        }
        result.put("pool", state.pool());
        return result;
    }

}
