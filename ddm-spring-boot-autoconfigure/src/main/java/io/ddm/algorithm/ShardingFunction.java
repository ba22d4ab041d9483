package io.ddm.algorithm;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * DDM's sharding algorithms, with Huawei DDM's names and formulas so that data laid out by DDM routes the
 * same way here. Most compute a routing number from the key and take it modulo the number of targets;
 * {@link #HASH} buckets a CRC32, {@link #RANGE} and {@link #LIST} map keys to targets explicitly.
 *
 * <p>Each function also has DDM's rule for a table whose database and table sharding use the same column (its
 * {@link SameKeyRule}), and some a documented ceiling on the tables per shard.
 */
public enum ShardingFunction {

    /** Integers: key; strings: {@code String.hashCode()}; then modulo. */
    MOD_HASH(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** Like {@link #MOD_HASH}, with strings upper-cased first ({@code toUpperCase().hashCode()}). */
    MOD_HASH_CI(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /**
     * Like {@link #MOD_HASH}, but with the same key for database and table the shard is chosen first
     * ({@code key % S}), whatever the table count, so tables with different table counts join within a shard.
     */
    UNI_HASH(true, true, SameKeyRule.SHARD_FIRST, 0, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** CRC32 of the key's text modulo 102400, bucketed into equal ranges, one per target. */
    HASH(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** Integer key arithmetically shifted right by {@code shift-bits}, then modulo; same key: shard first. */
    RIGHT_SHIFT(true, true, SameKeyRule.SHARD_FIRST, 0, ShardingKeyKind.INTEGER),

    /** Inclusive integer key ranges, each mapped to a target, and an optional default target. */
    RANGE(true, true, SameKeyRule.INDEPENDENT, 0, ShardingKeyKind.INTEGER),

    /** Explicit key values per target; values in no list are an error. */
    LIST(true, true, SameKeyRule.INDEPENDENT, 0, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** {@code year * 12 + month}, then modulo. */
    YYYYMM(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.DATE),

    /** {@code year * 366 + day of year}, then modulo. */
    YYYYDD(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.DATE),

    /** {@code week-based year * 54 + ISO week}, then modulo (2012-12-31 is week 1 of 2013). */
    YYYYWEEK(true, true, SameKeyRule.GLOBAL_TABLE, 0, ShardingKeyKind.DATE),

    /** Month of year (1-12), then modulo; at most 12 tables per shard. */
    MM(false, true, SameKeyRule.INDEPENDENT, 12, ShardingKeyKind.DATE),

    /** Day of month (1-31), then modulo; at most 31 tables per shard. */
    DD(false, true, SameKeyRule.INDEPENDENT, 31, ShardingKeyKind.DATE),

    /** Day of year (1-366), then modulo; at most 366 tables per shard. */
    MMDD(false, true, SameKeyRule.INDEPENDENT, 366, ShardingKeyKind.DATE),

    /** Day of week as MySQL's DAYOFWEEK (1 = Sunday .. 7 = Saturday), then modulo; at most 7 tables per shard. */
    WEEK(false, true, SameKeyRule.INDEPENDENT, 7, ShardingKeyKind.DATE);

    /** HASH's fixed ring size, as in DDM. */
    static final int HASH_RING = 102400;

    private final boolean databaseSharding;

    private final boolean tableSharding;

    private final SameKeyRule sameKeyRule;

    private final int maxTablesPerShard;

    private final Set<ShardingKeyKind> acceptedKinds;

    ShardingFunction(boolean databaseSharding, boolean tableSharding, SameKeyRule sameKeyRule, int maxTablesPerShard,
            ShardingKeyKind first, ShardingKeyKind... rest) {
        this.databaseSharding = databaseSharding;
        this.tableSharding = tableSharding;
        this.sameKeyRule = sameKeyRule;
        this.maxTablesPerShard = maxTablesPerShard;
        this.acceptedKinds = EnumSet.of(first, rest);
    }

    /**
     * Whether the algorithm can spread rows over shard databases.
     * @return whether database sharding is supported
     */
    public boolean supportsDatabaseSharding() {
        return this.databaseSharding;
    }

    /**
     * Whether the algorithm can spread rows over the physical tables of a shard.
     * @return whether table sharding is supported
     */
    public boolean supportsTableSharding() {
        return this.tableSharding;
    }

    /**
     * How a table sharded by this function on the same column at both levels picks shard and table.
     * @return the rule
     */
    public SameKeyRule sameKeyRule() {
        return this.sameKeyRule;
    }

    /**
     * The most tables per shard DDM documents for this function as table algorithm, or {@code 0} for no limit.
     * @return the limit, or 0
     */
    public int maxTablesPerShard() {
        return this.maxTablesPerShard;
    }

    /**
     * Whether the function can route dates through one of DDM's date functions ({@code year()} ...).
     * @return whether a date function may be given
     */
    public boolean supportsDateFunction() {
        return this == RANGE || this == HASH;
    }

    /**
     * The kinds of column this algorithm accepts without a date function.
     * @return accepted kinds
     */
    public Set<ShardingKeyKind> acceptedKinds() {
        return this.acceptedKinds;
    }

    /**
     * The kinds of column this algorithm accepts with these parameters: only dates with a date function.
     * @param parameters the function's parameters
     * @return accepted kinds
     */
    public Set<ShardingKeyKind> acceptedKinds(FunctionParameters parameters) {
        return (parameters.dateFunction() != null) ? EnumSet.of(ShardingKeyKind.DATE) : this.acceptedKinds;
    }

    /**
     * The property-style name users write ({@code mod-hash}).
     * @return the name
     */
    public String propertyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The routing number of a key for the computing functions (not range or list); {@code null} when the key's
     * kind is not accepted.
     * @param key the key
     * @param parameters the function's parameters
     * @return routing number, or {@code null}
     */
    Long routingNumber(Object key, FunctionParameters parameters) {
        ShardingKeyKind kind = ShardingKeyKind.of(key);
        if (parameters.dateFunction() != null) {
            LocalDate date = ShardingKeyKind.toLocalDate(key);
            return (date != null) ? hashText(Long.toString(parameters.dateFunction().apply(date))) : null;
        }
        switch (this) {
            case MOD_HASH, UNI_HASH:
                if (kind == ShardingKeyKind.INTEGER) {
                    return ShardingKeyKind.toLong(key);
                }
                return (kind == ShardingKeyKind.STRING) ? (long) key.toString().hashCode() : null;
            case MOD_HASH_CI:
                if (kind == ShardingKeyKind.INTEGER) {
                    return ShardingKeyKind.toLong(key);
                }
                return (kind == ShardingKeyKind.STRING) ? (long) key.toString().toUpperCase(Locale.ROOT).hashCode() : null;
            case RIGHT_SHIFT:
                return (kind == ShardingKeyKind.INTEGER) ? ShardingKeyKind.toLong(key) >> parameters.shiftBits() : null;
            case HASH:
                if (kind == ShardingKeyKind.INTEGER || kind == ShardingKeyKind.STRING) {
                    return hashText(keyText(key));
                }
                return null;
            default:
                LocalDate date = ShardingKeyKind.toLocalDate(key);
                return (date != null && this.acceptedKinds.contains(ShardingKeyKind.DATE)) ? dateNumber(date) : null;
        }
    }

    /**
     * The routing number of an integer key for the functions that compute one from the integer alone.
     * @param key the key
     * @param parameters the function's parameters
     * @return the routing number
     */
    long integerRoutingNumber(long key, FunctionParameters parameters) {
        return switch (this) {
            case RIGHT_SHIFT -> key >> parameters.shiftBits();
            case HASH -> hashText(Long.toString(key));
            default -> key;
        };
    }

    private static long hashText(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % HASH_RING;
    }

    /** The key's decimal text (integers beyond 64 bits too: CRC32 needs no arithmetic on them). */
    private static String keyText(Object key) {
        return (key instanceof java.math.BigDecimal decimal) ? decimal.toBigInteger().toString() : key.toString();
    }

    long dateNumber(LocalDate date) {
        return switch (this) {
            case YYYYMM -> date.getYear() * 12L + date.getMonthValue();
            case YYYYDD -> date.getYear() * 366L + date.getDayOfYear();
            case YYYYWEEK -> date.get(IsoFields.WEEK_BASED_YEAR) * 54L + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MM -> date.getMonthValue();
            case DD -> date.getDayOfMonth();
            case MMDD -> date.getDayOfYear();
            case WEEK -> date.getDayOfWeek().getValue() % 7 + 1;
            default -> throw new IllegalStateException(this + " is not a date algorithm");
        };
    }

    /**
     * DDM's rules for a table whose database and table sharding use the same column, function and parameters.
     * Either way the table is one of all {@code S * T} physical tables, numbered globally.
     */
    public enum SameKeyRule {

        /**
         * {@code table = f(key) % (S * T)}, {@code shard = table / T} (MOD_HASH, MOD_HASH_CI, YYYYMM, YYYYDD,
         * YYYYWEEK; HASH buckets over {@code S * T}).
         */
        GLOBAL_TABLE,

        /**
         * {@code shard = f(key) % S}, {@code table = (f(key) % S) * T + (f(key) / S) % T} (RIGHT_SHIFT, UNI_HASH): the
         * shard does not depend on the table count.
         */
        SHARD_FIRST,

        /** Database and table are chosen separately, as with different columns (RANGE, LIST). */
        INDEPENDENT

    }

}
