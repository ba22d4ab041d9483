package io.ddm.algorithm;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

import com.google.common.collect.Range;
import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import io.ddm.algorithm.ShardingFunction.SameKeyRule;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;

/**
 * DDM's sharding algorithms as one ShardingSphere {@link StandardShardingAlgorithm} (SPI type {@code DDM}).
 *
 * <p>Targets are named {@code {prefix}{index}}: shard databases {@code shop_0..shop_7}, physical tables
 * {@code t_order_0..t_order_31}. Physical tables are numbered globally across shards: shard {@code s} holds
 * tables {@code s*T .. s*T+T-1} for {@code T} tables per shard. When database and table sharding use the same
 * column, algorithm and parameters, the algorithm's {@link SameKeyRule} applies, as in DDM: most pick a global
 * table {@code g = f(key) % (S*T)} and the shard {@code g / T}; right-shift and uni-hash pick the shard
 * {@code f(key) % S} first and the table {@code (f(key) % S) * T + (f(key) / S) % T}. Otherwise the shard is
 * {@code f(k1) % S} and the table inside it {@code f(k2) % T}.
 *
 * <p>A string key of an integer column (a literal {@code '15'}) routes as the integer, as the server stores it.
 */
public final class DdmShardingAlgorithm implements StandardShardingAlgorithm<Comparable<?>> {

    /** ShardingSphere SPI type of this algorithm. */
    public static final String TYPE = "DDM";

    static final String FUNCTION = "function";

    static final String LEVEL = "level";

    static final String SHARDS = "shards";

    static final String TABLES_PER_SHARD = "tables-per-shard";

    static final String GLOBAL_NUMBERING = "global-numbering";

    static final String TARGET_PREFIX = "target-prefix";

    static final String SHIFT_BITS = "shift-bits";

    static final String RANGES = "ranges";

    static final String LISTS = "lists";

    static final String DATE_FUNCTION = "date-function";

    static final String DEFAULT_TARGET = "default-target";

    static final String COLUMN_TYPES = "column-types";

    private boolean databaseLevel;

    private int tablesPerShard;

    private SameKeyRule sameKeyRule;

    private String targetPrefix;

    /** The target names by number ({@code targetPrefix + number}), made once: routing asks for one at every statement. */
    private String[] targetNames;

    private String columnTypes;

    private ShardingFunction function;

    private ShardingFormula formula;

    private boolean acceptsIntegerKeys;

    private boolean acceptsStringKeys;

    /** The sharding column's kind once known; strings of an integer column are read as integers. */
    private volatile ShardingKeyKind columnKind;

    /**
     * Properties that configure one database-level algorithm.
     * @param function the function
     * @param shards number of shard databases
     * @param tablesPerShard tables per shard of the table (for global numbering)
     * @param globalNumbering whether the shard is derived from a global table number
     * @param databasePrefix shard database name prefix ({@code shop_})
     * @param parameters function parameters
     * @return ShardingSphere algorithm properties
     */
    public static Properties databaseProperties(ShardingFunction function, int shards, int tablesPerShard,
            boolean globalNumbering, String databasePrefix, FunctionParameters parameters) {
        return properties("database", function, shards, tablesPerShard, globalNumbering, databasePrefix, parameters);
    }

    /**
     * Properties that configure one table-level algorithm.
     * @param function the function
     * @param shards number of shard databases
     * @param tablesPerShard physical tables per shard
     * @param globalNumbering whether the table is chosen among all {@code shards * tablesPerShard} tables
     * @param tablePrefix physical table name prefix ({@code t_order_})
     * @param parameters function parameters
     * @return ShardingSphere algorithm properties
     */
    public static Properties tableProperties(ShardingFunction function, int shards, int tablesPerShard,
            boolean globalNumbering, String tablePrefix, FunctionParameters parameters) {
        return properties("table", function, shards, tablesPerShard, globalNumbering, tablePrefix, parameters);
    }

