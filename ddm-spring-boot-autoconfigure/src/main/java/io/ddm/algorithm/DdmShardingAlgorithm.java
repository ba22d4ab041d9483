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

import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;

/**
 * DDM's sharding algorithms as one ShardingSphere {@link StandardShardingAlgorithm} (SPI type {@code DDM}).
 *
 * <p>Targets are named {@code {prefix}{index}}: shard databases {@code shop_0..shop_7}, physical tables
 * {@code t_order_0..t_order_31}. Physical tables are numbered globally across shards: shard {@code s} holds
 * tables {@code s*T .. s*T+T-1} for {@code T} tables per shard. When database and table sharding use the same
 * column and the same algorithm ("global numbering", as in DDM), the key picks a global table
 * {@code g = f(key) % (S*T)} and the shard is {@code g / T}; otherwise the shard is {@code f(k1) % S} and the
 * table inside it {@code f(k2) % T}.
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

    private boolean databaseLevel;

    private int tablesPerShard;

    private boolean globalNumbering;

    private String targetPrefix;

    private ShardingFormula formula;

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
        return result;
    }

    @Override
    public void init(Properties props) {
        this.databaseLevel = "database".equals(props.getProperty(LEVEL));
        ShardingFunction function = ShardingFunction.valueOf(props.getProperty(FUNCTION).toUpperCase(Locale.ROOT));
        int shards = Integer.parseInt(props.getProperty(SHARDS));
        this.tablesPerShard = Integer.parseInt(props.getProperty(TABLES_PER_SHARD));
        this.globalNumbering = Boolean.parseBoolean(props.getProperty(GLOBAL_NUMBERING));
        this.targetPrefix = props.getProperty(TARGET_PREFIX);
        int targets = this.globalNumbering ? shards * this.tablesPerShard : (this.databaseLevel ? shards : this.tablesPerShard);
        this.formula = switch (function) {
            case RANGE -> ShardingFormula.ofRanges(targets, parseRanges(props.getProperty(RANGES, "")));
            case LIST -> ShardingFormula.ofLists(targets, parseLists(props.getProperty(LISTS, "")));
            default -> ShardingFormula.of(function, targets, Integer.parseInt(props.getProperty(SHIFT_BITS, "0")));
        };
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
            index = this.formula.indexOf(shardingValue.getValue());
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
                    + " = " + shardingValue.getValue() + " chose shard database " + this.targetPrefix
                    + (this.globalNumbering ? index / this.tablesPerShard : index)
                    + ", which is not among " + availableTargetNames);
        }
        return target;
    }

    @Override
    public Collection<String> doSharding(Collection<String> availableTargetNames, RangeShardingValue<Comparable<?>> shardingValue) {
        Collection<Integer> indexes;
        try {
            indexes = this.formula.indexesOf(shardingValue.getValueRange());
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
            int shard = this.globalNumbering ? index / this.tablesPerShard : index;
            return available(availableTargetNames, this.targetPrefix + shard);
        }
        if (this.globalNumbering) {
            return available(availableTargetNames, this.targetPrefix + index);
        }
        // Local index: the shard's tables are numbered s*T .. s*T+T-1, pick the one at position index.
        for (String each : availableTargetNames) {
            if (globalIndex(each) % this.tablesPerShard == index) {
                return each;
            }
        }
        return null;
    }

    private static String available(Collection<String> availableTargetNames, String name) {
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
