package io.ddm.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.ddm.algorithm.DdmShardingAlgorithm;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.broadcast.config.BroadcastRuleConfiguration;
import org.apache.shardingsphere.infra.algorithm.core.config.AlgorithmConfiguration;
import org.apache.shardingsphere.infra.config.rule.RuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.config.ReadwriteSplittingRuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.config.rule.ReadwriteSplittingDataSourceGroupRuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.transaction.TransactionalReadQueryStrategy;
import org.apache.shardingsphere.sharding.api.config.ShardingRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.rule.ShardingTableReferenceRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.rule.ShardingTableRuleConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.NoneShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.StandardShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.single.config.SingleRuleConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link RuleConfigurationFactory}: the ShardingSphere rule configurations built from a topology of
 * four shards on two nodes, {@code ds0} (shards 0 and 1, two replicas) and {@code ds1} (shards 2 and 3, none).
 */
class RuleConfigurationFactoryTests {

    private static final String[] TOPOLOGY = { "ddm.schema=shop", "ddm.shards=4", "ddm.default-shard=1",
            "ddm.nodes.ds0.url=jdbc:mysql://db0:3306/", "ddm.nodes.ds0.username=root",
            "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/",
            "ddm.nodes.ds0.replicas.ds0-r1.url=jdbc:mysql://db0-r1:3306/", "ddm.nodes.ds0.replicas.ds0-r1.weight=3",
            "ddm.nodes.ds1.url=jdbc:mysql://db1:3306/", "ddm.nodes.ds1.username=root",
            "ddm.tables.t_order.database-sharding.column=order_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
            "ddm.tables.t_order.table-sharding.column=order_id", "ddm.tables.t_order.table-sharding.algorithm=mod-hash",
            "ddm.tables.t_order.table-sharding.tables-per-shard=2", "ddm.tables.t_order.key-generator.column=order_id",
            "ddm.tables.t_order.binding-group=orders",
            "ddm.tables.t_order_item.database-sharding.column=order_id",
            "ddm.tables.t_order_item.database-sharding.algorithm=mod-hash",
            "ddm.tables.t_order_item.table-sharding.column=order_id", "ddm.tables.t_order_item.table-sharding.algorithm=mod-hash",
            "ddm.tables.t_order_item.table-sharding.tables-per-shard=2", "ddm.tables.t_order_item.key-generator.column=item_id",
            "ddm.tables.t_order_item.key-generator.type=uuid", "ddm.tables.t_order_item.binding-group=orders",
            "ddm.tables.t_user.database-sharding.column=user_id", "ddm.tables.t_user.database-sharding.algorithm=hash",
            "ddm.tables.t_user.binding-group=users",
            "ddm.tables.t_account.database-sharding.column=account_id", "ddm.tables.t_account.database-sharding.algorithm=range",
            "ddm.tables.t_account.database-sharding.ranges[0].from=0", "ddm.tables.t_account.database-sharding.ranges[0].to=999",
            "ddm.tables.t_account.database-sharding.ranges[0].shard=3",
            "ddm.tables.t_account.database-sharding.ranges[1].from=1000",
            "ddm.tables.t_account.database-sharding.ranges[1].to=1999",
            "ddm.tables.t_account.database-sharding.ranges[1].shard=0",
            "ddm.broadcast-tables=t_dict" };

    /** Binds {@code ddm.*} properties as Spring Boot does and builds the topology. */
    private static Topology topology(String... pairs) {
        Map<String, String> source = new LinkedHashMap<>();
        for (String pair : pairs) {
            int separator = pair.indexOf('=');
            source.put(pair.substring(0, separator), pair.substring(separator + 1));
        }
        DdmProperties properties = new Binder(new MapConfigurationPropertySource(source)).bind("ddm", DdmProperties.class).get();
        return TopologyFactory.create(properties);
    }

    private static Topology topology() {
        return topology(TOPOLOGY);
    }

