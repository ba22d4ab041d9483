package io.ddm.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddm.algorithm.FunctionParameters;
import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.config.DdmProperties.KeyRange;
import io.ddm.config.DdmProperties.Sharding;
import io.ddm.topology.TableLayout.Strategy;

/**
 * Turns one {@code database-sharding} or {@code table-sharding} property block into a {@link Strategy}: a column,
 * an algorithm allowed at its level, and the algorithm's parameters (shift bits, ranges with their default, lists,
 * date function) checked against the shards or tables they map to. Used by {@link TableLayoutFactory}.
 */
final class ShardingStrategyFactory {

    private ShardingStrategyFactory() {
    }

    /**
     * The strategy of one {@code database-sharding} or {@code table-sharding} block.
     * @param sharding the bound block
     * @param path its property path, for errors
     * @param targets shards (database level) or tables per shard (table level)
     * @param databaseLevel whether the block shards databases
     * @return the strategy
     * @throws DdmConfigurationException on the first problem found
     */
    static Strategy create(Sharding sharding, String path, int targets, boolean databaseLevel) {
        if (sharding.getColumn() == null || sharding.getColumn().isBlank()) {
            throw new DdmConfigurationException(path + ".column", "no sharding column is set",
                    "Set the column whose value decides where a row goes, e.g. " + path + ".column=user_id.");
        }
        ShardingFunction function = sharding.getAlgorithm();
        if (function == null) {
            throw new DdmConfigurationException(path + ".algorithm", "no sharding algorithm is set",
                    "Set one of " + algorithmNames(databaseLevel) + ".");
        }
        if (databaseLevel ? !function.supportsDatabaseSharding() : !function.supportsTableSharding()) {
            throw new DdmConfigurationException(path + ".algorithm", function.propertyName() + " cannot be used for "
                    + (databaseLevel ? "database" : "table") + " sharding", "Use one of " + algorithmNames(databaseLevel) + ".");
        }
        return new Strategy(sharding.getColumn(), function, parameters(sharding, function, path, targets, databaseLevel));
    }

    private static String algorithmNames(boolean databaseLevel) {
        List<String> result = new ArrayList<>();
        for (ShardingFunction each : ShardingFunction.values()) {
            if (databaseLevel ? each.supportsDatabaseSharding() : each.supportsTableSharding()) {
                result.add(each.propertyName());
            }
        }
        return String.join(", ", result);
    }

    private static FunctionParameters parameters(Sharding sharding, ShardingFunction function, String path, int targets,
            boolean databaseLevel) {
        if (function != ShardingFunction.RIGHT_SHIFT && sharding.getShiftBits() != null) {
            throw unusedParameter(path + ".shift-bits", function, "right-shift");
        }
        if (function != ShardingFunction.RANGE && !sharding.getRanges().isEmpty()) {
            throw unusedParameter(path + ".ranges", function, "range");
        }
        if (function != ShardingFunction.LIST && !sharding.getLists().isEmpty()) {
            throw unusedParameter(path + ".lists", function, "list");
        }
        if (!function.supportsDateFunction() && sharding.getDateFunction() != null) {
            throw unusedParameter(path + ".date-function", function, "range or hash");
        }
        return switch (function) {
            case RIGHT_SHIFT -> {
                Integer bits = sharding.getShiftBits();
                if (bits == null || bits < 0 || bits > 62) {
                    throw new DdmConfigurationException(path + ".shift-bits", (bits == null) ? "is not set" : "must be 0..62 but is "
                            + bits, "Set the number of bits right-shift drops from the key, e.g. " + path + ".shift-bits=4.");
                }
                yield new FunctionParameters(bits, List.of(), Map.of());
            }
            case RANGE -> ranges(sharding, path, targets, databaseLevel);
            case LIST -> new FunctionParameters(0, List.of(), lists(sharding.getLists(), path, targets, databaseLevel), null, null);
            case HASH -> new FunctionParameters(0, List.of(), Map.of(), sharding.getDateFunction(), null);
            default -> FunctionParameters.NONE;
        };
    }

    private static DdmConfigurationException unusedParameter(String path, ShardingFunction function, String owner) {
        return new DdmConfigurationException(path, "is set but the algorithm is " + function.propertyName()
                + ", which does not use it", "Remove " + path + ", or use the " + owner + " algorithm.");
    }

