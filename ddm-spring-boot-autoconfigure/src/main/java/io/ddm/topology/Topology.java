package io.ddm.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated shape of a DDM logical database: nodes and their servers, shard placement, and the layout of
 * every configured logical table. Built once from the properties; routing, pools, the endpoint and health all
 * read it.
 */
public final class Topology {

    private final String schema;

    private final List<Node> nodes;

    private final ShardPlacement placement;

    private final Map<String, TableLayout> tables;

    private final int defaultShard;

    private final LoadBalancer loadBalancer;

    /**
     * Creates a topology. Callers validate first.
     * @param schema logical schema
     * @param nodes nodes in declaration order
     * @param placement shard placement
     * @param tables sharded and broadcast table layouts by logical name
     * @param defaultShard shard of single tables
     * @param loadBalancer how reads outside transactions pick a replica
     */
    public Topology(String schema, List<Node> nodes, ShardPlacement placement, Map<String, TableLayout> tables,
            int defaultShard, LoadBalancer loadBalancer) {
        this.schema = schema;
        this.nodes = List.copyOf(nodes);
        this.placement = placement;
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        this.defaultShard = defaultShard;
        this.loadBalancer = loadBalancer;
    }

    /**
     * The same topology with shards placed elsewhere: after a shard move, or where the servers record a placement
     * that differs from the configured one.
     * @param newPlacement the placement, with the same number of shards, on nodes of this topology
     * @return the topology
     */
    public Topology withPlacement(ShardPlacement newPlacement) {
        if (newPlacement.shards() != shards()) {
            throw new IllegalArgumentException("A placement of " + newPlacement.shards() + " shards for a topology of " + shards());
        }
        for (int shard = 0; shard < newPlacement.shards(); shard++) {
            node(newPlacement.nodeOf(shard));
        }
        return new Topology(this.schema, this.nodes, newPlacement, this.tables, this.defaultShard, this.loadBalancer);
    }

    public String schema() {
        return this.schema;
    }

    public List<Node> nodes() {
        return this.nodes;
    }

    public ShardPlacement placement() {
        return this.placement;
    }

    public int shards() {
        return this.placement.shards();
    }

    public Map<String, TableLayout> tables() {
        return this.tables;
    }

    public int defaultShard() {
        return this.defaultShard;
    }

    public LoadBalancer loadBalancer() {
        return this.loadBalancer;
    }

    /**
     * The node with a name.
     * @param name node name
     * @return the node
     * @throws IllegalArgumentException for an unknown name
     */
    public Node node(String name) {
        for (Node each : this.nodes) {
            if (each.name().equals(name)) {
                return each;
            }
        }
        throw new IllegalArgumentException("Unknown node '" + name + "'");
    }

    /**
     * The shard database names, by shard index.
     * @return shard databases
     */
    public List<String> shardDatabases() {
        List<String> result = new ArrayList<>(shards());
        for (int shard = 0; shard < shards(); shard++) {
            result.add(PhysicalNames.shardDatabase(this.schema, shard));
        }
        return result;
    }

    /**
     * The shard database of single (unsharded) tables.
     * @return default shard database
     */
    public String defaultShardDatabase() {
        return PhysicalNames.shardDatabase(this.schema, this.defaultShard);
    }

}