    private static Topology topologyWithLoadBalancer(String loadBalancer) {
        List<String> pairs = new ArrayList<>(List.of(TOPOLOGY));
        pairs.add("ddm.read-write-splitting.load-balancer=" + loadBalancer);
        return topology(pairs.toArray(String[]::new));
    }

    private static <T extends RuleConfiguration> T rule(Collection<RuleConfiguration> rules, Class<T> type) {
        assertThat(rules).filteredOn(type::isInstance).hasSize(1);
        return type.cast(rules.stream().filter(type::isInstance).findFirst().orElseThrow());
    }

    private static ShardingRuleConfiguration sharding() {
        return rule(RuleConfigurationFactory.create(topology(), "src", "rotation", "columns", null), ShardingRuleConfiguration.class);
    }

    private static ShardingTableRuleConfiguration table(ShardingRuleConfiguration sharding, String name) {
        return sharding.getTables().stream().filter((table) -> table.getLogicTable().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void createsShardingReadWriteSplittingBroadcastAndSingleRulesInThatOrder() {
        Collection<RuleConfiguration> rules = RuleConfigurationFactory.create(topology(), "src", "rotation", "columns", null);
        assertThat(rules).hasExactlyElementsOfTypes(ShardingRuleConfiguration.class, ReadwriteSplittingRuleConfiguration.class,
                BroadcastRuleConfiguration.class, SingleRuleConfiguration.class);
    }

    @Test
    void actualDataNodesListEveryPhysicalTableShardByShard() {
        ShardingRuleConfiguration sharding = sharding();
        assertThat(sharding.getTables()).extracting(ShardingTableRuleConfiguration::getLogicTable)
            .containsExactly("t_order", "t_order_item", "t_user", "t_account");
        assertThat(table(sharding, "t_order").getActualDataNodes()).isEqualTo("<LITERAL>shop_0.t_order_0,shop_0.t_order_1,"
                + "shop_1.t_order_2,shop_1.t_order_3,shop_2.t_order_4,shop_2.t_order_5,shop_3.t_order_6,shop_3.t_order_7");
        assertThat(table(sharding, "t_user").getActualDataNodes())
            .isEqualTo("<LITERAL>shop_0.t_user,shop_1.t_user,shop_2.t_user,shop_3.t_user");
    }

    @Test
    void databaseAndTableStrategiesUseDdmAlgorithms() {
        ShardingRuleConfiguration sharding = sharding();
        ShardingTableRuleConfiguration order = table(sharding, "t_order");
        assertThat(order.getDatabaseShardingStrategy()).isInstanceOfSatisfying(StandardShardingStrategyConfiguration.class, (strategy) -> {
            assertThat(strategy.getShardingColumn()).isEqualTo("order_id");
            assertThat(strategy.getShardingAlgorithmName()).isEqualTo("t_order_database");
        });
        assertThat(order.getTableShardingStrategy()).isInstanceOfSatisfying(StandardShardingStrategyConfiguration.class, (strategy) -> {
            assertThat(strategy.getShardingColumn()).isEqualTo("order_id");
            assertThat(strategy.getShardingAlgorithmName()).isEqualTo("t_order_table");
        });
        AlgorithmConfiguration database = sharding.getShardingAlgorithms().get("t_order_database");
        assertThat(database.getType()).isEqualTo("DDM");
        assertThat(database.getProps()).containsOnly(entry("level", "database"), entry("function", "MOD_HASH"), entry("shards", "4"),
                entry("tables-per-shard", "2"), entry("global-numbering", "true"), entry("target-prefix", "shop_"),
                entry("shift-bits", "0"), entry("ranges", ""), entry("lists", ""), entry("column-types", "columns"));
        AlgorithmConfiguration table = sharding.getShardingAlgorithms().get("t_order_table");
        assertThat(table.getType()).isEqualTo("DDM");
        assertThat(table.getProps()).contains(entry("level", "table"), entry("function", "MOD_HASH"), entry("shards", "4"),
                entry("tables-per-shard", "2"), entry("global-numbering", "true"), entry("target-prefix", "t_order_"));
    }

    @Test
    void tablesShardedByDatabaseOnlyHaveNoTableStrategy() {
        ShardingRuleConfiguration sharding = sharding();
        ShardingTableRuleConfiguration user = table(sharding, "t_user");
        assertThat(user.getTableShardingStrategy()).isInstanceOf(NoneShardingStrategyConfiguration.class);
        assertThat(sharding.getShardingAlgorithms()).containsKey("t_user_database").doesNotContainKey("t_user_table");
        assertThat(sharding.getShardingAlgorithms().get("t_user_database").getProps()).contains(entry("function", "HASH"),
                entry("tables-per-shard", "1"), entry("global-numbering", "false"));
        assertThat(user.getKeyGenerateStrategy()).isNull();
    }

    @Test
    void rangeParametersAreWrittenIntoTheAlgorithmProperties() {
        AlgorithmConfiguration account = sharding().getShardingAlgorithms().get("t_account_database");
        assertThat(account.getProps()).contains(entry("function", "RANGE"), entry("ranges", "0:999:3;1000:1999:0"));
    }

    @Test
    void algorithmPropertiesRouteLikeTheTopologySays() {
        ShardingRuleConfiguration sharding = sharding();
        DdmShardingAlgorithm database = new DdmShardingAlgorithm();
        database.init(sharding.getShardingAlgorithms().get("t_order_database").getProps());
        DdmShardingAlgorithm table = new DdmShardingAlgorithm();
        table.init(sharding.getShardingAlgorithms().get("t_order_table").getProps());
        // 4 shards x 2 tables: 15 % 8 = 7 -> shop_3.t_order_7
        assertThat(database.doSharding(List.of("shop_0", "shop_1", "shop_2", "shop_3"),
                new PreciseShardingValue<>("t_order", "order_id", null, 15L))).isEqualTo("shop_3");
        assertThat(table.doSharding(List.of("t_order_6", "t_order_7"), new PreciseShardingValue<>("t_order", "order_id", null, 15L)))
            .isEqualTo("t_order_7");
        DdmShardingAlgorithm account = new DdmShardingAlgorithm();
        account.init(sharding.getShardingAlgorithms().get("t_account_database").getProps());
        assertThat(account.doSharding(List.of("shop_0", "shop_1", "shop_2", "shop_3"),
                new PreciseShardingValue<>("t_account", "account_id", null, 1500L))).isEqualTo("shop_0");
    }

    @Test
    void sequenceKeyGeneratorsAreDdmsNamingTheTablesSequenceInTheDataSourcesRegistration() {
        List<String> pairs = new ArrayList<>(List.of(TOPOLOGY));
        pairs.add("ddm.tables.t_user.key-generator.column=user_id");
        pairs.add("ddm.tables.t_user.key-generator.type=sequence");
        ShardingRuleConfiguration sharding = rule(RuleConfigurationFactory.create(topology(pairs.toArray(String[]::new)), "src",
                "rotation", "columns", "seqs"), ShardingRuleConfiguration.class);
        assertThat(table(sharding, "t_user").getKeyGenerateStrategy().getColumn()).isEqualTo("user_id");
        AlgorithmConfiguration sequence = sharding.getKeyGenerators().get("t_user_key");
        assertThat(sequence.getType()).isEqualTo("DDM_SEQUENCE");
        assertThat(sequence.getProps()).containsOnly(entry("sequences", "seqs"), entry("sequence", "t_user"));
        assertThat(sharding.getKeyGenerators().get("t_order_key").getType()).isEqualTo("DDM_SNOWFLAKE");
    }

    @Test
    void snowflakeKeyGeneratorsAreDdmsTakingTheWorkerIdFromTheDataSourcesSource() {
        ShardingRuleConfiguration sharding = sharding();
        ShardingTableRuleConfiguration order = table(sharding, "t_order");
        assertThat(order.getKeyGenerateStrategy().getColumn()).isEqualTo("order_id");
        assertThat(order.getKeyGenerateStrategy().getKeyGeneratorName()).isEqualTo("t_order_key");
        AlgorithmConfiguration snowflake = sharding.getKeyGenerators().get("t_order_key");
        assertThat(snowflake.getType()).isEqualTo("DDM_SNOWFLAKE");
        assertThat(snowflake.getProps()).containsOnly(entry("worker-id-source", "src"), entry("sequence", "t_order_key"));
        ShardingTableRuleConfiguration item = table(sharding, "t_order_item");
        assertThat(item.getKeyGenerateStrategy().getColumn()).isEqualTo("item_id");
        AlgorithmConfiguration uuid = sharding.getKeyGenerators().get(item.getKeyGenerateStrategy().getKeyGeneratorName());
        assertThat(uuid.getType()).isEqualTo("UUID");
        assertThat(uuid.getProps()).isEmpty();
        assertThat(sharding.getKeyGenerators()).containsOnlyKeys("t_order_key", "t_order_item_key");
    }

    @Test
    void bindingGroupsWithSeveralTablesBecomeBindingTableGroups() {
        Collection<ShardingTableReferenceRuleConfiguration> groups = sharding().getBindingTableGroups();
        // 'users' has a single member: nothing to bind.
        assertThat(groups).singleElement().satisfies((group) -> {
            assertThat(group.getName()).isEqualTo("orders");
            assertThat(group.getReference()).isEqualTo("t_order,t_order_item");
        });
    }

    @Test
    void readWriteSplittingGroupsAreNamedAfterTheShardDatabasesOfNodesWithReplicas() {
        Topology topology = topology();
        ReadwriteSplittingRuleConfiguration readWrite = rule(RuleConfigurationFactory.create(topology, "src", "rotation", "columns", null),
                ReadwriteSplittingRuleConfiguration.class);
        List<ReadwriteSplittingDataSourceGroupRuleConfiguration> groups = new ArrayList<>(readWrite.getDataSourceGroups());
        // ds1 (shards 2 and 3) has no replica: no group, the shard is the primary's data source itself.
        assertThat(groups).extracting(ReadwriteSplittingDataSourceGroupRuleConfiguration::getName).containsExactly("shop_0", "shop_1");
        for (int shard = 0; shard < 2; shard++) {
            ReadwriteSplittingDataSourceGroupRuleConfiguration group = groups.get(shard);
            assertThat(group.getWriteDataSourceName()).isEqualTo("shop_" + shard + "__ds0");
            assertThat(group.getReadDataSourceNames()).containsExactly("shop_" + shard + "__ds0-r0", "shop_" + shard + "__ds0-r1");
            assertThat(group.getTransactionalReadQueryStrategy()).isEqualTo(TransactionalReadQueryStrategy.PRIMARY);
            assertThat(group.getLoadBalancerName()).isEqualTo("shop_" + shard + "_round_robin");
            AlgorithmConfiguration balancer = readWrite.getLoadBalancers().get(group.getLoadBalancerName());
            assertThat(balancer.getType()).isEqualTo("DDM_REPLICA");
            assertThat(balancer.getProps()).containsEntry("rotation", "rotation")
                .containsEntry("primary", "shop_" + shard + "__ds0")
                .containsEntry("strategy", "ROUND_ROBIN");
        }
        assertThat(readWrite.getLoadBalancers()).containsOnlyKeys("shop_0_round_robin", "shop_1_round_robin");
    }

    @Test
    void dataSourceNamesAreTheShardDatabaseWithoutReplicasAndShardDatabaseAndServerWithThem() {
        Topology topology = topology();
        assertThat(RuleConfigurationFactory.dataSourceName(topology, "shop_0", topology.node("ds0").primary())).isEqualTo("shop_0__ds0");
        assertThat(RuleConfigurationFactory.dataSourceName(topology, "shop_1", topology.node("ds0").replicas().get(1)))
            .isEqualTo("shop_1__ds0-r1");
        assertThat(RuleConfigurationFactory.dataSourceName(topology, "shop_2", topology.node("ds1").primary())).isEqualTo("shop_2");
    }

    @Test
    void weightLoadBalancerCarriesTheReplicaWeights() {
        ReadwriteSplittingRuleConfiguration readWrite = rule(RuleConfigurationFactory.create(topologyWithLoadBalancer("weight"), "src",
                "rotation", "columns", null), ReadwriteSplittingRuleConfiguration.class);
        AlgorithmConfiguration balancer = readWrite.getLoadBalancers().get("shop_1_weight");
        assertThat(balancer.getType()).isEqualTo("DDM_REPLICA");
        assertThat(balancer.getProps()).containsOnly(entry("weight.shop_1__ds0-r0", "1"), entry("weight.shop_1__ds0-r1", "3"),
                entry("rotation", "rotation"), entry("primary", "shop_1__ds0"), entry("strategy", "WEIGHT"));
        assertThat(readWrite.getDataSourceGroups()).extracting(ReadwriteSplittingDataSourceGroupRuleConfiguration::getLoadBalancerName)
            .containsExactly("shop_0_weight", "shop_1_weight");
    }

    @Test
    void randomLoadBalancer() {
        ReadwriteSplittingRuleConfiguration readWrite = rule(RuleConfigurationFactory.create(topologyWithLoadBalancer("random"), "src",
                "rotation", "columns", null), ReadwriteSplittingRuleConfiguration.class);
        assertThat(readWrite.getLoadBalancers().get("shop_0_random").getProps()).containsEntry("strategy", "RANDOM");
    }

    @Test
    void noReadWriteSplittingRuleWithoutReplicas() {
        Topology topology = topology("ddm.schema=shop", "ddm.shards=2", "ddm.nodes.ds0.url=jdbc:mysql://db0:3306/",
                "ddm.nodes.ds1.url=jdbc:mysql://db1:3306/");
        Collection<RuleConfiguration> rules = RuleConfigurationFactory.create(topology, "src", "rotation", "columns", null);
        assertThat(rules).hasExactlyElementsOfTypes(ShardingRuleConfiguration.class, SingleRuleConfiguration.class);
        assertThat(RuleConfigurationFactory.dataSourceName(topology, "shop_0", topology.node("ds0").primary())).isEqualTo("shop_0");
        ShardingRuleConfiguration sharding = rule(rules, ShardingRuleConfiguration.class);
        assertThat(sharding.getTables()).isEmpty();
        assertThat(sharding.getBindingTableGroups()).isEmpty();
    }

    @Test
    void broadcastRuleListsTheBroadcastTables() {
        BroadcastRuleConfiguration broadcast = rule(RuleConfigurationFactory.create(topology(), "src", "rotation", "columns", null),
                BroadcastRuleConfiguration.class);
        assertThat(broadcast.getTables()).containsExactly("t_dict");
        assertThat(sharding().getTables()).extracting(ShardingTableRuleConfiguration::getLogicTable).doesNotContain("t_dict");
    }

    @Test
    void singleRuleDefaultsToTheDefaultShardDatabase() {
        SingleRuleConfiguration single = rule(RuleConfigurationFactory.create(topology(), "src", "rotation", "columns", null),
                SingleRuleConfiguration.class);
        assertThat(single.getDefaultDataSource()).contains("shop_1");
        assertThat(single.getTables()).containsExactly("shop_1.*");
    }

    @Test
    void algorithmPropertiesAreStrings() {
        // ShardingSphere persists and reloads algorithm properties as strings.
        for (AlgorithmConfiguration each : sharding().getShardingAlgorithms().values()) {
            Properties props = each.getProps();
            assertThat(props.keySet()).allSatisfy((key) -> assertThat(key).isInstanceOf(String.class));
            assertThat(props.values()).allSatisfy((value) -> assertThat(value).isInstanceOf(String.class));
        }
    }

}
