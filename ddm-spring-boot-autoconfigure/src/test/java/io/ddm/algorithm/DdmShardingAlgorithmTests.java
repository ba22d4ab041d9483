package io.ddm.algorithm;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import com.google.common.collect.Range;
import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import org.apache.shardingsphere.infra.config.props.ConfigurationProperties;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.route.engine.condition.value.ListShardingConditionValue;
import org.apache.shardingsphere.sharding.route.engine.condition.value.ShardingConditionValue;
import org.apache.shardingsphere.sharding.route.strategy.type.standard.StandardShardingStrategy;
import org.apache.shardingsphere.sharding.spi.ShardingAlgorithm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DdmShardingAlgorithm} through ShardingSphere's {@code StandardShardingAlgorithm} interface, on
 * a layout of 2 shard databases ({@code shop_0}, {@code shop_1}) with 4 physical tables each: {@code shop_s} holds
 * {@code t_order_(4s)} .. {@code t_order_(4s+3)}.
 */
class DdmShardingAlgorithmTests {

    private static final int SHARDS = 2;

    private static final int TABLES_PER_SHARD = 4;

    private static final List<String> DATABASES = List.of("shop_0", "shop_1");

    private static List<String> tablesOf(String database) {
        int shard = DATABASES.indexOf(database);
        List<String> result = new ArrayList<>();
        for (int table = 0; table < TABLES_PER_SHARD; table++) {
            result.add("t_order_" + (shard * TABLES_PER_SHARD + table));
        }
        return result;
    }

    private static DdmShardingAlgorithm algorithm(Properties props) {
        DdmShardingAlgorithm algorithm = new DdmShardingAlgorithm();
        algorithm.init(props);
        return algorithm;
    }

    private static DdmShardingAlgorithm globalDatabase(ShardingFunction function) {
        return algorithm(DdmShardingAlgorithm.databaseProperties(function, SHARDS, TABLES_PER_SHARD, true, "shop_",
                FunctionParameters.NONE));
    }

    private static DdmShardingAlgorithm globalTable(ShardingFunction function) {
        return algorithm(DdmShardingAlgorithm.tableProperties(function, SHARDS, TABLES_PER_SHARD, true, "t_order_",
                FunctionParameters.NONE));
    }