    private static Properties properties(String level, ShardingFunction function, int shards, int tablesPerShard,
            boolean globalNumbering, String prefix, FunctionParameters parameters) {
        Properties result = new Properties();
        result.setProperty(LEVEL, level);
        result.setProperty(FUNCTION, function.name());
        result.setProperty(SHARDS, Integer.toString(shards));
        result.setProperty(TABLES_PER_SHARD, Integer.toString(tablesPerShard));
        result.setProperty(GLOBAL_NUMBERING, Boolean.toString(globalNumbering));
        result.setProperty(TARGET_PREFIX, prefix);
        result.setProperty(SHIFT_BITS, Integer.toString(parameters.shiftBits()));
        StringJoiner ranges = new StringJoiner(";");
        parameters.ranges().forEach((range) -> ranges.add(range.from() + ":" + range.to() + ":" + range.target()));
        result.setProperty(RANGES, ranges.toString());
        StringJoiner lists = new StringJoiner(";");
        parameters.lists().forEach((value, target) -> lists.add(target + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        result.setProperty(LISTS, lists.toString());
        if (parameters.dateFunction() != null) {
            result.setProperty(DATE_FUNCTION, parameters.dateFunction().name());
        }
        if (parameters.defaultTarget() != null) {
            result.setProperty(DEFAULT_TARGET, Integer.toString(parameters.defaultTarget()));
        }
        return result;
    }

    /**
     * Adds where the algorithm finds the sharding column's type ({@link ShardingColumnTypes#id()}).
     * @param properties algorithm properties
     * @param columnTypes the registration id
     * @return the properties
     */
    public static Properties withColumnTypes(Properties properties, String columnTypes) {
        properties.setProperty(COLUMN_TYPES, columnTypes);
        return properties;
    }

    @Override
    public void init(Properties props) {
        this.databaseLevel = "database".equals(props.getProperty(LEVEL));
        this.function = ShardingFunction.valueOf(props.getProperty(FUNCTION).toUpperCase(Locale.ROOT));
        int shards = Integer.parseInt(props.getProperty(SHARDS));
        this.tablesPerShard = Integer.parseInt(props.getProperty(TABLES_PER_SHARD));
        boolean sameKey = Boolean.parseBoolean(props.getProperty(GLOBAL_NUMBERING));
        this.sameKeyRule = sameKey ? this.function.sameKeyRule() : SameKeyRule.INDEPENDENT;
        this.targetPrefix = props.getProperty(TARGET_PREFIX);
        this.columnTypes = props.getProperty(COLUMN_TYPES);
        String dateFunction = props.getProperty(DATE_FUNCTION);
        String defaultTarget = props.getProperty(DEFAULT_TARGET);
        FunctionParameters parameters = new FunctionParameters(Integer.parseInt(props.getProperty(SHIFT_BITS, "0")),
                parseRanges(props.getProperty(RANGES, "")), parseLists(props.getProperty(LISTS, "")),
                (dateFunction != null) ? DateFunction.valueOf(dateFunction) : null,
                (defaultTarget != null) ? Integer.valueOf(defaultTarget) : null);
        this.formula = switch (this.sameKeyRule) {
            case GLOBAL_TABLE -> ShardingFormula.of(this.function, shards * this.tablesPerShard, parameters);
            case SHARD_FIRST -> this.databaseLevel ? ShardingFormula.of(this.function, shards, parameters)
                    : ShardingFormula.shardFirstTables(this.function, shards, this.tablesPerShard, parameters);
            case INDEPENDENT -> ShardingFormula.of(this.function, this.databaseLevel ? shards : this.tablesPerShard, parameters);
        };
        int targets = (this.databaseLevel || this.sameKeyRule == SameKeyRule.INDEPENDENT) ? shards : shards * this.tablesPerShard;
        this.targetNames = new String[targets];
        for (int i = 0; i < targets; i++) {
            this.targetNames[i] = this.targetPrefix + i;
        }
        this.acceptsIntegerKeys = this.function.acceptedKinds(parameters).contains(ShardingKeyKind.INTEGER);
        this.acceptsStringKeys = this.function.acceptedKinds(parameters).contains(ShardingKeyKind.STRING);
    }

    private static List<KeyRangeTarget> parseRanges(String text) {
        List<KeyRangeTarget> result = new ArrayList<>();
        for (String each : text.split(";")) {
            if (!each.isEmpty()) {
                String[] parts = each.split(":");
                result.add(new KeyRangeTarget(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2])));
            }
        }
        return result;
    }

    private static Map<String, Integer> parseLists(String text) {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (String each : text.split(";")) {
            if (!each.isEmpty()) {
                int separator = each.indexOf('=');
                result.put(URLDecoder.decode(each.substring(separator + 1), StandardCharsets.UTF_8),
                        Integer.parseInt(each.substring(0, separator)));
            }
        }
        return result;
    }

    @Override
    public String doSharding(Collection<String> availableTargetNames, PreciseShardingValue<Comparable<?>> shardingValue) {
        int index;
        try {
            index = this.formula.indexOf(key(shardingValue.getValue(), shardingValue.getLogicTableName(), shardingValue.getColumnName()));
        }
        catch (ShardingKeyException ex) {
            throw new ShardingKeyException(shardingValue.getLogicTableName() + "." + shardingValue.getColumnName() + ": "
                    + ex.getMessage());
        }
        String target = targetName(availableTargetNames, index);
        if (target == null && !this.databaseLevel) {
            // ShardingSphere asks about every IN value inside every routed shard; the table of a value that belongs
            // to another shard is simply not here.
            return null;
        }
        if (target == null) {
            throw new IllegalStateException("Routing " + shardingValue.getLogicTableName() + "." + shardingValue.getColumnName()
                    + " = " + shardingValue.getValue() + " chose shard database " + this.targetPrefix + shardOf(index)
                    + ", which is not among " + availableTargetNames);
        }
        return target;
    }

