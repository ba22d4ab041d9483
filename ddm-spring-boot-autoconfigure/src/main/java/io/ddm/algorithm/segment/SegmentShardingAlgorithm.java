package io.ddm.algorithm.segment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import io.ddm.algorithm.ShardingKeyException;
import io.ddm.algorithm.ShardingKeyKind;
import io.ddm.topology.Segments;
import io.ddm.topology.Segments.Segment;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;

/**
 * Range segments as a table-level ShardingSphere {@link StandardShardingAlgorithm} (SPI type {@value #TYPE}):
 * inside the shard that database sharding chose, the key's range picks the segment table
 * {@code {table}_{shard}_{segment}}. An equality or {@code IN} value routes to one segment, a range condition to the
 * segments it overlaps (a range no segment overlaps to the nearest one, which holds no matching row). A key outside
 * every segment is an error that says which segment to add: there is no default segment, a row never lands where
 * adding a segment later would not find it.
 */
public final class SegmentShardingAlgorithm implements StandardShardingAlgorithm<Comparable<?>> {

    /** ShardingSphere SPI type of this algorithm. */
    public static final String TYPE = "DDM_SEGMENT";

    static final String TABLE = "table";

    static final String COLUMN = "column";

    static final String START = "start";

    static final String BOUNDS = "bounds";

    static final String PROPERTY_PATH = "property-path";

    private String table;

    private String propertyPath;

    private Segments segments;

    /**
     * Properties that configure the algorithm of one table.
     * @param table logical table, the prefix of its physical tables
     * @param segments the table's segments
     * @param propertyPath the property that lists the bounds, named in errors
     * @return ShardingSphere algorithm properties
     */
    public static Properties properties(String table, Segments segments, String propertyPath) {
        Properties result = new Properties();
        result.setProperty(TABLE, table);
        result.setProperty(COLUMN, segments.column());
        result.setProperty(START, Long.toString(segments.start()));
        result.setProperty(BOUNDS, String.join(",", segments.bounds().stream().map(String::valueOf).toList()));
        result.setProperty(PROPERTY_PATH, propertyPath);
        return result;
    }

    @Override
    public void init(Properties props) {
        this.table = props.getProperty(TABLE);
        this.propertyPath = props.getProperty(PROPERTY_PATH);
        List<Long> bounds = new ArrayList<>();
        for (String each : props.getProperty(BOUNDS).split(",")) {
            bounds.add(Long.parseLong(each.strip()));
        }
        this.segments = new Segments(props.getProperty(COLUMN), Long.parseLong(props.getProperty(START)), bounds);
    }

    @Override
    public String doSharding(Collection<String> availableTargetNames, PreciseShardingValue<Comparable<?>> shardingValue) {
        long key = key(shardingValue.getValue(), shardingValue.getLogicTableName(), shardingValue.getColumnName());
        int segment = this.segments.indexOf(key);
        if (segment < 0) {
            throw outside(key, shardingValue.getLogicTableName(), shardingValue.getColumnName());
        }
        for (String each : availableTargetNames) {
            if (segmentOf(each) == segment) {
                return each;
            }
        }
        throw new IllegalStateException("Routing " + shardingValue.getLogicTableName() + "." + shardingValue.getColumnName() + " = "
                + key + " chose segment " + segment + ", which has no table among " + availableTargetNames);
    }

    @Override
    public Collection<String> doSharding(Collection<String> availableTargetNames, RangeShardingValue<Comparable<?>> shardingValue) {
        Range<Comparable<?>> range = shardingValue.getValueRange();
        BigDecimal lower = range.hasLowerBound() ? number(range.lowerEndpoint(), shardingValue) : null;
        BigDecimal upper = range.hasUpperBound() ? number(range.upperEndpoint(), shardingValue) : null;
        Collection<String> result = new LinkedHashSet<>();
        for (String each : availableTargetNames) {
            int index = segmentOf(each);
            if (index >= 0 && index < this.segments.count()
                    && overlaps(this.segments.segment(index), lower, range.hasLowerBound() && range.lowerBoundType() == BoundType.OPEN,
                            upper, range.hasUpperBound() && range.upperBoundType() == BoundType.OPEN)) {
                result.add(each);
            }
        }
        if (result.isEmpty()) {
            // No segment holds a key of the range. ShardingSphere runs a statement routed to no table against the
            // logical name, which does not exist: read the nearest segment instead, where the condition matches no row.
            int nearest = (lower != null && lower.compareTo(BigDecimal.valueOf(this.segments.last().to())) >= 0)
                    ? this.segments.count() - 1 : nearestBelow(upper);
            for (String each : availableTargetNames) {
                if (segmentOf(each) == nearest) {
                    result.add(each);
                }
            }
        }
        return result;
    }

