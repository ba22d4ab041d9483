package io.ddm.config;

import java.util.List;
import java.util.Properties;

import io.ddm.algorithm.segment.SegmentShardingAlgorithm;
import io.ddm.topology.DataNode;
import io.ddm.topology.Segments;
import io.ddm.topology.TableLayout;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.infra.algorithm.core.config.AlgorithmConfiguration;
import org.apache.shardingsphere.sharding.api.config.ShardingRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.rule.ShardingTableRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.StandardShardingStrategyConfiguration;
import org.junit.jupiter.api.Test;

import static io.ddm.config.TopologyFactoryTests.assertInvalid;
import static io.ddm.config.TopologyFactoryTests.concat;
import static io.ddm.config.TopologyFactoryTests.modHashTable;
import static io.ddm.config.TopologyFactoryTests.twoNodes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of range segments in the configuration ({@code ddm.tables.<table>.table-sharding.segments}): the layout
 * and the ShardingSphere rule they give, and every invalid combination rejected with its property path. Eight
 * shards on two nodes.
 */
class SegmentConfigurationTests {

    private static final String T_ORDER = "ddm.tables.t_order.";

    private static final String SEGMENTS = T_ORDER + "table-sharding.segments";

    /** t_order sharded by database with mod-hash(user_id) and by table into segments of order_id. */
    private static String[] segmented(String... more) {
        return concat(new String[] { T_ORDER + "database-sharding.column=user_id", T_ORDER + "database-sharding.algorithm=mod-hash",
            T_ORDER + "table-sharding.column=order_id" }, more);
    }

    @Test
    void everyShardHoldsOneTablePerSegmentNamedByShardAndSegment() {
        Topology topology = TopologyFactory.create(twoNodes(segmented(SEGMENTS + "=5000000,10000000")));
        TableLayout order = topology.tables().get("t_order");
        assertThat(order.segments()).isEqualTo(new Segments("order_id", 1, List.of(5_000_000L, 10_000_000L)));
        assertThat(order.segments().all()).extracting(Object::toString).containsExactly("1..5000000", "5000001..10000000");
        assertThat(order.tableSharding()).isNull();
        assertThat(order.tablesPerShard()).isEqualTo(2);
        assertThat(order.dataNodes()).hasSize(16);
        assertThat(order.dataNodes()).extracting(DataNode::toString).startsWith("ds0.shop_0.t_order_0_0", "ds0.shop_0.t_order_0_1",
                "ds0.shop_1.t_order_1_0", "ds0.shop_1.t_order_1_1").endsWith("ds1.shop_7.t_order_7_0", "ds1.shop_7.t_order_7_1");
    }

    @Test
    void addingASegmentKeepsTheNamesOfTheExistingOnes() {
        List<DataNode> two = TopologyFactory.create(twoNodes(segmented(SEGMENTS + "=5000000,10000000"))).tables().get("t_order")
            .dataNodes();
        List<DataNode> three = TopologyFactory.create(twoNodes(segmented(SEGMENTS + "=5000000,10000000,15000000"))).tables()
            .get("t_order").dataNodes();
        assertThat(three).containsAll(two);
        assertThat(three).filteredOn((node) -> !two.contains(node)).extracting(DataNode::table)
            .containsExactly("t_order_0_2", "t_order_1_2", "t_order_2_2", "t_order_3_2", "t_order_4_2", "t_order_5_2", "t_order_6_2",
                    "t_order_7_2");
    }

    @Test
    void theFirstSegmentStartsAtSegmentsStart() {
        Topology topology = TopologyFactory.create(twoNodes(segmented(SEGMENTS + "=0,1000",
                T_ORDER + "table-sharding.segments-start=-50")));
        assertThat(topology.tables().get("t_order").segments().all()).extracting(Object::toString).containsExactly("-50..0", "1..1000");
    }

