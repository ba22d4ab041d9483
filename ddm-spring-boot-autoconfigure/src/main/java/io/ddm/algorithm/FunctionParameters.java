package io.ddm.algorithm;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;

/**
 * Parameters of the sharding functions that take any.
 *
 * @param shiftBits bits for right-shift
 * @param ranges key ranges for range
 * @param lists key value (as text) to target, for list
 * @param dateFunction DDM's date function applied to a date key before range or hash, or {@code null}
 * @param defaultTarget target of range keys in no range (DDM's {@code default=N}), or {@code null} for none
 */
public record FunctionParameters(int shiftBits, List<KeyRangeTarget> ranges, Map<String, Integer> lists,
        DateFunction dateFunction, Integer defaultTarget) {

    /** No parameters. */
    public static final FunctionParameters NONE = new FunctionParameters(0, List.of(), Map.of());

    public FunctionParameters {
        ranges = List.copyOf(ranges);
        lists = Map.copyOf(lists);
    }

    /**
     * Parameters without a date function or default target.
     * @param shiftBits bits for right-shift
     * @param ranges key ranges for range
     * @param lists key value (as text) to target, for list
     */
    public FunctionParameters(int shiftBits, List<KeyRangeTarget> ranges, Map<String, Integer> lists) {
        this(shiftBits, ranges, lists, null, null);
    }

    @Override
    public String toString() {
        StringJoiner result = new StringJoiner(" ");
        if (this.dateFunction != null) {
            result.add(this.dateFunction.propertyName() + "()");
        }
        if (!this.ranges.isEmpty()) {
            result.add("ranges " + this.ranges + ((this.defaultTarget != null) ? " default " + this.defaultTarget : ""));
        }
        else if (!this.lists.isEmpty()) {
            result.add("lists " + new java.util.TreeMap<>(this.lists));
        }
        else if (this.dateFunction == null) {
            result.add("shift-bits " + this.shiftBits);
        }
        return result.toString();
    }

}