    /** The last segment that starts at or below a value, the first segment when none does. */
    private int nearestBelow(BigDecimal value) {
        int result = 0;
        for (Segment each : this.segments.all()) {
            if (value != null && BigDecimal.valueOf(each.from()).compareTo(value) <= 0) {
                result = each.index();
            }
        }
        return result;
    }

    private static boolean overlaps(Segment segment, BigDecimal lower, boolean lowerOpen, BigDecimal upper, boolean upperOpen) {
        if (lower != null) {
            int compared = BigDecimal.valueOf(segment.to()).compareTo(lower);
            if (compared < 0 || (compared == 0 && lowerOpen)) {
                return false;
            }
        }
        if (upper != null) {
            int compared = BigDecimal.valueOf(segment.from()).compareTo(upper);
            return compared < 0 || (compared == 0 && !upperOpen);
        }
        return true;
    }

    /** The segment index of a physical table {@code {table}_{shard}_{segment}}, or {@code -1} for another name. */
    private int segmentOf(String physicalTable) {
        String prefix = this.table + "_";
        if (!physicalTable.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return -1;
        }
        int separator = physicalTable.lastIndexOf('_');
        try {
            return (separator >= prefix.length()) ? Integer.parseInt(physicalTable.substring(separator + 1)) : -1;
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    private ShardingKeyException outside(long key, String logicalTable, String column) {
        Segment first = this.segments.segment(0);
        Segment last = this.segments.last();
        if (key < first.from()) {
            return new ShardingKeyException(logicalTable + "." + column + ": key " + key + " is below the first segment ("
                    + first + "); segments cover " + first.from() + ".." + last.to() + ". Keys below "
                    + this.propertyPath + "-start are not stored; lower it only while segment 0 is empty.");
        }
        // Suggest as many segments of the newest one's size as it takes to reach the key.
        long size = last.capacity();
        long missing = key - last.to();
        long steps = (missing - 1) / size + 1;
        long next = last.to() + 1;
        long upTo = (steps > (Long.MAX_VALUE - last.to()) / size) ? Long.MAX_VALUE : last.to() + steps * size;
        String suggestion = (steps == 1) ? "add a segment covering " + next + ".." + upTo + " to " + this.propertyPath
                + " (append " + upTo + ")" : "add segments covering " + next + ".." + upTo + " to " + this.propertyPath
                        + " (e.g. append " + (last.to() + size) + ", ..., " + upTo + ")";
        return new ShardingKeyException(logicalTable + "." + column + ": key " + key + " is beyond the last segment ("
                + last + "); " + suggestion + " and restart, which creates its tables on every shard.");
    }

    private static long key(Object value, String logicalTable, String column) {
        if (value instanceof CharSequence text) {
            // The column is an integer column (checked at startup): '15' is the 15 the server stores.
            try {
                return key(ShardingKeyKind.parseInteger(text), logicalTable, column);
            }
            catch (NumberFormatException ex) {
                throw new ShardingKeyException(logicalTable + "." + column + ": the string '" + text
                        + "' is not a segment key: range segments take integer keys; give an integer");
            }
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal) {
                return decimal.longValueExact();
            }
        }
        catch (ArithmeticException ex) {
            throw new ShardingKeyException(logicalTable + "." + column + ": " + value
                    + " is not a segment key: segments take whole numbers within the BIGINT range");
        }
        throw new ShardingKeyException(logicalTable + "." + column + ": " + describe(value)
                + " is not a segment key: range segments take integer keys (TINYINT .. BIGINT, DECIMAL without fraction)");
    }

    private static BigDecimal number(Comparable<?> value, RangeShardingValue<Comparable<?>> shardingValue) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        throw new ShardingKeyException(shardingValue.getLogicTableName() + "." + shardingValue.getColumnName() + ": "
                + describe(value) + " is not a segment key: range segments compare integer keys");
    }

    private static String describe(Object value) {
        if (value == null) {
            return "NULL";
        }
        String type = value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return (value instanceof CharSequence) ? type + " '" + value + "'" : type + " " + value;
    }

    @Override
    public String getType() {
        return TYPE;
    }

}
