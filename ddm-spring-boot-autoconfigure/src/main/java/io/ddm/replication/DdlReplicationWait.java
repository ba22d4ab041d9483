package io.ddm.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDL statements wait for the replicas: after a DDL statement succeeds on the primary of a node with replicas,
 * {@link DdlReplicationHook} waits (at most {@code ddm.read-write-splitting.replication-wait-timeout}) until the
 * node's replicas have applied it, so that a read right after {@code CREATE TABLE} or {@code ALTER TABLE}, which
 * goes to a replica, finds the change. A replica that does not catch up in time is logged as a warning and the
 * statement returns: it did succeed on the primary.
 *
 * <p>The hook, which ShardingSphere creates without any reference to a data source, finds the {@link ReplicaCatchUp}
 * of a node by the names of its primary's physical data sources, registered while the DDM data source runs. Two DDM
 * data sources in one JVM with the same schema and server names share names; the one registered last serves both.
 */
public final class DdlReplicationWait {

    /** The property bounding the wait. */
    public static final String TIMEOUT_PROPERTY = "ddm.read-write-splitting.replication-wait-timeout";

    private static final Logger logger = LoggerFactory.getLogger(DdlReplicationWait.class);

    /** Longest statement text a warning shows. */
    private static final int SHOWN_SQL = 200;

    private static final Map<String, List<ReplicaCatchUp>> BY_PRIMARY = new ConcurrentHashMap<>();

    private DdlReplicationWait() {
    }

    /**
     * Starts waiting for the replicas after DDL statements on the primaries of the nodes that have replicas.
     * @param topology the topology
     * @param physical its pools
     * @param timeout the longest wait for one statement
     * @return the registration, to close with the data source: it also closes the waits' connections
     */
    public static AutoCloseable register(Topology topology, PhysicalDataSources physical, Duration timeout) {
        Map<String, ReplicaCatchUp> byNode = new LinkedHashMap<>();
        for (Node node : topology.nodes()) {
            // a node holding no shard gets no DDL from DDM
            if (!node.replicas().isEmpty() && !topology.placement().shardsOn(node.name()).isEmpty()) {
                byNode.put(node.name(), new ReplicaCatchUp(node, timeout));
            }
        }
        Map<String, ReplicaCatchUp> byPrimary = new LinkedHashMap<>();
        for (PhysicalPool pool : physical.pools()) {
            ReplicaCatchUp catchUp = byNode.get(pool.server().node());
            if (catchUp != null && pool.server().role() == Server.Role.PRIMARY) {
                byPrimary.put(pool.dataSourceName(), catchUp);
            }
        }
        byPrimary.forEach((name, catchUp) -> BY_PRIMARY.merge(name, List.of(catchUp), DdlReplicationWait::concat));
        return () -> {
            byPrimary.forEach((name, catchUp) -> BY_PRIMARY.computeIfPresent(name, (key, registered) -> without(registered, catchUp)));
            byNode.values().forEach(ReplicaCatchUp::close);
        };
    }

    /**
     * The waits for the node whose primary a physical data source belongs to.
     * @param dataSourceName a physical data source name
     * @return the node's waits, or {@code null} when it is no registered primary's
     */
    static ReplicaCatchUp forPrimary(String dataSourceName) {
        if (BY_PRIMARY.isEmpty()) {
            return null;
        }
        List<ReplicaCatchUp> registered = BY_PRIMARY.get(dataSourceName);
        return (registered != null) ? registered.get(registered.size() - 1) : null;
    }

    /**
     * Waits for the replicas of a node after a DDL statement succeeded on its primary, and warns about each replica
     * that has not caught up.
     * @param catchUp the node's waits
     * @param sql the physical statement
     */
    static void afterDdl(ReplicaCatchUp catchUp, String sql) {
        for (ReplicaCatchUp.Straggler straggler : catchUp.await()) {
            logger.warn("Replica '{}' of node '{}' {} ({}={} ms). The DDL statement succeeded on the primary but reads from that"
                    + " replica may not see it yet: {}. Check that the replica's replication runs and keeps up (SHOW REPLICA"
                    + " STATUS; on MariaDB SHOW SLAVE STATUS); DDL statements within the next {} ms do not wait for it.",
                    straggler.replica().name(), catchUp.node().name(), straggler.problem(), TIMEOUT_PROPERTY,
                    catchUp.timeout().toMillis(), abbreviate(sql), catchUp.timeout().toMillis());
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return (oneLine.length() > SHOWN_SQL) ? oneLine.substring(0, SHOWN_SQL) + "..." : oneLine;
    }

    private static List<ReplicaCatchUp> concat(List<ReplicaCatchUp> registered, List<ReplicaCatchUp> added) {
        List<ReplicaCatchUp> result = new ArrayList<>(registered);
        result.addAll(added);
        return List.copyOf(result);
    }

    private static List<ReplicaCatchUp> without(List<ReplicaCatchUp> registered, ReplicaCatchUp removed) {
        List<ReplicaCatchUp> result = new ArrayList<>(registered);
        result.remove(removed);
        return result.isEmpty() ? null : List.copyOf(result);
    }

}
