package io.ddm.algorithm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import io.ddm.algorithm.DocumentedExamples.Example;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every worked example of Huawei DDM's sharding-algorithm pages ({@link DocumentedExamples}), routed by DDM's
 * algorithm as ShardingSphere calls it: the row must reach the shard and physical table the page names.
 */
class DocumentedExamplesConformanceTests {

    private static ShardingColumnTypes columnTypes;

    @BeforeAll
    static void registerColumnTypes() {
        columnTypes = ShardingColumnTypes.register("conformance");
        // The examples' columns: "k_<kind>" of the kind the example gives.
        columnTypes.bind((table, column) -> ShardingKeyKind.valueOf(table.substring(table.indexOf(':') + 1)));
    }

    @AfterAll
    static void closeColumnTypes() {
        columnTypes.close();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.ddm.algorithm.DocumentedExamples#ALL")
    void routesAsThePageSays(Example example) {
        String table = "t:" + example.columnKind().name();
        int tables = example.tablesPerShard();
        String shard;
        if (example.shardsDatabases()) {
            DdmShardingAlgorithm database = algorithm(DdmShardingAlgorithm.databaseProperties(example.function(), Example.SHARDS,
                    tables, example.sameKey(), "shop_", example.parameters()));
            shard = database.doSharding(databases(), new PreciseShardingValue<>(table, "k", null, (Comparable<?>) example.key()));
        }
        else {
            shard = "shop_0";
        }
        assertThat(shard).isEqualTo("shop_" + example.shard());
        if (example.hasTables()) {
            DdmShardingAlgorithm tableAlgorithm = algorithm(DdmShardingAlgorithm.tableProperties(example.function(), Example.SHARDS,
                    tables, example.sameKey(), "t_", example.parameters()));
            String physical = tableAlgorithm.doSharding(tablesOf(example.shard(), tables),
                    new PreciseShardingValue<>(table, "k", null, (Comparable<?>) example.key()));
            assertThat(physical).isEqualTo("t_" + example.table());
        }
    }

    private static DdmShardingAlgorithm algorithm(Properties properties) {
        DdmShardingAlgorithm result = new DdmShardingAlgorithm();
        result.init(DdmShardingAlgorithm.withColumnTypes(properties, columnTypes.id()));
        return result;
    }

    private static Collection<String> databases() {
        List<String> result = new ArrayList<>();
        for (int shard = 0; shard < Example.SHARDS; shard++) {
            result.add("shop_" + shard);
        }
        return result;
    }

    private static Collection<String> tablesOf(int shard, int tablesPerShard) {
        List<String> result = new ArrayList<>();
        for (int table = 0; table < tablesPerShard; table++) {
            result.add("t_" + (shard * tablesPerShard + table));
        }
        return result;
    }

}
