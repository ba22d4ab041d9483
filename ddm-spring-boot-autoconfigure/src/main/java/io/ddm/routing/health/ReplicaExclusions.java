package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.routing.rotation.ReadRotation;
import io.ddm.routing.rotation.ReadRotationHolder;
import io.ddm.topology.Server;

/**
 * Applies the {@link ReplicaHealthMonitor}'s decisions, none by touching ShardingSphere's rules: a new
 * {@link ReadRotation} snapshot for DDM's load balancer (new reads avoid an excluded replica), the replica's
 * availability on its pools (reads already routed to it and still waiting for a connection go to the read fallback
 * instead), and, for a replica that failed rather than lagged, one eviction of its pooled connections. Callers
 * serialize the calls.
 */
final class ReplicaExclusions {

    private final PhysicalDataSources pools;

    private final ReadRotationHolder rotation;

    ReplicaExclusions(PhysicalDataSources pools, ReadRotationHolder rotation) {
        this.pools = pools;
        this.rotation = rotation;
    }

    /**
     * Makes a replica's pool hand its reads to the {@link #fallbackConnection read fallback} while the replica is out.
     * @param pool a replica's pool
     */
    void routeAroundWhenExcluded(PhysicalPool pool) {
        pool.dataSource().setReadFallback(() -> fallbackConnection(pool));
    }

    /**
     * Takes a replica out: first out of routing, then out of its pools.
     * @param replica the replica
     * @param reason why
     * @param evict whether its pooled connections died with it
     * @param excluded every replica out of rotation now, this one included
     */
    void exclude(Server replica, String reason, boolean evict, Collection<Server> excluded) {
        publish(excluded);
        this.pools.availability(replica.name()).markDown(reason);
        if (evict) {
            // Its connections most likely died with it: drop them once, not once per failing read.
            this.pools.poolsOf(replica.name()).forEach((pool) -> pool.dataSource().evictConnections());
        }
    }

    /**
     * Puts a replica back: first into its pools, then into routing.
     * @param replica the replica
     * @param excluded every replica still out of rotation
     */
    void readmit(Server replica, Collection<Server> excluded) {
        this.pools.availability(replica.name()).markUp();
        publish(excluded);
    }

    /** A new snapshot, replacing the previous one whole. */
    private void publish(Collection<Server> excluded) {
        List<String> dataSources = new ArrayList<>();
        excluded.forEach((replica) -> this.pools.poolsOf(replica.name()).forEach((pool) -> dataSources.add(pool.dataSourceName())));
        this.rotation.publish(ReadRotation.excluding(dataSources));
    }

    /**
     * A connection to the same shard database for a read that was routed to a replica now out of rotation: another
     * replica of the shard in rotation, else the shard's primary (which fails fast while it is down itself).
     */
    private Connection fallbackConnection(PhysicalPool excluded) throws SQLException {
        PhysicalPool primary = null;
        for (PhysicalPool pool : this.pools.pools()) {
            if (pool == excluded || pool.shard() != excluded.shard() || !pool.server().node().equals(excluded.server().node())) {
                continue;
            }
            if (pool.server().role() == Server.Role.PRIMARY) {
                primary = pool;
            }
            else if (pool.dataSource().getAvailability().isAvailable()) {
                return pool.dataSource().getConnection();
            }
        }
        if (primary == null) {
            throw new SQLException("Replica " + excluded.server().name() + " is out of the read rotation and shard "
                    + excluded.database() + " has no other server to read from", "08001");
        }
        return primary.dataSource().getConnection();
    }

}
