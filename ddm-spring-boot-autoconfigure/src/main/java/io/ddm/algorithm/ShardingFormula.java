package io.ddm.algorithm;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;

/**
 * A {@link ShardingFunction} bound to its parameters and to the number of targets it chooses among: turns a
 * key into a target index, and a key range into the narrowest set of target indexes the function allows.
 */
public final class ShardingFormula {

    /** Above this many enumerated keys or days a range query is sent to every target instead. */
    private static final int MAX_ENUMERATED = 4096;

    private final ShardingFunction function;

    private final int targets;

    /** The shard count when this formula picks global tables shard first ({@link ShardingFunction.SameKeyRule#SHARD_FIRST}), else 0. */
    private final int shards;

    private final FunctionParameters parameters;

    private ShardingFormula(ShardingFunction function, int targets, int shards, FunctionParameters parameters) {
        this.function = Objects.requireNonNull(function, "function");
        if (targets < 1) {
            throw new IllegalArgumentException("targets must be at least 1, was " + targets);
        }
        this.targets = targets;
        this.shards = shards;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * A formula that picks one of {@code targets} targets.
     * @param function the function
     * @param targets number of targets
     * @param parameters the function's parameters
     * @return the formula
     */
    public static ShardingFormula of(ShardingFunction function, int targets, FunctionParameters parameters) {
        return new ShardingFormula(function, targets, 0, parameters);
    }

    /**
     * A formula that picks one of all {@code shards * tablesPerShard} tables by DDM's shard-first rule:
     * {@code (v % S) * T + (v / S) % T}.
     * @param function the function (right-shift or uni-hash)
     * @param shards shard count {@code S}
     * @param tablesPerShard tables per shard {@code T}
     * @param parameters the function's parameters
     * @return the formula
     */
    public static ShardingFormula shardFirstTables(ShardingFunction function, int shards, int tablesPerShard,
            FunctionParameters parameters) {
        return new ShardingFormula(function, shards * tablesPerShard, shards, parameters);
    }

    /**
     * A modular or hashing formula.
     * @param function the function (not range or list)
     * @param targets number of targets
     * @param shiftBits bits for right-shift, otherwise ignored
     * @return the formula
     */
    public static ShardingFormula of(ShardingFunction function, int targets, int shiftBits) {
        return of(function, targets, new FunctionParameters(shiftBits, List.of(), Map.of()));
    }

    /**
     * A range formula without default target.
     * @param targets number of targets
     * @param ranges inclusive key ranges with their target
     * @return the formula
     */
    public static ShardingFormula ofRanges(int targets, List<KeyRangeTarget> ranges) {
        return of(ShardingFunction.RANGE, targets, new FunctionParameters(0, ranges, Map.of()));
    }

    /**
     * A list formula.
     * @param targets number of targets
     * @param listTargets key value (as text) to target
     * @return the formula
     */
    public static ShardingFormula ofLists(int targets, Map<String, Integer> listTargets) {
        return of(ShardingFunction.LIST, targets, new FunctionParameters(0, List.of(), new LinkedHashMap<>(listTargets)));
    }

    public ShardingFunction function() {
        return this.function;
    }

    public int targets() {
        return this.targets;
    }

    /**
     * The target index of one key.
     * @param key the sharding key value
     * @return the index in {@code [0, targets)}
     * @throws ShardingKeyException when the key's type is not accepted or no range/list holds it
     */
    public int indexOf(Object key) {
        try {
            return indexOfKey(key);
        }
        catch (ArithmeticException ex) {
            throw beyondLong(key);
        }
    }

    private int indexOfKey(Object key) {
        if (key == null) {
            throw new ShardingKeyException("a NULL sharding key cannot be routed by " + this.function.propertyName()
                    + "; give the sharding column a value");
        }
        switch (this.function) {
            case RANGE:
                long number = rangeNumber(key);
                for (KeyRangeTarget range : this.parameters.ranges()) {
                    if (range.contains(number)) {
                        return range.target();
                    }
                }
                if (this.parameters.defaultTarget() != null) {
                    return this.parameters.defaultTarget();
                }
                throw new ShardingKeyException("key " + describeRangeKey(key, number) + " is outside every configured range "
                        + this.parameters.ranges() + " and no default is set; add a range that covers it, or a default"
                        + " range (DDM's default=N)");
            case LIST:
                acceptedKind(key);
                Integer target = this.parameters.lists().get(listKey(key));
                if (target == null) {
                    throw new ShardingKeyException("key '" + key + "' is in no configured list; add it to the lists"
                            + " of one target");
                }
                return target;
            default:
                Long routingNumber = this.function.routingNumber(key, this.parameters);
                if (routingNumber == null) {
                    throw rejected(key);
                }
                return indexOfRoutingNumber(routingNumber);
        }
    }

    private String describeRangeKey(Object key, long number) {
        return (this.parameters.dateFunction() != null)
                ? "'" + key + "' (" + this.parameters.dateFunction().propertyName() + "() = " + number + ")" : Long.toString(number);
    }

    /** The number a range key maps by: the integer key, or the date function's value of a date key. */
    private long rangeNumber(Object key) {
        if (this.parameters.dateFunction() != null) {
            LocalDate date = ShardingKeyKind.toLocalDate(key);
            if (date == null) {
                throw rejected(key);
            }
            return this.parameters.dateFunction().apply(date);
        }
        return integerKey(key);
    }

    private int indexOfRoutingNumber(long routingNumber) {
        if (this.function == ShardingFunction.HASH) {
            int width = ShardingFunction.HASH_RING / this.targets;
            return (int) Math.min(routingNumber / width, this.targets - 1);
        }
        if (this.shards > 0) {
            int tablesPerShard = this.targets / this.shards;
            long shard = Math.abs(routingNumber % this.shards);
            return (int) (shard * tablesPerShard + Math.abs((routingNumber / this.shards) % tablesPerShard));
        }
        return (int) Math.abs(routingNumber % this.targets);
    }

    /**
     * The target indexes a key range can touch: narrowed where the function keeps key order (or maps
     * ranges explicitly) and the range is bounded and small enough to enumerate, otherwise every target.
     * @param range the key range of a BETWEEN, &lt; or &gt; condition
     * @return target indexes, ascending
     */
    public Collection<Integer> indexesOf(Range<?> range) {
        try {
            return indexesOfRange(range);
        }
        catch (ArithmeticException ex) {
            throw beyondLong(range);
        }
    }

    private Collection<Integer> indexesOfRange(Range<?> range) {
        if (range.hasLowerBound() && range.hasUpperBound() && Objects.equals(range.lowerEndpoint(), range.upperEndpoint())
                && range.lowerBoundType() == BoundType.CLOSED && range.upperBoundType() == BoundType.CLOSED) {
            return List.of(indexOf(range.lowerEndpoint()));
        }
        if (this.function == ShardingFunction.RANGE && this.parameters.dateFunction() == null) {
            return rangeTargets(range);
        }
        if (!range.hasLowerBound() || !range.hasUpperBound() || this.function == ShardingFunction.LIST) {
            return all();
        }
        Object lower = range.lowerEndpoint();
        Object upper = range.upperEndpoint();
        if (this.function.acceptedKinds(this.parameters).contains(ShardingKeyKind.DATE)) {
            return dateIndexes(lower, upper);
        }
        if (ShardingKeyKind.of(lower) == ShardingKeyKind.INTEGER && ShardingKeyKind.of(upper) == ShardingKeyKind.INTEGER) {
            long from = ShardingKeyKind.toLong(lower) + (range.lowerBoundType() == BoundType.OPEN ? 1 : 0);
            long to = ShardingKeyKind.toLong(upper) - (range.upperBoundType() == BoundType.OPEN ? 1 : 0);
            if (this.function == ShardingFunction.RIGHT_SHIFT) {
                // Consecutive keys shift to consecutive routing numbers: enumerate those instead of the keys.
                return enumerate(from >> this.parameters.shiftBits(), to >> this.parameters.shiftBits(), this::indexOfRoutingNumber);
            }
            return enumerate(from, to, (key) -> indexOfRoutingNumber(this.function.integerRoutingNumber(key, this.parameters)));
        }
        return all();
    }

    private Collection<Integer> dateIndexes(Object lower, Object upper) {
        LocalDate from = ShardingKeyKind.toLocalDate(lower);
        LocalDate to = ShardingKeyKind.toLocalDate(upper);
        if (from == null || to == null) {
            throw rejected(from == null ? lower : upper);
        }
        if (to.isBefore(from)) {
            return List.of();
        }
        long days = ChronoUnit.DAYS.between(from, to);
        if (days > MAX_ENUMERATED) {
            return all();
        }
        // Closed at day granularity: a superset of what the SQL asks, which is always safe to route.
        return enumerate(0, days, (offset) -> indexOf(from.plusDays(offset)));
    }

    private Collection<Integer> enumerate(long from, long to, java.util.function.LongToIntFunction index) {
        if (to < from) {
            return List.of();
        }
        if (to - from >= MAX_ENUMERATED) {
            return all();
        }
        TreeSet<Integer> result = new TreeSet<>();
        for (long key = from; key <= to && result.size() < this.targets; key++) {
            result.add(index.applyAsInt(key));
        }
        return result;
    }

    private Collection<Integer> rangeTargets(Range<?> range) {
        Long from = range.hasLowerBound() ? integerKey(range.lowerEndpoint()) : null;
        Long to = range.hasUpperBound() ? integerKey(range.upperEndpoint()) : null;
        TreeSet<Integer> result = new TreeSet<>();
        List<KeyRangeTarget> touched = new ArrayList<>();
        for (KeyRangeTarget each : this.parameters.ranges()) {
            boolean overlaps = (from == null || each.to() >= from) && (to == null || each.from() <= to);
            if (overlaps) {
                result.add(each.target());
                touched.add(each);
            }
        }
        if (this.parameters.defaultTarget() != null && !covers(touched, from, to)) {
            result.add(this.parameters.defaultTarget());
        }
        return result;
    }

    /** Whether the ranges leave no key of {@code [from, to]} (unbounded where null) to the default target. */
    private static boolean covers(List<KeyRangeTarget> ranges, Long from, Long to) {
        List<KeyRangeTarget> sorted = new ArrayList<>(ranges);
        sorted.sort(java.util.Comparator.comparingLong(KeyRangeTarget::from));
        long next = (from != null) ? from : Long.MIN_VALUE;
        if (from == null && (sorted.isEmpty() || sorted.get(0).from() != Long.MIN_VALUE)) {
            return false;
        }
        for (KeyRangeTarget each : sorted) {
            if (each.from() > next) {
                return false;
            }
            if (each.to() == Long.MAX_VALUE || (to != null && each.to() >= to)) {
                return true;
            }
            next = Math.max(next, each.to() + 1);
        }
        return false;
    }

    private Collection<Integer> all() {
        return IntStream.range(0, this.targets).boxed().collect(Collectors.toList());
    }

    private long integerKey(Object key) {
        if (ShardingKeyKind.of(key) != ShardingKeyKind.INTEGER) {
            throw rejected(key);
        }
        return ShardingKeyKind.toLong(key);
    }

    private void acceptedKind(Object key) {
        ShardingKeyKind kind = ShardingKeyKind.of(key);
        if (kind == null || !this.function.acceptedKinds(this.parameters).contains(kind)) {
            throw rejected(key);
        }
    }

    private static String listKey(Object key) {
        return (ShardingKeyKind.of(key) == ShardingKeyKind.INTEGER) ? Long.toString(ShardingKeyKind.toLong(key)) : key.toString();
    }

    private ShardingKeyException beyondLong(Object key) {
        return new ShardingKeyException(this.function.propertyName() + " accepts integers within the signed 64-bit range"
                + " (BIGINT), but the sharding key was " + key.getClass().getName() + " '" + key + "'");
    }

    private ShardingKeyException rejected(Object key) {
        List<String> accepted = new ArrayList<>();
        this.function.acceptedKinds(this.parameters).forEach((kind) -> accepted.add(kind.description()));
        return new ShardingKeyException(this.function.propertyName() + " accepts " + String.join(" or ", accepted)
                + " values, but the sharding key was " + key.getClass().getName() + " '" + key + "'");
    }

    /**
     * An inclusive key range mapped to a target.
     * @param from smallest key
     * @param to largest key
     * @param target target index
     */
    public record KeyRangeTarget(long from, long to, int target) {

        boolean contains(long key) {
            return key >= this.from && key <= this.to;
        }

        @Override
        public String toString() {
            return "[" + this.from + ".." + this.to + "]->" + this.target;
        }

    }

}