    @Test
    void segmentsRouteTablesWithTheirOwnAlgorithmAndDatabasesWithDdms() {
        Topology topology = TopologyFactory.create(twoNodes(segmented(SEGMENTS + "=5000000,10000000")));
        ShardingRuleConfiguration sharding = (ShardingRuleConfiguration) RuleConfigurationFactory.create(topology, "w", "r", "c", null)
            .iterator().next();
        ShardingTableRuleConfiguration rule = sharding.getTables().iterator().next();
        assertThat(rule.getActualDataNodes()).startsWith("<LITERAL>shop_0.t_order_0_0,shop_0.t_order_0_1,shop_1.t_order_1_0");
        StandardShardingStrategyConfiguration table = (StandardShardingStrategyConfiguration) rule.getTableShardingStrategy();
        assertThat(table.getShardingColumn()).isEqualTo("order_id");
        AlgorithmConfiguration algorithm = sharding.getShardingAlgorithms().get(table.getShardingAlgorithmName());
        assertThat(algorithm.getType()).isEqualTo(SegmentShardingAlgorithm.TYPE);
        Properties expected = SegmentShardingAlgorithm.properties("t_order", topology.tables().get("t_order").segments(), SEGMENTS);
        assertThat(algorithm.getProps()).isEqualTo(expected);
        StandardShardingStrategyConfiguration database = (StandardShardingStrategyConfiguration) rule.getDatabaseShardingStrategy();
        assertThat(database.getShardingColumn()).isEqualTo("user_id");
        assertThat(sharding.getShardingAlgorithms().get(database.getShardingAlgorithmName()).getType()).isEqualTo("DDM");
    }

    @Test
    void segmentsAndTablesPerShard() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000", T_ORDER + "table-sharding.tables-per-shard=4")),
                T_ORDER + "table-sharding.tables-per-shard", "cannot be combined with " + SEGMENTS,
                "one table per segment");
    }

    @Test
    void segmentsAndAnAlgorithm() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000", T_ORDER + "table-sharding.algorithm=mod-hash")),
                T_ORDER + "table-sharding.algorithm", "cannot be combined with " + SEGMENTS, "Remove " + T_ORDER
                        + "table-sharding.algorithm");
    }

    @Test
    void segmentsAndAnotherAlgorithmsParameter() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000", T_ORDER + "table-sharding.shift-bits=4")),
                T_ORDER + "table-sharding.shift-bits", "which do not use it", "Remove");
    }

    @Test
    void segmentsWithoutColumn() {
        assertInvalid(twoNodes(T_ORDER + "database-sharding.column=user_id", T_ORDER + "database-sharding.algorithm=mod-hash",
                SEGMENTS + "=5000000"), T_ORDER + "table-sharding.column", "no segment column is set", "column=order_id");
    }

    @Test
    void boundsThatDoNotIncrease() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000,10000000,10000000")), SEGMENTS + "[2]",
                "upper bound 10000000 is not greater than the previous one, 10000000", "increasing order");
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000,4000000")), SEGMENTS + "[1]",
                "upper bound 4000000 is not greater than the previous one, 5000000", "add segments at the end");
    }

    @Test
    void firstBoundBelowTheStart() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=0")), SEGMENTS + "[0]",
                "upper bound 0 of the first segment is below " + SEGMENTS + "-start 1", "at least 1");
    }

    @Test
    void segmentsStartWithoutSegments() {
        assertInvalid(twoNodes(segmented(T_ORDER + "table-sharding.segments-start=0")), T_ORDER + "table-sharding.segments-start",
                "is set but " + SEGMENTS + " is empty", "segments=5000000,10000000");
    }

    @Test
    void tableNamedLikeASegmentTable() {
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000", "ddm.broadcast-tables=t_order_3_17")), "ddm.broadcast-tables",
                "table 't_order_3_17' has the name of a physical table of 't_order' (t_order_0_0, t_order_0_1, ...)", "Rename one");
    }

    @Test
    void segmentTablesNamedLikeAnotherTablesPhysicalTables() {
        assertInvalid(twoNodes(concat(segmented(SEGMENTS + "=5000000"), modHashTable("t_order_0", "id", 2))),
                "ddm.tables.t_order_0", "physical table ds0.shop_0.t_order_0_0 of 't_order_0' has the name of a physical table of"
                        + " 't_order'", "Rename one");
    }

    @Test
    void bindingGroupsOfSegmentedTablesNeedTheSameSegments() {
        String item = "ddm.tables.t_order_item.";
        assertInvalid(twoNodes(segmented(SEGMENTS + "=5000000,10000000", T_ORDER + "binding-group=orders",
                item + "database-sharding.column=user_id", item + "database-sharding.algorithm=mod-hash",
                item + "table-sharding.column=order_id", item + "table-sharding.segments=5000000", item + "binding-group=orders")),
                item + "binding-group", "'t_order_item' is sharded as database mod-hash(user_id), table segments(order_id) [1..5000000]",
                "tables-per-shard (or segments)");
    }

}
