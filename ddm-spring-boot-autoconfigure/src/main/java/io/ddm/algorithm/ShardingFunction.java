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
 * {@link #HASH} buckets a CRC32, {@link #RANGE} and {@link #LIST} map keys to shards explicitly.
 */
public enum ShardingFunction {

    /** Integers: key; strings: {@code String.hashCode()}; then modulo. */
    MOD_HASH(true, true, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** Like {@link #MOD_HASH}, with strings lower-cased first. */
    MOD_HASH_CI(true, true, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** CRC32 of the key's text modulo 102400, bucketed into equal ranges, one per target. */
    HASH(true, true, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** Integer key arithmetically shifted right by {@code shift-bits}, then modulo. */
    RIGHT_SHIFT(true, true, ShardingKeyKind.INTEGER),

    /** Inclusive integer key ranges, each mapped to a shard; keys outside every range are an error. */
    RANGE(true, false, ShardingKeyKind.INTEGER),

    /** Explicit key values per shard; values in no list are an error. */
    LIST(true, false, ShardingKeyKind.INTEGER, ShardingKeyKind.STRING),

    /** {@code year * 12 + month}, then modulo. */
    YYYYMM(true, true, ShardingKeyKind.DATE),

    /** {@code year * 366 + day of year}, then modulo. */
    YYYYDD(true, true, ShardingKeyKind.DATE),

    /** {@code year * 54 + ISO week of year}, then modulo. */
    YYYYWEEK(true, true, ShardingKeyKind.DATE),

    /** Month of year (1-12), then modulo. */
    MM(false, true, ShardingKeyKind.DATE),

    /** Day of month (1-31), then modulo. */
    DD(false, true, ShardingKeyKind.DATE),

    /** Day of year (1-366), then modulo. */
    MMDD(false, true, ShardingKeyKind.DATE),

    /** Day of week as MySQL's DAYOFWEEK (1 = Sunday .. 7 = Saturday), then modulo. */
    WEEK(false, true, ShardingKeyKind.DATE);

    /** HASH's fixed ring size, as in DDM. */
    static final int HASH_RING = 102400;

    private final boolean databaseSharding;

    private final boolean tableSharding;

    private final Set<ShardingKeyKind> acceptedKinds;

    ShardingFunction(boolean databaseSharding, boolean tableSharding, ShardingKeyKind first, ShardingKeyKind... rest) {
        this.databaseSharding = databaseSharding;
        this.tableSharding = tableSharding;
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
     * The kinds of column this algorithm accepts.
     * @return accepted kinds
     */
    public Set<ShardingKeyKind> acceptedKinds() {
        return this.acceptedKinds;
    }

    /**
     * The property-style name users write ({@code mod-hash}).
     * @return the name
     */
    public String propertyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether the index is the routing number modulo the target count (every function but HASH, RANGE, LIST).
     * @return whether the function is modular
     */
    boolean isModular() {
        return this != HASH && this != RANGE && this != LIST;
    }

    /**
     * Whether consecutive keys give consecutive routing numbers, so that a key range can be narrowed.
     * @return whether routing numbers follow key order
     */
    boolean isOrderPreserving() {
        return this == MOD_HASH || this == MOD_HASH_CI || this == RIGHT_SHIFT || this == YYYYMM || this == YYYYDD
                || this == YYYYWEEK;
    }

    /**
     * The routing number of a key for modular functions; {@code null} when the key's kind is not accepted.
     * @param key the key
     * @param shiftBits bits for right-shift
     * @return routing number, or {@code null}
     */
    Long routingNumber(Object key, int shiftBits) {
        ShardingKeyKind kind = ShardingKeyKind.of(key);
        switch (this) {
            case MOD_HASH:
                if (kind == ShardingKeyKind.INTEGER) {
                    return ShardingKeyKind.toLong(key);
                }
                return (kind == ShardingKeyKind.STRING) ? (long) key.toString().hashCode() : null;
            case MOD_HASH_CI:
                if (kind == ShardingKeyKind.INTEGER) {
                    return ShardingKeyKind.toLong(key);
                }
                return (kind == ShardingKeyKind.STRING) ? (long) key.toString().toLowerCase(Locale.ROOT).hashCode() : null;
            case RIGHT_SHIFT:
                return (kind == ShardingKeyKind.INTEGER) ? ShardingKeyKind.toLong(key) >> shiftBits : null;
            case HASH:
                if (kind == ShardingKeyKind.INTEGER || kind == ShardingKeyKind.STRING) {
                    CRC32 crc = new CRC32();
                    crc.update(keyText(key).getBytes(StandardCharsets.UTF_8));
                    return crc.getValue() % HASH_RING;
                }
                return null;
            default:
                LocalDate date = ShardingKeyKind.toLocalDate(key);
                return (date != null && this.acceptedKinds.contains(ShardingKeyKind.DATE)) ? dateNumber(date) : null;
        }
    }

    private static String keyText(Object key) {
        return (key instanceof java.math.BigDecimal decimal) ? decimal.toBigInteger().toString() : key.toString();
    }

    long dateNumber(LocalDate date) {
        return switch (this) {
            case YYYYMM -> date.getYear() * 12L + date.getMonthValue();
            case YYYYDD -> date.getYear() * 366L + date.getDayOfYear();
            case YYYYWEEK -> date.getYear() * 54L + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MM -> date.getMonthValue();
            case DD -> date.getDayOfMonth();
            case MMDD -> date.getDayOfYear();
            case WEEK -> date.getDayOfWeek().getValue() % 7 + 1;
            default -> throw new IllegalStateException(this + " is not a date algorithm");
        };
    }

}
