package io.ddm.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node hosts each shard database. Routing consults only this object to turn a shard index into a node,
 * so elastic scaling can move whole shards to new nodes by changing the placement, with no re-hashing.
 */
public final class ShardPlacement {

    private final List<String> nodeByShard;

    private ShardPlacement(List<String> nodeByShard) {
        this.nodeByShard = List.copyOf(nodeByShard);
    }

    /**
     * The default placement: an even, contiguous split in node order (8 shards on 2 nodes: 0-3 on the first,
     * 4-7 on the second); when shards do not divide evenly the first nodes get one more.
     * @param nodes node names in declaration order
     * @param shards number of shards
     * @return the placement
     */
    public static ShardPlacement evenSplit(List<String> nodes, int shards) {
        List<String> result = new ArrayList<>(shards);
        int base = shards / nodes.size();
        int remainder = shards % nodes.size();
        for (int node = 0; node < nodes.size(); node++) {
            int count = base + ((node < remainder) ? 1 : 0);
            for (int i = 0; i < count; i++) {
                result.add(nodes.get(node));
            }
        }
        return new ShardPlacement(result);
    }

    /**
     * A placement given shard by shard.
     * @param nodeByShard the node name of shard 0, 1, ...
     * @return the placement
     */
    public static ShardPlacement of(List<String> nodeByShard) {
        return new ShardPlacement(nodeByShard);
    }

    /**
     * The number of shards.
     * @return shard count
     */
    public int shards() {
        return this.nodeByShard.size();
    }

    /**
     * The node hosting a shard.
     * @param shard shard index
     * @return node name
     */
    public String nodeOf(int shard) {
        return this.nodeByShard.get(shard);
    }

    /**
     * The shards a node hosts, ascending.
     * @param node node name
     * @return shard indexes
     */
    public List<Integer> shardsOn(String node) {
        List<Integer> result = new ArrayList<>();
        for (int shard = 0; shard < this.nodeByShard.size(); shard++) {
            if (this.nodeByShard.get(shard).equals(node)) {
                result.add(shard);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * Node name to the shards it hosts, in first-shard order.
     * @return the placement as a map
     */
    public Map<String, List<Integer>> asMap() {
        Map<String, List<Integer>> result = new LinkedHashMap<>();
        for (String node : this.nodeByShard) {
            result.computeIfAbsent(node, this::shardsOn);
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

}
