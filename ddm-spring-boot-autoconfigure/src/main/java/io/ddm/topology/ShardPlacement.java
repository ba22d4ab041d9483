package io.ddm.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node hosts each shard database. Routing consults only this object to turn a shard index into a node,
 * so elastic scaling can move whole shards to new nodes by changing the placement, with no re-hashing.
 */
public final class ShardPlacement {

    /**
     * The order nodes take in the default placement: by name, with numbers compared as numbers (ds2 before
     * ds10). Not declaration order: environment variables and other property sources do not keep it, and a
     * placement that changed between deployments would look for rows on the wrong nodes.
     */
    public static final Comparator<String> NODE_ORDER = ShardPlacement::compareNodeNames;

    private final List<String> nodeByShard;

    private ShardPlacement(List<String> nodeByShard) {
        this.nodeByShard = List.copyOf(nodeByShard);
    }

    /**
     * The default placement: an even, contiguous split in {@link #NODE_ORDER} (8 shards on 2 nodes: 0-3 on ds0,
     * 4-7 on ds1); when shards do not divide evenly the first nodes get one more.
     * @param nodes node names, in {@link #NODE_ORDER}
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
     * @return shard indexes, empty for a node that hosts none (a spare node, a move target)
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
     * @return the placement as a map, without the nodes that host no shard
     */
    public Map<String, List<Integer>> asMap() {
        Map<String, List<Integer>> result = new LinkedHashMap<>();
        for (String node : this.nodeByShard) {
            result.computeIfAbsent(node, this::shardsOn);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * The same placement with one shard on another node.
     * @param shard the shard
     * @param node its node
     * @return the placement
     */
    public ShardPlacement withShardOn(int shard, String node) {
        List<String> result = new ArrayList<>(this.nodeByShard);
        result.set(shard, node);
        return new ShardPlacement(result);
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof ShardPlacement placement) && placement.nodeByShard.equals(this.nodeByShard);
    }

    @Override
    public int hashCode() {
        return this.nodeByShard.hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    private static int compareNodeNames(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (Character.isDigit(a.charAt(i)) && Character.isDigit(b.charAt(j))) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int compared = new java.math.BigInteger(a.substring(i, endA)).compareTo(new java.math.BigInteger(b.substring(j, endB)));
                if (compared != 0) {
                    return compared;
                }
                i = endA;
                j = endB;
            }
            else {
                int compared = Character.compare(a.charAt(i), b.charAt(j));
                if (compared != 0) {
                    return compared;
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(a.length() - i, b.length() - j);
        return (byLength != 0) ? byLength : a.compareTo(b);
    }

    private static int digitsEnd(String text, int start) {
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

}