    private static DdmShardingAlgorithm localDatabase() {
        return algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.MOD_HASH, SHARDS, TABLES_PER_SHARD, false,
                "shop_", FunctionParameters.NONE));
    }

    private static DdmShardingAlgorithm localTable() {
        return algorithm(DdmShardingAlgorithm.tableProperties(ShardingFunction.MOD_HASH, SHARDS, TABLES_PER_SHARD, false,
                "t_order_", FunctionParameters.NONE));
    }

    private static String precise(DdmShardingAlgorithm algorithm, Collection<String> targets, String column, Comparable<?> value) {
        return algorithm.doSharding(targets, new PreciseShardingValue<>("t_order", column, null, value));
    }

    private static Collection<String> range(DdmShardingAlgorithm algorithm, Collection<String> targets, String column,
            Range<Comparable<?>> range) {
        return algorithm.doSharding(targets, new RangeShardingValue<>("t_order", column, null, range));
    }

    /** Routes one row the way ShardingSphere does: database first, then a table among that database's tables. */
    private static String route(DdmShardingAlgorithm database, Comparable<?> databaseKey, DdmShardingAlgorithm table,
            Comparable<?> tableKey) {
        String shard = precise(database, DATABASES, "user_id", databaseKey);
        return shard + "." + precise(table, tablesOf(shard), "order_id", tableKey);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Range<Comparable<?>> closed(long lower, long upper) {
        return (Range) Range.closed(lower, upper);
    }

    @Test
    void isLoadedThroughShardingSphereSpiAsDdm() {
        Properties props = DdmShardingAlgorithm.databaseProperties(ShardingFunction.MOD_HASH, SHARDS, TABLES_PER_SHARD, true,
                "shop_", FunctionParameters.NONE);
        ShardingAlgorithm algorithm = TypedSPILoader.getService(ShardingAlgorithm.class, "DDM", props);
        assertThat(algorithm).isInstanceOf(DdmShardingAlgorithm.class);
        assertThat(algorithm.getType()).isEqualTo("DDM").isEqualTo(DdmShardingAlgorithm.TYPE);
        assertThat(precise((DdmShardingAlgorithm) algorithm, DATABASES, "order_id", 15L)).isEqualTo("shop_1");
    }

    @Test
    void globalNumberingRoutesKey15ToTable7OnShard1() {
        // 15 % (2 * 4) = 7, shard 7 / 4 = 1
        assertThat(route(globalDatabase(ShardingFunction.MOD_HASH), 15L, globalTable(ShardingFunction.MOD_HASH), 15L))
            .isEqualTo("shop_1.t_order_7");
    }

    @Test
    void globalNumberingPicksOneOfAllPhysicalTablesByKeyModuloTheirCount() {
        DdmShardingAlgorithm database = globalDatabase(ShardingFunction.MOD_HASH);
        DdmShardingAlgorithm table = globalTable(ShardingFunction.MOD_HASH);
        for (long key = -20; key < 100; key++) {
            long global = Math.abs(key % (SHARDS * TABLES_PER_SHARD));
            assertThat(route(database, key, table, key)).as("key %d", key)
                .isEqualTo("shop_" + (global / TABLES_PER_SHARD) + ".t_order_" + global);
        }
        assertThat(route(database, 2, table, 2)).isEqualTo("shop_0.t_order_2");
        assertThat(route(database, 4, table, 4)).isEqualTo("shop_1.t_order_4");
        assertThat(route(database, 8, table, 8)).isEqualTo("shop_0.t_order_0");
    }

    @Test
    void globalNumberingWithHashFollowsDdmsBuckets() {
        // 8 physical tables: crc32("16") % 102400 = 49364, / 12800 = table 3, in shard 3 / 4 = 0.
        assertThat(route(globalDatabase(ShardingFunction.HASH), 16L, globalTable(ShardingFunction.HASH), 16L))
            .isEqualTo("shop_0.t_order_3");
    }

    @Test
    void independentColumnsRouteShardAndLocalTableSeparately() {
        DdmShardingAlgorithm database = localDatabase();
        DdmShardingAlgorithm table = localTable();
        // user 7 -> shard 7 % 2 = 1; order 6 -> position 6 % 4 = 2 among t_order_4..7 -> t_order_6
        assertThat(route(database, 7L, table, 6L)).isEqualTo("shop_1.t_order_6");
        // user 4 -> shard 0; order 6 -> position 2 among t_order_0..3
        assertThat(route(database, 4L, table, 6L)).isEqualTo("shop_0.t_order_2");
        for (long user = 0; user < 10; user++) {
            for (long order = 0; order < 10; order++) {
                long shard = user % SHARDS;
                long global = shard * TABLES_PER_SHARD + order % TABLES_PER_SHARD;
                assertThat(route(database, user, table, order)).as("user %d, order %d", user, order)
                    .isEqualTo("shop_" + shard + ".t_order_" + global);
            }
        }
    }

    @Test
    void independentTableRoutingFindsTheLocalTableWhateverTheTargetOrder() {
        List<String> reversed = new ArrayList<>(tablesOf("shop_1"));
        Collections.reverse(reversed);
        assertThat(precise(localTable(), reversed, "order_id", 5L)).isEqualTo("t_order_5");
        assertThat(precise(localTable(), List.of("T_ORDER_4", "T_ORDER_5", "T_ORDER_6", "T_ORDER_7"), "order_id", 5L))
            .isEqualTo("T_ORDER_5");
    }

    @Test
    void globalNumberingNarrowsRangesToTheTouchedDatabasesAndTables() {
        DdmShardingAlgorithm database = globalDatabase(ShardingFunction.MOD_HASH);
        DdmShardingAlgorithm table = globalTable(ShardingFunction.MOD_HASH);
        // BETWEEN 10 AND 12 -> global tables 2, 3, 4 -> shards 0 and 1
        assertThat(range(database, DATABASES, "order_id", closed(10, 12))).containsExactly("shop_0", "shop_1");
        assertThat(range(table, tablesOf("shop_0"), "order_id", closed(10, 12))).containsExactly("t_order_2", "t_order_3");
        assertThat(range(table, tablesOf("shop_1"), "order_id", closed(10, 12))).containsExactly("t_order_4");
        // BETWEEN 9 AND 11 -> tables 1, 2, 3 -> shard 0 only
        assertThat(range(database, DATABASES, "order_id", closed(9, 11))).containsExactly("shop_0");
        // A single value behaves like '='
        assertThat(range(database, DATABASES, "order_id", closed(15, 15))).containsExactly("shop_1");
        assertThat(range(table, tablesOf("shop_1"), "order_id", closed(15, 15))).containsExactly("t_order_7");
        // Unbounded: everything
        @SuppressWarnings({ "unchecked", "rawtypes" })
        Range<Comparable<?>> atLeast = (Range) Range.atLeast(10L);
        assertThat(range(database, DATABASES, "order_id", atLeast)).containsExactly("shop_0", "shop_1");
        assertThat(range(table, tablesOf("shop_1"), "order_id", atLeast)).containsExactlyElementsOf(tablesOf("shop_1"));
    }

    @Test
    void independentColumnsNarrowRangesToLocalTables() {
        DdmShardingAlgorithm database = localDatabase();
        DdmShardingAlgorithm table = localTable();
        assertThat(range(database, DATABASES, "user_id", closed(4, 4))).containsExactly("shop_0");
        assertThat(range(database, DATABASES, "user_id", closed(4, 5))).containsExactly("shop_0", "shop_1");
        // order_id BETWEEN 5 AND 6 -> local positions 1 and 2
        assertThat(range(table, tablesOf("shop_0"), "order_id", closed(5, 6))).containsExactly("t_order_1", "t_order_2");
        assertThat(range(table, tablesOf("shop_1"), "order_id", closed(5, 6))).containsExactly("t_order_5", "t_order_6");
        assertThat(range(table, tablesOf("shop_1"), "order_id", closed(0, 100))).containsExactlyElementsOf(tablesOf("shop_1"));
    }

    @Test
    void tenThousandSequentialKeysSpreadEvenlyOverAllEightTablesWithModHash() {
        assertEvenSpread(ShardingFunction.MOD_HASH);
    }

    @Test
    void tenThousandSequentialKeysSpreadEvenlyOverAllEightTablesWithHash() {
        assertEvenSpread(ShardingFunction.HASH);
    }

    private static void assertEvenSpread(ShardingFunction function) {
        DdmShardingAlgorithm database = globalDatabase(function);
        DdmShardingAlgorithm table = globalTable(function);
        Map<String, Integer> rows = new TreeMap<>();
        int keys = 10_000;
        for (long key = 1; key <= keys; key++) {
            rows.merge(route(database, key, table, key), 1, Integer::sum);
        }
        assertThat(rows).containsOnlyKeys("shop_0.t_order_0", "shop_0.t_order_1", "shop_0.t_order_2", "shop_0.t_order_3",
                "shop_1.t_order_4", "shop_1.t_order_5", "shop_1.t_order_6", "shop_1.t_order_7");
        double mean = keys / 8.0;
        assertThat(rows.values()).allSatisfy((count) -> assertThat(count).isBetween((int) (mean * 0.9), (int) (mean * 1.1)));
        assertThat(rows.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(keys);
    }

    @Test
    void rangeAndListAlgorithmsTravelThroughTheirProperties() {
        FunctionParameters ranges = new FunctionParameters(0, List.of(new KeyRangeTarget(-100, 99, 1),
                new KeyRangeTarget(100, 199, 0)), Map.of());
        DdmShardingAlgorithm range = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.RANGE, SHARDS, 1, false,
                "shop_", ranges));
        assertThat(precise(range, DATABASES, "user_id", -100L)).isEqualTo("shop_1");
        assertThat(precise(range, DATABASES, "user_id", 150)).isEqualTo("shop_0");
        assertThat(range(range, DATABASES, "user_id", closed(0, 100))).containsExactly("shop_0", "shop_1");
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(range, DATABASES, "user_id", 200L))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("t_order.user_id: key 200 is outside every configured range"));
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("CN", 0);
        values.put("a=b;c:d", 1);
        values.put("北京 100%", 1);
        DdmShardingAlgorithm list = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.LIST, SHARDS, 1, false,
                "shop_", new FunctionParameters(0, List.of(), values)));
        assertThat(precise(list, DATABASES, "region", "CN")).isEqualTo("shop_0");
        assertThat(precise(list, DATABASES, "region", "a=b;c:d")).isEqualTo("shop_1");
        assertThat(precise(list, DATABASES, "region", "北京 100%")).isEqualTo("shop_1");
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(list, DATABASES, "region", "US"))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("t_order.region: key 'US' is in no configured list"));
    }

    @Test
    void rightShiftBitsTravelThroughTheProperties() {
        DdmShardingAlgorithm database = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.RIGHT_SHIFT, 4, 1,
                false, "shop_", new FunctionParameters(4, List.of(), Map.of())));
        List<String> databases = List.of("shop_0", "shop_1", "shop_2", "shop_3");
        // (1000 >> 4) % 4 = 62 % 4 = 2
        assertThat(precise(database, databases, "user_id", 1000L)).isEqualTo("shop_" + ((1000 >> 4) % 4));
    }

    @Test
    void dateFunctionsRouteSqlDates() {
        DdmShardingAlgorithm database = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.YYYYMM, 4, 1, false,
                "shop_", FunctionParameters.NONE));
        List<String> databases = List.of("shop_0", "shop_1", "shop_2", "shop_3");
        assertThat(precise(database, databases, "created", java.sql.Date.valueOf("2024-03-05")))
            .isEqualTo("shop_" + ((2024 * 12 + 3) % 4));
        assertThat(precise(database, databases, "created", "2024-03-05 10:00:00")).isEqualTo("shop_" + ((2024 * 12 + 3) % 4));
    }

    @Test
    void unroutableKeysNameTheTableAndColumn() {
        DdmShardingAlgorithm database = globalDatabase(ShardingFunction.MOD_HASH);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(database, DATABASES, "order_id", null))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("t_order.order_id: a NULL sharding key cannot be routed by"
                    + " mod-hash"));
        assertThatExceptionOfType(ShardingKeyException.class)
            .isThrownBy(() -> precise(database, DATABASES, "order_id", LocalDate.of(2024, 3, 5)))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("t_order.order_id: mod-hash accepts")
                .contains("java.time.LocalDate"));
        @SuppressWarnings({ "unchecked", "rawtypes" })
        Range<Comparable<?>> dates = (Range) Range.closed(LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 6));
        DdmShardingAlgorithm rangeAlgorithm = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.RANGE, SHARDS, 1,
                false, "shop_", new FunctionParameters(0, List.of(new KeyRangeTarget(0, 9, 0)), Map.of())));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> range(rangeAlgorithm, DATABASES, "order_id", dates))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("t_order.order_id: range accepts integer"));
    }

    private static DdmShardingAlgorithm withColumnKind(ShardingFunction function, ShardingKeyKind kind, ShardingColumnTypes[] holder) {
        holder[0] = ShardingColumnTypes.register("kinds");
        holder[0].bind((table, column) -> kind);
        return algorithm(DdmShardingAlgorithm.withColumnTypes(DdmShardingAlgorithm.databaseProperties(function, SHARDS, 12, true,
                "shop_", FunctionParameters.NONE), holder[0].id()));
    }

    @Test
    void aStringKeyOfAnIntegerColumnRoutesAsTheInteger() {
        ShardingColumnTypes[] types = new ShardingColumnTypes[1];
        try {
            DdmShardingAlgorithm database = withColumnKind(ShardingFunction.MOD_HASH, ShardingKeyKind.INTEGER, types);
            // Global tables over 2 shards x 12: 13 % 24 = 13 -> shard 1 ("13".hashCode() would give another table).
            assertThat(precise(database, DATABASES, "user_id", "13")).isEqualTo(precise(database, DATABASES, "user_id", 13L))
                .isEqualTo("shop_1");
            assertThat(precise(database, DATABASES, "user_id", " +13 ")).isEqualTo("shop_1");
            assertThat(precise(database, DATABASES, "user_id", "-13")).isEqualTo(precise(database, DATABASES, "user_id", -13L));
            assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(database, DATABASES, "user_id", "13a"))
                .withMessage("t_order.user_id: the column is an integer column, but the key is the string '13a', which is no"
                        + " integer; give an integer");
        }
        finally {
            types[0].close();
        }
    }

    @Test
    void aStringKeyOfAStringColumnIsHashed() {
        ShardingColumnTypes[] types = new ShardingColumnTypes[1];
        try {
            DdmShardingAlgorithm database = withColumnKind(ShardingFunction.MOD_HASH, ShardingKeyKind.STRING, types);
            // "14".hashCode() = 1571, % 24 = 11 -> shard 0; the integer 14 would be shard 1.
            assertThat(precise(database, DATABASES, "user_id", "14")).isEqualTo("shop_0");
            assertThat(precise(database, DATABASES, "user_id", "14")).isEqualTo("shop_" + (Math.abs("14".hashCode() % 24) / 12));
            assertThat(precise(database, DATABASES, "user_id", "abc")).isEqualTo("shop_" + (Math.abs("abc".hashCode() % 24) / 12));
        }
        finally {
            types[0].close();
        }
    }

    @Test
    void integerOnlyAlgorithmsReadStringKeysAsIntegersWithoutAColumnType() {
        DdmShardingAlgorithm database = algorithm(DdmShardingAlgorithm.databaseProperties(ShardingFunction.RIGHT_SHIFT, SHARDS, 1,
                false, "shop_", new FunctionParameters(4, List.of(), Map.of())));
        assertThat(precise(database, DATABASES, "user_id", "1000")).isEqualTo(precise(database, DATABASES, "user_id", 1000L));
        assertThat(range(database, DATABASES, "user_id", stringRange("0", "15"))).containsExactly("shop_0");
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Range<Comparable<?>> stringRange(String lower, String upper) {
        return (Range) Range.closed(lower, upper);
    }

    @Test
    void aTargetThatIsNotAvailableIsReported() {
        DdmShardingAlgorithm database = localDatabase();
        assertThatIllegalStateException().isThrownBy(() -> precise(database, List.of("shop_0"), "user_id", 1L))
            .withMessageContaining("shop_1")
            .withMessageContaining("not among [shop_0]");
    }

    // Through ShardingSphere's StandardShardingStrategy, as its route engine calls the algorithm.

    private static Collection<String> strategy(DdmShardingAlgorithm algorithm, Collection<String> targets, String column,
            Comparable<?>... values) {
        StandardShardingStrategy strategy = new StandardShardingStrategy(column, algorithm);
        List<ShardingConditionValue> conditions = List.of(new ListShardingConditionValue<>(column, "t_order", List.of(values)));
        return strategy.doSharding(targets, conditions, null, new ConfigurationProperties(new Properties()));
    }

    @Test
    void inListIsRoutedToEveryDatabaseItTouches() {
        assertThat(strategy(globalDatabase(ShardingFunction.MOD_HASH), DATABASES, "order_id", 15L, 2L))
            .containsExactly("shop_0", "shop_1");
        assertThat(strategy(localTable(), tablesOf("shop_1"), "order_id", 5L, 9L)).containsExactly("t_order_5");
    }

    /**
     * {@code WHERE order_id IN (15, 2)} with global numbering: ShardingSphere routes the databases (shop_0 and
     * shop_1), then asks the table algorithm for every value of the IN list in each routed database. In shop_0,
     * key 15 belongs to t_order_7, which lives in shop_1: the algorithm must skip it (return null, which
     * StandardShardingStrategy ignores), as the range path already does.
     */
    @Test
    void globalNumberingInListSkipsTablesOfOtherShards() {
        DdmShardingAlgorithm table = globalTable(ShardingFunction.MOD_HASH);
        assertThat(strategy(table, tablesOf("shop_0"), "order_id", 15L, 2L)).containsExactly("t_order_2");
        assertThat(strategy(table, tablesOf("shop_1"), "order_id", 15L, 2L)).containsExactly("t_order_7");
    }

}
