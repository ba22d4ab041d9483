package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.ddm.placement.LivePlacement;
import io.ddm.placement.RecordedPlacement;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;

/**
 * Points the pools through which ShardingSphere reaches a shard at another node: ShardingSphere's rules and data source
 * names stay as they were at startup (nothing in ShardingSphere changes at run time), and the pools registered under
 * those names hand out connections to the shard's database on the new node's servers, which has the same name. A
 * primary's pool is served by the new node's primary, a replica's by one of the new node's replicas (or its primary when
 * it has none).
 */
public final class ShardRedirector {

    private final Topology topology;

    private final PhysicalDataSources physical;

    /**
     * Creates a redirector.
     * @param topology the topology
     * @param physical its pools
     */
    public ShardRedirector(Topology topology, PhysicalDataSources physical) {
        this.topology = topology;
        this.physical = physical;
    }

    /**
     * The pools through which a shard is served from a node now: those not redirected elsewhere.
     * @param shard the shard
     * @param node the node serving it
     * @return its pools, primary first
     */
    public List<PhysicalPool> servingPools(int shard, String node) {
        return this.physical.pools().stream()
            .filter((pool) -> pool.shard() == shard && pool.server().node().equals(node))
            .filter((pool) -> pool.dataSource().getShardSwitch() == null || !pool.dataSource().getShardSwitch().isRedirected())
            .toList();
    }

    /**
     * Opens the pools of a shard on the servers of the node that is to serve it; a replica's pool falls back to the
     * node's primary while the replica is down.
     * @param shard the shard
     * @param node the node
     * @param after the placement once the node serves the shard (for the budget rule)
     * @return the pools, primary first
     */
    public List<PhysicalPool> openTarget(int shard, String node, ShardPlacement after) {
        Node target = this.topology.node(node);
        List<Server> servers = new ArrayList<>();
        servers.add(target.primary());
        servers.addAll(target.replicas());
        List<PhysicalPool> pools = this.physical.openShard(this.topology, servers, shard, after.shardsOn(node).size());
        ServerDataSource primary = pools.get(0).dataSource();
        for (PhysicalPool replica : pools.subList(1, pools.size())) {
            replica.dataSource().setReadFallback(primary::getConnection);
        }
        return pools;
    }

    /**
     * Where the borrows of a shard's source pools go once redirected to the target's pools.
     * @param sourceNode the node the shard leaves
     * @param targetPools the target's pools, primary first
     * @return the redirect
     */
    public ShardSwitch.Redirect redirectTo(String sourceNode, List<PhysicalPool> targetPools) {
        List<Server> sourceReplicas = this.topology.node(sourceNode).replicas();
        return (ServerDataSource sourcePool) -> connectionFor(sourcePool, sourceReplicas, targetPools);
    }

    /**
     * Redirects a shard at once, without waiting for anything: for an instance that learns that another one moved it.
     * @param shard the shard
     * @param sourceNode the node it left
     * @param targetNode the node serving it now
     * @param after the placement now
     * @param moveId the move, named in errors
     */
    public void redirectNow(int shard, String sourceNode, String targetNode, ShardPlacement after, String moveId) {
        List<PhysicalPool> sources = servingPools(shard, sourceNode);
        List<PhysicalPool> targets = openTarget(shard, targetNode, after);
        ShardSwitch shardSwitch = new ShardSwitch(shard, moveId, targetNode);
        shardSwitch.redirect(redirectTo(sourceNode, targets));
        sources.forEach((pool) -> {
            pool.dataSource().setShardSwitch(shardSwitch);
        });
    }

    /**
     * Routes by a newer placement version that another instance recorded: redirects every shard it places elsewhere
     * than the current version, publishes it, and divides the pools' budgets again.
     * @param placement where this instance routes now
     * @param newer the newer version
     */
    public synchronized void follow(LivePlacement placement, RecordedPlacement newer) {
        ShardPlacement current = placement.current();
        for (int shard = 0; shard < current.shards(); shard++) {
            String from = current.nodeOf(shard);
            String to = newer.placement().nodeOf(shard);
            if (!from.equals(to)) {
                redirectNow(shard, from, to, newer.placement(), newer.moveId());
            }
        }
        placement.publish(newer);
        this.physical.rebalance(newer.placement());
    }

    private static Connection connectionFor(ServerDataSource sourcePool, List<Server> sourceReplicas, List<PhysicalPool> targetPools)
            throws SQLException {
        if (sourcePool.getServer().role() == Server.Role.PRIMARY || targetPools.size() == 1) {
            return targetPools.get(0).dataSource().getConnection();
        }
        int index = Math.max(0, sourceReplicas.indexOf(sourcePool.getServer()));
        return targetPools.get(1 + (index % (targetPools.size() - 1))).dataSource().getConnection();
    }

}
