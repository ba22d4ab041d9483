package io.ddm.algorithm;

import java.util.List;
import java.util.Map;

import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;

/**
 * Parameters of the sharding functions that take any.
 *
 * @param shiftBits bits for right-shift
 * @param ranges key ranges for range
 * @param lists key value (as text) to shard, for list
 */
public record FunctionParameters(int shiftBits, List<KeyRangeTarget> ranges, Map<String, Integer> lists) {

    /** No parameters. */
    public static final FunctionParameters NONE = new FunctionParameters(0, List.of(), Map.of());

    public FunctionParameters {
        ranges = List.copyOf(ranges);
        lists = Map.copyOf(lists);
    }

    @Override
    public String toString() {
        if (!this.ranges.isEmpty()) {
            return "ranges " + this.ranges;
        }
        if (!this.lists.isEmpty()) {
            return "lists " + new java.util.TreeMap<>(this.lists);
        }
        return "shift-bits " + this.shiftBits;
    }

}
