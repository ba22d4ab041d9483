package io.ddm.algorithm;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;

/**
 * The worked examples of Huawei DDM's user guide, one row per example, each naming the page it comes from
 * (the page ids of the guide, e.g. {@code ddm_10_0002}, mirrored in the open-telekom-cloud documentation repository
 * {@code distributed-database-middleware}, {@code umn/source/sql_syntax/ddl/sharding_algorithms/}). The pages use
 * 8 shards with 3 tables each unless the algorithm documents a table count of its own. Shared by the conformance
 * test of the algorithms and the end-to-end test on real servers.
 */
public final class DocumentedExamples {

    /** DDM's range metadata of the RANGE page: {@code 1-2=0, 3-4=1, ..., 13-14=6, default=7}. */
    private static final FunctionParameters RANGE_EXAMPLE = new FunctionParameters(0, List.of(new KeyRangeTarget(1, 2, 0),
            new KeyRangeTarget(3, 4, 1), new KeyRangeTarget(5, 6, 2), new KeyRangeTarget(7, 8, 3), new KeyRangeTarget(9, 10, 4),
            new KeyRangeTarget(11, 12, 5), new KeyRangeTarget(13, 14, 6)), Map.of(), null, 7);

    private static final FunctionParameters RANGE_BY_MONTH = new FunctionParameters(0, RANGE_EXAMPLE.ranges(), Map.of(),
            DateFunction.MONTH, 7);

    private static final FunctionParameters HASH_BY_YEAR = new FunctionParameters(0, List.of(), Map.of(), DateFunction.YEAR, null);

    private static final FunctionParameters SHIFT_4 = new FunctionParameters(4, List.of(), Map.of());

    private static final LocalDate NOV_20_2012 = LocalDate.of(2012, 11, 20);

    private static final LocalDate DEC_31_2012 = LocalDate.of(2012, 12, 31);

    private static final LocalDate JAN_15_2019 = LocalDate.of(2019, 1, 15);

    /** Every documented example. */
    public static final List<Example> ALL = List.of(
            // MOD_HASH, ddm_10_0002, Table 1 (integer) and Table 2 (string)
            separate("ddm_10_0002 MOD_HASH, integer key", ShardingFunction.MOD_HASH, ShardingKeyKind.INTEGER, 16L, 0, 1),
            sameKey("ddm_10_0002 MOD_HASH, integer key", ShardingFunction.MOD_HASH, ShardingKeyKind.INTEGER, 16L, 5, 16),
            separate("ddm_10_0002 MOD_HASH, string key", ShardingFunction.MOD_HASH, ShardingKeyKind.STRING, "abc", 2, 0),
            sameKey("ddm_10_0002 MOD_HASH, string key", ShardingFunction.MOD_HASH, ShardingKeyKind.STRING, "abc", 6, 18),
            // "MOD_HASH('8') is equivalent to 8 % D": a string key of an integer column is the integer.
            sameKey("ddm_10_0002 MOD_HASH('8') = 8 % D", ShardingFunction.MOD_HASH, ShardingKeyKind.INTEGER, "8", 2, 8),
            // MOD_HASH_CI, ddm_12_0007: 'abc'.toUpperCase().hashCode() = 64578
            separate("ddm_12_0007 MOD_HASH_CI, integer key", ShardingFunction.MOD_HASH_CI, ShardingKeyKind.INTEGER, 16L, 0, 1),
            sameKey("ddm_12_0007 MOD_HASH_CI, integer key", ShardingFunction.MOD_HASH_CI, ShardingKeyKind.INTEGER, 16L, 5, 16),
            separate("ddm_12_0007 MOD_HASH_CI, string key", ShardingFunction.MOD_HASH_CI, ShardingKeyKind.STRING, "abc", 2, 0),
            sameKey("ddm_12_0007 MOD_HASH_CI, string key", ShardingFunction.MOD_HASH_CI, ShardingKeyKind.STRING, "abc", 6, 18),
            sameKey("ddm_12_0007 MOD_HASH_CI, string key in capitals", ShardingFunction.MOD_HASH_CI, ShardingKeyKind.STRING,
                    "ABC", 6, 18),
            // UNI_HASH, ddm_10_0003, Table 1 (integer) and Table 2 (string)
            separate("ddm_10_0003 UNI_HASH, integer key", ShardingFunction.UNI_HASH, ShardingKeyKind.INTEGER, 16L, 0, 1),
            sameKey("ddm_10_0003 UNI_HASH, integer key", ShardingFunction.UNI_HASH, ShardingKeyKind.INTEGER, 16L, 0, 2),
            separate("ddm_10_0003 UNI_HASH, string key", ShardingFunction.UNI_HASH, ShardingKeyKind.STRING, "abc", 2, 0),
            // The page's formula: (96354 % 8) x 3 + (96354 / 8) % 3 = 6 + 12044 % 3 = 8
            sameKey("ddm_10_0003 UNI_HASH, string key", ShardingFunction.UNI_HASH, ShardingKeyKind.STRING, "abc", 2, 8),
            // RIGHT_SHIFT, ddm_10_0004: 123456 >> 4 = 7716
            new Example("ddm_10_0004 RIGHT_SHIFT, different keys", ShardingFunction.RIGHT_SHIFT, SHIFT_4, false, 3,
                    ShardingKeyKind.INTEGER, 123456L, 4, 4 * 3 + 0),
            new Example("ddm_10_0004 RIGHT_SHIFT, same key", ShardingFunction.RIGHT_SHIFT, SHIFT_4, true, 3, ShardingKeyKind.INTEGER,
                    123456L, 4, 13),
            // HASH, ddm_10_0012: crc32('16') % 102400 = 49364 in range 3 = [38400, 51199]; crc32(year('2019-10-11')) = 5404
            databaseOnly("ddm_10_0012 HASH, integer key", ShardingFunction.HASH, FunctionParameters.NONE, ShardingKeyKind.INTEGER,
                    16L, 3),
            databaseOnly("ddm_10_0012 HASH with year()", ShardingFunction.HASH, HASH_BY_YEAR, ShardingKeyKind.DATE,
                    LocalDate.of(2019, 10, 11), 0),
            // RANGE, ddm_10_0013
            databaseOnly("ddm_10_0013 RANGE, key 3 in [3-4]=1", ShardingFunction.RANGE, RANGE_EXAMPLE, ShardingKeyKind.INTEGER, 3L, 1),
            databaseOnly("ddm_10_0013 RANGE, key 100 to default=7", ShardingFunction.RANGE, RANGE_EXAMPLE, ShardingKeyKind.INTEGER,
                    100L, 7),
            databaseOnly("ddm_10_0013 RANGE with month(): 10 in [9-10]=4", ShardingFunction.RANGE, RANGE_BY_MONTH,
                    ShardingKeyKind.DATE, LocalDate.of(2019, 10, 11), 4),
            // YYYYMM, ddm_10_0006: 2012 x 12 + 11 = 24155
            separate("ddm_10_0006 YYYYMM", ShardingFunction.YYYYMM, ShardingKeyKind.DATE, NOV_20_2012, 3, 2),
            sameKey("ddm_10_0006 YYYYMM", ShardingFunction.YYYYMM, ShardingKeyKind.DATE, NOV_20_2012, 3, 11),
            // YYYYDD, ddm_10_0007: 2012 x 366 + 366
            separate("ddm_10_0007 YYYYDD", ShardingFunction.YYYYDD, ShardingKeyKind.DATE, DEC_31_2012, 6, 0),
            sameKey("ddm_10_0007 YYYYDD", ShardingFunction.YYYYDD, ShardingKeyKind.DATE, DEC_31_2012, 2, 6),
            // YYYYWEEK, ddm_10_0008: 2012-12-31 is week 1 of 2013, 2013 x 54 + 1
            separate("ddm_10_0008 YYYYWEEK", ShardingFunction.YYYYWEEK, ShardingKeyKind.DATE, DEC_31_2012, 7, 1),
            sameKey("ddm_10_0008 YYYYWEEK", ShardingFunction.YYYYWEEK, ShardingKeyKind.DATE, DEC_31_2012, 2, 7),
            // MM, DD, MMDD, WEEK (ddm_10_0014 .. ddm_10_0017): table algorithms with their documented table counts, shard 0
            tableOnly("ddm_10_0014 MM: 1 mod 12", ShardingFunction.MM, 12, JAN_15_2019, 1),
            tableOnly("ddm_10_0015 DD: 15 mod 31", ShardingFunction.DD, 31, JAN_15_2019, 15),
            tableOnly("ddm_10_0016 MMDD: 15 mod 366", ShardingFunction.MMDD, 366, JAN_15_2019, 15),
            tableOnly("ddm_10_0017 WEEK: Tuesday is day 3, 3 mod 7", ShardingFunction.WEEK, 7, JAN_15_2019, 3));