    private static FunctionParameters ranges(Sharding sharding, String path, int targets, boolean databaseLevel) {
        List<KeyRange> ranges = sharding.getRanges();
        String level = databaseLevel ? "shard" : "table";
        if (ranges.isEmpty()) {
            throw new DdmConfigurationException(path + ".ranges", "the range algorithm has no ranges",
                    "Give each " + level + " its key ranges, e.g. " + path + ".ranges[0].from=1, .to=10000000, ." + level
                            + "=0, or in DDM's form " + path + ".ranges=1-10000000=0,10000001-20000000=1,default=2.");
        }
        List<KeyRangeTarget> result = new ArrayList<>();
        Integer defaultTarget = null;
        for (int i = 0; i < ranges.size(); i++) {
            KeyRange range = ranges.get(i);
            String rangePath = path + ".ranges[" + i + "]";
            Integer target = rangeTarget(range, rangePath, databaseLevel);
            checkTarget(target, rangePath + "." + level, targets, level);
            if (range.getFrom() == null && range.getTo() == null) {
                if (defaultTarget != null) {
                    throw new DdmConfigurationException(rangePath, "a second default range (no from and to) is given",
                            "Give at most one default range; every other range needs from and to.");
                }
                defaultTarget = target;
                continue;
            }
            if (range.getFrom() == null || range.getTo() == null) {
                throw new DdmConfigurationException(rangePath, "a range needs both from and to (or neither, for the default range)",
                        "Set " + rangePath + ".from and .to (both inclusive).");
            }
            if (range.getFrom() > range.getTo()) {
                throw new DdmConfigurationException(rangePath, "from " + range.getFrom() + " is greater than to " + range.getTo(),
                        "Swap the bounds; both are inclusive.");
            }
            KeyRangeTarget keyRange = new KeyRangeTarget(range.getFrom(), range.getTo(), target);
            for (KeyRangeTarget other : result) {
                if (keyRange.from() <= other.to() && other.from() <= keyRange.to()) {
                    throw new DdmConfigurationException(rangePath, "range " + keyRange + " overlaps range " + other,
                            "Make the ranges disjoint: every key must map to exactly one " + level + ".");
                }
            }
            result.add(keyRange);
        }
        return new FunctionParameters(0, result, Map.of(), sharding.getDateFunction(), defaultTarget);
    }

    /** The target a range names: its shard at database level, its table at table level, or the text form's. */
    private static Integer rangeTarget(KeyRange range, String path, boolean databaseLevel) {
        Integer wrong = databaseLevel ? range.getTable() : range.getShard();
        if (wrong != null) {
            String level = databaseLevel ? "database" : "table";
            String right = databaseLevel ? "shard" : "table";
            throw new DdmConfigurationException(path + "." + (databaseLevel ? "table" : "shard"), "is set for " + level
                    + " sharding", "Name the target of a " + level + " sharding range with " + path + "." + right + ".");
        }
        Integer target = databaseLevel ? range.getShard() : range.getTable();
        return (target != null) ? target : range.textTarget();
    }

    private static Map<String, Integer> lists(Map<Integer, List<String>> lists, String path, int targets, boolean databaseLevel) {
        String level = databaseLevel ? "shard" : "table";
        if (lists.isEmpty()) {
            throw new DdmConfigurationException(path + ".lists", "the list algorithm has no lists",
                    "Give each " + level + " its values, e.g. " + path + ".lists.0=CN,JP and " + path + ".lists.1=US.");
        }
        Map<String, Integer> result = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> entry : lists.entrySet()) {
            String listPath = path + ".lists." + entry.getKey();
            checkTarget(entry.getKey(), listPath, targets, level);
            for (String value : entry.getValue()) {
                Integer previous = result.put(value, entry.getKey());
                if (previous != null && !Objects.equals(previous, entry.getKey())) {
                    throw new DdmConfigurationException(listPath, "value '" + value + "' is also listed for " + level + " "
                            + previous, "List every value for exactly one " + level + ".");
                }
            }
        }
        return result;
    }

    private static void checkTarget(Integer target, String path, int targets, String level) {
        if (target == null || target < 0 || target >= targets) {
            String plural = level.equals("shard") ? "shards" : "tables in each shard";
            throw new DdmConfigurationException(path, (target == null) ? "no " + level + " is set" : level + " " + target
                    + " does not exist; " + plural + " are 0.." + (targets - 1), "Map keys only to " + plural + " 0.."
                            + (targets - 1) + ".");
        }
    }

    /**
     * Physical tables are named after their logical table ({@code t_order_3}, {@code t_order_0_1} for a segment):
     * no other table may be named like one of them, now or after tables or segments are added, nor have a physical
     * table of the same name.
     */

}