    @Override
    public Collection<String> doSharding(Collection<String> availableTargetNames, RangeShardingValue<Comparable<?>> shardingValue) {
        Collection<Integer> indexes;
        try {
            indexes = this.formula.indexesOf(keyRange(shardingValue.getValueRange(), shardingValue.getLogicTableName(),
                    shardingValue.getColumnName()));
        }
        catch (ShardingKeyException ex) {
            throw new ShardingKeyException(shardingValue.getLogicTableName() + "." + shardingValue.getColumnName() + ": "
                    + ex.getMessage());
        }
        Collection<String> result = new LinkedHashSet<>();
        for (int index : indexes) {
            String target = targetName(availableTargetNames, index);
            if (target != null) {
                result.add(target);
            }
        }
        return result;
    }

    /**
     * The available target a formula index designates, or {@code null} when it is not available here (a
     * global table number that lives in another shard).
     */
    private String targetName(Collection<String> availableTargetNames, int index) {
        if (this.databaseLevel) {
            return available(availableTargetNames, targetName(shardOf(index)));
        }
        if (this.sameKeyRule != SameKeyRule.INDEPENDENT) {
            return available(availableTargetNames, targetName(index));
        }
        // Local index: the shard's tables are numbered s*T .. s*T+T-1, pick the one at position index.
        for (String each : availableTargetNames) {
            if (globalIndex(each) % this.tablesPerShard == index) {
                return each;
            }
        }
        return null;
    }

    /** The shard a database-level formula index designates: a global table's shard under the global-table rule. */
    private int shardOf(int index) {
        return (this.sameKeyRule == SameKeyRule.GLOBAL_TABLE) ? index / this.tablesPerShard : index;
    }

    /**
     * The key as the column holds it: a string given for an integer column is that integer (DDM: "MOD_HASH('8') is
     * equivalent to 8 % D"); for an algorithm that also hashes strings, the column's type decides.
     */
    private Object key(Object value, String table, String column) {
        if (!(value instanceof CharSequence text) || !this.acceptsIntegerKeys || !integerColumn(table, column)) {
            return value;
        }
        try {
            return ShardingKeyKind.parseInteger(text);
        }
        catch (NumberFormatException ex) {
            throw new ShardingKeyException("the column is an integer column, but the key is the string '" + text
                    + "', which is no integer; give an integer");
        }
    }

    private boolean integerColumn(String table, String column) {
        if (!this.acceptsStringKeys) {
            return true;
        }
        ShardingKeyKind kind = this.columnKind;
        if (kind == null) {
            kind = ShardingColumnTypes.kindOf(this.columnTypes, table, column);
            this.columnKind = kind;
        }
        return kind == ShardingKeyKind.INTEGER;
    }

    private Range<Comparable<?>> keyRange(Range<Comparable<?>> range, String table, String column) {
        if (!(range.hasLowerBound() && range.lowerEndpoint() instanceof CharSequence)
                && !(range.hasUpperBound() && range.upperEndpoint() instanceof CharSequence)) {
            return range;
        }
        Comparable<?> lower = range.hasLowerBound() ? (Comparable<?>) key(range.lowerEndpoint(), table, column) : null;
        Comparable<?> upper = range.hasUpperBound() ? (Comparable<?>) key(range.upperEndpoint(), table, column) : null;
        if (lower != null && upper != null && lower.getClass() != upper.getClass()) {
            return range;
        }
        return rebuilt(range, lower, upper);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Range<Comparable<?>> rebuilt(Range<Comparable<?>> range, Comparable lower, Comparable upper) {
        if (lower != null && upper != null) {
            return Range.range(lower, range.lowerBoundType(), upper, range.upperBoundType());
        }
        return (lower != null) ? Range.downTo(lower, range.lowerBoundType()) : Range.upTo(upper, range.upperBoundType());
    }

    private String targetName(int number) {
        return (number >= 0 && number < this.targetNames.length) ? this.targetNames[number] : this.targetPrefix + number;
    }

    private static String available(Collection<String> availableTargetNames, String name) {
        // ShardingSphere names its targets as configured: the exact name first, then as MySQL compares names.
        for (String each : availableTargetNames) {
            if (each.equals(name)) {
                return each;
            }
        }
        for (String each : availableTargetNames) {
            if (each.equalsIgnoreCase(name)) {
                return each;
            }
        }
        return null;
    }

    private int globalIndex(String targetName) {
        return Integer.parseInt(targetName.substring(this.targetPrefix.length()));
    }

    @Override
    public String getType() {
        return TYPE;
    }

}