    private DocumentedExamples() {
    }

    /** Database key differs from table key (both given the example's value): shard and the table's position in it. */
    private static Example separate(String page, ShardingFunction function, ShardingKeyKind kind, Object key, int shard,
            int localTable) {
        return new Example(page + ", different keys", function, FunctionParameters.NONE, false, 3, kind, key, shard,
                shard * 3 + localTable);
    }

    /** Database and table sharding by the same column: shard and global table number. */
    private static Example sameKey(String page, ShardingFunction function, ShardingKeyKind kind, Object key, int shard, int table) {
        return new Example(page + ", same key", function, FunctionParameters.NONE, true, 3, kind, key, shard, table);
    }

    private static Example databaseOnly(String page, ShardingFunction function, FunctionParameters parameters, ShardingKeyKind kind,
            Object key, int shard) {
        return new Example(page, function, parameters, false, 1, kind, key, shard, -1);
    }

    /** A date table algorithm; the database key (mod-hash of an id, given 0) puts the row into shard 0. */
    private static Example tableOnly(String page, ShardingFunction function, int tablesPerShard, LocalDate key, int localTable) {
        return new Example(page, function, FunctionParameters.NONE, false, tablesPerShard, ShardingKeyKind.DATE, key, 0, localTable);
    }

    /**
     * One worked example.
     *
     * @param page the guide's page id and what the row shows
     * @param function the algorithm
     * @param parameters its parameters
     * @param sameKey whether database and table sharding use the same column (else two columns given the same value;
     *     for the date table algorithms the database is sharded by mod-hash of another column)
     * @param tablesPerShard tables per shard, 1 when the example shards databases only
     * @param columnKind the column's kind
     * @param key the sharding key value as the application gives it
     * @param shard the shard the page names
     * @param table the global number of the physical table ({@code shard * T + position}), -1 when databases only
     */
    public record Example(String page, ShardingFunction function, FunctionParameters parameters, boolean sameKey,
            int tablesPerShard, ShardingKeyKind columnKind, Object key, int shard, int table) {

        /** Shards in every example. */
        public static final int SHARDS = 8;

        /**
         * Whether the example shards tables as well as databases.
         * @return whether there are sub-tables
         */
        public boolean hasTables() {
            return this.table >= 0;
        }

        /**
         * Whether the database is sharded by this example's algorithm (not by mod-hash of another column).
         * @return whether the algorithm shards databases
         */
        public boolean shardsDatabases() {
            return this.function.supportsDatabaseSharding();
        }

        @Override
        public String toString() {
            return this.page;
        }

    }

}
