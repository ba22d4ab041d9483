package io.ddm.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.algorithm.DateFunction;
import io.ddm.algorithm.FunctionParameters;
import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.algorithm.ShardingKeyKind;
import io.ddm.topology.DataNode;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.TableLayout;
import io.ddm.topology.TableLayout.Kind;
import io.ddm.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link TopologyFactory}: the topology built from valid properties, and a catalogue of invalid
 * configurations, each rejected with the exact property path and a problem and action that say what is wrong.
 */
class TopologyFactoryTests {

    private static final String[] TWO_NODES = { "ddm.schema=shop", "ddm.shards=8",
            "ddm.nodes.ds0.url=jdbc:mysql://db0:3306/", "ddm.nodes.ds0.username=root", "ddm.nodes.ds0.password=secret0",
            "ddm.nodes.ds1.url=jdbc:mysql://db1:3306/", "ddm.nodes.ds1.username=root", "ddm.nodes.ds1.password=secret1" };

    /**
     * Binds {@code ddm.*} properties the way Spring Boot does (relaxed names, enums such as {@code mod-hash},
     * lists and maps), without bean validation, so that {@link TopologyFactory} sees whatever the user wrote.
     */
    static DdmProperties properties(String... pairs) {
        Map<String, String> source = new LinkedHashMap<>();
        for (String pair : pairs) {
            int separator = pair.indexOf('=');
            source.put(pair.substring(0, separator), pair.substring(separator + 1));
        }
        return new Binder(new MapConfigurationPropertySource(source)).bind("ddm", DdmProperties.class)
            .orElseGet(DdmProperties::new);
    }

    /** Two nodes, eight shards, plus the given properties (later ones win). */
    static DdmProperties twoNodes(String... more) {
        List<String> pairs = new ArrayList<>(List.of(TWO_NODES));
        pairs.addAll(List.of(more));
        return properties(pairs.toArray(String[]::new));
    }

    /** A table sharded over databases and tables by one column with mod-hash (global numbering). */
    static String[] modHashTable(String table, String column, int tablesPerShard) {
        String prefix = "ddm.tables." + table;
        return new String[] { prefix + ".database-sharding.column=" + column, prefix + ".database-sharding.algorithm=mod-hash",
                prefix + ".table-sharding.column=" + column, prefix + ".table-sharding.algorithm=mod-hash",
                prefix + ".table-sharding.tables-per-shard=" + tablesPerShard };
    }

    static String[] concat(String[]... parts) {
        List<String> result = new ArrayList<>();
        for (String[] part : parts) {
            result.addAll(List.of(part));
        }
        return result.toArray(String[]::new);
    }

    private static DdmProperties.Node node(String url) {
        DdmProperties.Node node = new DdmProperties.Node();
        node.setUrl(url);
        return node;
    }

    static DdmConfigurationException invalid(DdmProperties properties, String property) {
        DdmConfigurationException[] thrown = new DdmConfigurationException[1];
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> TopologyFactory.create(properties))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo(property);
                assertThat(ex.getMessage()).isEqualTo(property + ": " + ex.getProblem());
                assertThat(ex.getAction()).isNotBlank();
                thrown[0] = ex;
            });
        return thrown[0];
    }

    static void assertInvalid(DdmProperties properties, String property, String problem, String action) {
        DdmConfigurationException ex = invalid(properties, property);
        assertThat(ex.getProblem()).contains(problem);
        assertThat(ex.getAction()).contains(action);
    }

    // The good path

    @Test
    void defaultPlacementSplitsShardsContiguouslyInNodeOrder() {
        Topology topology = TopologyFactory.create(twoNodes());
        assertThat(topology.schema()).isEqualTo("shop");
        assertThat(topology.shards()).isEqualTo(8);
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 1, 2, 3);
        assertThat(topology.placement().shardsOn("ds1")).containsExactly(4, 5, 6, 7);
        assertThat(topology.placement().nodeOf(3)).isEqualTo("ds0");
        assertThat(topology.placement().nodeOf(4)).isEqualTo("ds1");
        assertThat(topology.placement().asMap()).containsExactly(entry("ds0", List.of(0, 1, 2, 3)), entry("ds1", List.of(4, 5, 6, 7)));
        assertThat(topology.shardDatabases()).containsExactly("shop_0", "shop_1", "shop_2", "shop_3", "shop_4", "shop_5", "shop_6",
                "shop_7");
        assertThat(topology.nodes()).extracting(Node::name).containsExactly("ds0", "ds1");
    }

    @Test
    void defaultPlacementGivesTheFirstNodesOneMoreWhenShardsDoNotDivideEvenly() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.nodes.ds2.url=jdbc:mysql://db2:3306/"));
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 1, 2);
        assertThat(topology.placement().shardsOn("ds1")).containsExactly(3, 4, 5);
        assertThat(topology.placement().shardsOn("ds2")).containsExactly(6, 7);
    }

    @Test
    void shardsDefaultToOnePerNode() {
        DdmProperties properties = twoNodes();
        properties.setShards(null);
        Topology topology = TopologyFactory.create(properties);
        assertThat(topology.shards()).isEqualTo(2);
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0);
        assertThat(topology.placement().shardsOn("ds1")).containsExactly(1);
    }

    @Test
    void explicitPlacementIsHonoured() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=4", "ddm.placement.ds1=1,3", "ddm.placement.ds0=2,0"));
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 2);
        assertThat(topology.placement().shardsOn("ds1")).containsExactly(1, 3);
        assertThat(topology.placement().nodeOf(2)).isEqualTo("ds0");
        assertThat(topology.placement().nodeOf(3)).isEqualTo("ds1");
    }

    @Test
    void aNodeTheExplicitPlacementLeavesOutHostsNoShard() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=4", "ddm.placement.ds0=0,1,2,3",
                "ddm.nodes.ds1.replicas.ds1-r0.url=jdbc:mysql://db1-r0:3306/", "ddm.nodes.ds1.pool.maximum-pool-size=1"));
        assertThat(topology.nodes()).extracting(Node::name).containsExactly("ds0", "ds1");
        assertThat(topology.node("ds1").replicas()).extracting(Server::name).containsExactly("ds1-r0");
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 1, 2, 3);
        assertThat(topology.placement().shardsOn("ds1")).isEmpty();
        assertThat(topology.placement().asMap()).containsExactly(entry("ds0", List.of(0, 1, 2, 3)));
    }

    @Test
    void aNodeGivenAnEmptyPlacementHostsNoShard() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=2", "ddm.placement.ds0=0,1", "ddm.placement.ds1=",
                "ddm.nodes.ds2.url=jdbc:mysql://db2:3306/"));
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 1);
        assertThat(topology.placement().shardsOn("ds1")).isEmpty();
        assertThat(topology.placement().shardsOn("ds2")).isEmpty();
    }

    @Test
    void shardPlacementEvenSplitAndExplicitPlacement() {
        ShardPlacement even = ShardPlacement.evenSplit(List.of("ds0", "ds1"), 8);
        assertThat(even.shards()).isEqualTo(8);
        assertThat(even.shardsOn("ds0")).containsExactly(0, 1, 2, 3);
        assertThat(even.shardsOn("ds1")).containsExactly(4, 5, 6, 7);
        assertThat(even.shardsOn("ds9")).isEmpty();
        ShardPlacement explicit = ShardPlacement.of(List.of("ds1", "ds0", "ds1"));
        assertThat(explicit.asMap()).containsExactly(entry("ds1", List.of(0, 2)), entry("ds0", List.of(1)));
        assertThat(explicit).hasToString("{ds1=[0, 2], ds0=[1]}");
    }

    @Test
    void physicalTablesAreNumberedGloballyShardByShard() {
        Topology topology = TopologyFactory.create(twoNodes(modHashTable("t_order", "order_id", 4)));
        TableLayout order = topology.tables().get("t_order");
        assertThat(order.kind()).isEqualTo(Kind.SHARDED);
        assertThat(order.tablesPerShard()).isEqualTo(4);
        assertThat(order.dataNodes()).hasSize(8 * 4);
        assertThat(order.dataNodes().get(0)).hasToString("ds0.shop_0.t_order_0");
        assertThat(order.dataNodes().get(31)).hasToString("ds1.shop_7.t_order_31");
        // shop_s holds t_order_(s*4) .. t_order_(s*4+3)
        assertThat(order.dataNodes()).filteredOn((node) -> node.shard() == 5).extracting(DataNode::toString)
            .containsExactly("ds1.shop_5.t_order_20", "ds1.shop_5.t_order_21", "ds1.shop_5.t_order_22", "ds1.shop_5.t_order_23");
        for (DataNode node : order.dataNodes()) {
            assertThat(node.database()).isEqualTo("shop_" + node.shard());
            assertThat(node.node()).isEqualTo((node.shard() < 4) ? "ds0" : "ds1");
            int global = Integer.parseInt(node.table().substring("t_order_".length()));
            assertThat(global / 4).isEqualTo(node.shard());
        }
    }

    @Test
    void twoShardsOfFourTablesPutTable7OnTheSecondNode() {
        Topology topology = TopologyFactory.create(twoNodes(concat(new String[] { "ddm.shards=2" },
                modHashTable("t_order", "order_id", 4))));
        assertThat(topology.tables().get("t_order").dataNodes()).extracting(DataNode::toString).containsExactly(
                "ds0.shop_0.t_order_0", "ds0.shop_0.t_order_1", "ds0.shop_0.t_order_2", "ds0.shop_0.t_order_3",
                "ds1.shop_1.t_order_4", "ds1.shop_1.t_order_5", "ds1.shop_1.t_order_6", "ds1.shop_1.t_order_7");
    }

    @Test
    void explicitPlacementDecidesTheNodeOfEveryDataNode() {
        Topology topology = TopologyFactory.create(twoNodes(concat(new String[] { "ddm.shards=4", "ddm.placement.ds0=0,2",
            "ddm.placement.ds1=1,3" }, modHashTable("t_order", "order_id", 2))));
        assertThat(topology.tables().get("t_order").dataNodes()).extracting(DataNode::toString).containsExactly(
                "ds0.shop_0.t_order_0", "ds0.shop_0.t_order_1", "ds1.shop_1.t_order_2", "ds1.shop_1.t_order_3",
                "ds0.shop_2.t_order_4", "ds0.shop_2.t_order_5", "ds1.shop_3.t_order_6", "ds1.shop_3.t_order_7");
    }

    @Test
    void tablesShardedByDatabaseOnlyKeepTheirNameInEveryShard() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=2", "ddm.tables.t_user.database-sharding.column=user_id",
                "ddm.tables.t_user.database-sharding.algorithm=hash"));
        TableLayout user = topology.tables().get("t_user");
        assertThat(user.tableSharding()).isNull();
        assertThat(user.tablesPerShard()).isEqualTo(1);
        assertThat(user.globalNumbering()).isFalse();
        assertThat(user.databaseSharding().column()).isEqualTo("user_id");
        assertThat(user.databaseSharding().function()).isEqualTo(ShardingFunction.HASH);
        assertThat(user.dataNodes()).extracting(DataNode::toString).containsExactly("ds0.shop_0.t_user", "ds1.shop_1.t_user");
    }

    @Test
    void broadcastTablesHaveACopyInEveryShard() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=4", "ddm.broadcast-tables=t_dict,t_region"));
        TableLayout dict = topology.tables().get("t_dict");
        assertThat(dict.kind()).isEqualTo(Kind.BROADCAST);
        assertThat(dict.databaseSharding()).isNull();
        assertThat(dict.dataNodes()).extracting(DataNode::toString).containsExactly("ds0.shop_0.t_dict", "ds0.shop_1.t_dict",
                "ds1.shop_2.t_dict", "ds1.shop_3.t_dict");
        assertThat(topology.tables()).containsOnlyKeys("t_dict", "t_region");
    }

    @Test
    void sameColumnAndAlgorithmMeansGlobalNumbering() {
        Topology topology = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.table-sharding.column=ORDER_ID" })));
        assertThat(topology.tables().get("t_order").globalNumbering()).isTrue();
    }

    @Test
    void differentColumnsMeanIndependentNumbering() {
        Topology topology = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.database-sharding.column=user_id" })));
        TableLayout order = topology.tables().get("t_order");
        assertThat(order.globalNumbering()).isFalse();
        assertThat(order.databaseSharding().column()).isEqualTo("user_id");
        assertThat(order.tableSharding().column()).isEqualTo("order_id");
        // The physical names stay globally numbered either way.
        assertThat(order.dataNodes().get(4)).hasToString("ds0.shop_1.t_order_4");
    }

    @Test
    void differentAlgorithmsOrParametersMeanIndependentNumbering() {
        Topology differentAlgorithm = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.table-sharding.algorithm=hash" })));
        assertThat(differentAlgorithm.tables().get("t_order").globalNumbering()).isFalse();
        String[] rightShift = { "ddm.tables.t_order.database-sharding.algorithm=right-shift",
            "ddm.tables.t_order.database-sharding.shift-bits=4", "ddm.tables.t_order.table-sharding.algorithm=right-shift",
            "ddm.tables.t_order.table-sharding.shift-bits=4" };
        Topology sameBits = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4), rightShift)));
        assertThat(sameBits.tables().get("t_order").globalNumbering()).isTrue();
        assertThat(sameBits.tables().get("t_order").databaseSharding().parameters())
            .isEqualTo(new FunctionParameters(4, List.of(), Map.of()));
        Topology otherBits = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4), rightShift,
                new String[] { "ddm.tables.t_order.table-sharding.shift-bits=2" })));
        assertThat(otherBits.tables().get("t_order").globalNumbering()).isFalse();
    }

    @Test
    void rangeAndListParametersAreCarriedIntoTheLayout() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.shards=2",
                "ddm.tables.t_account.database-sharding.column=account_id",
                "ddm.tables.t_account.database-sharding.algorithm=range",
                "ddm.tables.t_account.database-sharding.ranges[0].from=0",
                "ddm.tables.t_account.database-sharding.ranges[0].to=999",
                "ddm.tables.t_account.database-sharding.ranges[0].shard=0",
                "ddm.tables.t_account.database-sharding.ranges[1].from=1000",
                "ddm.tables.t_account.database-sharding.ranges[1].to=1999",
                "ddm.tables.t_account.database-sharding.ranges[1].shard=1",
                "ddm.tables.t_customer.database-sharding.column=country",
                "ddm.tables.t_customer.database-sharding.algorithm=list",
                "ddm.tables.t_customer.database-sharding.lists.0=CN,JP",
                "ddm.tables.t_customer.database-sharding.lists.1=US"));
        assertThat(topology.tables().get("t_account").databaseSharding().parameters().ranges())
            .containsExactly(new KeyRangeTarget(0, 999, 0), new KeyRangeTarget(1000, 1999, 1));
        assertThat(topology.tables().get("t_customer").databaseSharding().parameters().lists())
            .containsOnly(entry("CN", 0), entry("JP", 0), entry("US", 1));
    }

    @Test
    void keyGeneratorsAndBindingGroupsAreCarriedIntoTheLayout() {
        Topology topology = TopologyFactory.create(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                modHashTable("t_order_item", "order_id", 4), new String[] { "ddm.tables.t_order.binding-group=orders",
                    "ddm.tables.t_order_item.binding-group=orders", "ddm.tables.t_order.key-generator.column=order_id",
                    "ddm.tables.t_order_item.key-generator.column=item_id", "ddm.tables.t_order_item.key-generator.type=uuid" })));
        TableLayout order = topology.tables().get("t_order");
        assertThat(order.bindingGroup()).isEqualTo("orders");
        assertThat(order.keyGeneratorColumn()).isEqualTo("order_id");
        assertThat(order.keyGeneratorType()).isEqualTo("SNOWFLAKE");
        TableLayout item = topology.tables().get("t_order_item");
        assertThat(item.bindingGroup()).isEqualTo("orders");
        assertThat(item.keyGeneratorColumn()).isEqualTo("item_id");
        assertThat(item.keyGeneratorType()).isEqualTo("UUID");
    }

    @Test
    void replicasInheritTheNodesCredentialsAndPoolUnlessTheyOverrideThem() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.nodes.ds0.pool.maximum-pool-size=20",
                "ddm.nodes.ds0.pool.connection-timeout=3000",
                "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/",
                "ddm.nodes.ds0.replicas.ds0-r1.url=jdbc:mysql://db0-r1:3306/",
                "ddm.nodes.ds0.replicas.ds0-r1.username=reader",
                "ddm.nodes.ds0.replicas.ds0-r1.weight=3",
                "ddm.nodes.ds0.replicas.ds0-r1.pool.maximum-pool-size=5"));
        Node ds0 = topology.node("ds0");
        Server primary = ds0.primary();
        assertThat(primary.name()).isEqualTo("ds0");
        assertThat(primary.node()).isEqualTo("ds0");
        assertThat(primary.role()).isEqualTo(Server.Role.PRIMARY);
        assertThat(primary.url()).isEqualTo("jdbc:mysql://db0:3306/");
        assertThat(primary.username()).isEqualTo("root");
        assertThat(primary.password()).isEqualTo("secret0");
        assertThat(primary.pool()).containsOnly(entry("maximum-pool-size", "20"), entry("connection-timeout", "3000"));
        assertThat(ds0.replicas()).extracting(Server::name).containsExactly("ds0-r0", "ds0-r1");
        Server r0 = ds0.replicas().get(0);
        assertThat(r0.role()).isEqualTo(Server.Role.REPLICA);
        assertThat(r0.node()).isEqualTo("ds0");
        assertThat(r0.url()).isEqualTo("jdbc:mysql://db0-r0:3306/");
        assertThat(r0.username()).isEqualTo("root");
        assertThat(r0.password()).isEqualTo("secret0");
        assertThat(r0.pool()).containsOnly(entry("maximum-pool-size", "20"), entry("connection-timeout", "3000"));
        assertThat(r0.weight()).isEqualTo(1);
        Server r1 = ds0.replicas().get(1);
        assertThat(r1.username()).isEqualTo("reader");
        assertThat(r1.password()).isEqualTo("secret0");
        assertThat(r1.pool()).containsOnly(entry("maximum-pool-size", "5"), entry("connection-timeout", "3000"));
        assertThat(r1.weight()).isEqualTo(3);
        assertThat(topology.node("ds1").replicas()).isEmpty();
        assertThat(topology.node("ds1").primary().password()).isEqualTo("secret1");
    }

    @Test
    void serversNeverShowTheirPassword() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.nodes.ds0.url=jdbc:mysql://admin:hunter2@db0:3306/?password=hunter2"));
        assertThat(topology.node("ds0").primary().toString()).doesNotContain("hunter2", "secret0").contains("db0:3306");
    }

    @Test
    void urlsWithADatabasePlaceholderAreAccepted() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.nodes.ds0.url=jdbc:h2:mem:{database};MODE=MySQL"));
        assertThat(topology.node("ds0").primary().url()).isEqualTo("jdbc:h2:mem:{database};MODE=MySQL");
    }

    @Test
    void defaultShardIsWhereSingleTablesLive() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.default-shard=5"));
        assertThat(topology.defaultShard()).isEqualTo(5);
        assertThat(topology.defaultShardDatabase()).isEqualTo("shop_5");
        assertThat(TopologyFactory.create(twoNodes()).defaultShardDatabase()).isEqualTo("shop_0");
    }

    // Invalid configurations: nodes and servers

    @Test
    void noNodes() {
        assertInvalid(properties("ddm.schema=shop"), "ddm.nodes", "no node is configured", "ddm.nodes.ds0.url");
    }

    @Test
    void nodeWithoutUrl() {
        assertInvalid(properties("ddm.nodes.ds0.username=root"), "ddm.nodes.ds0.url", "no URL is configured for primary 'ds0'",
                "Set ddm.nodes.ds0.url");
    }

    @Test
    void nodeWithBlankUrl() {
        DdmProperties properties = twoNodes();
        properties.getNodes().get("ds1").setUrl("  ");
        assertInvalid(properties, "ddm.nodes.ds1.url", "no URL is configured for primary 'ds1'", "Set ddm.nodes.ds1.url");
    }

    @Test
    void replicaWithoutUrl() {
        assertInvalid(twoNodes("ddm.nodes.ds0.replicas.ds0-r0.username=reader"), "ddm.nodes.ds0.replicas.ds0-r0.url",
                "no URL is configured for replica 'ds0-r0'", "Set ddm.nodes.ds0.replicas.ds0-r0.url");
    }

    @Test
    void urlNamingADatabase() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.nodes.ds1.url=jdbc:mysql://app:pw@db1:3306/shop?useSSL=false"),
                "ddm.nodes.ds1.url");
        assertThat(ex.getProblem()).contains("the URL names the database 'shop'", "DDM adds each shard's database itself");
        assertThat(ex.getAction()).isEqualTo("Remove the database from the URL: jdbc:mysql://db1:3306/?useSSL=false");
    }

    @Test
    void replicaUrlNamingADatabase() {
        assertInvalid(twoNodes("ddm.nodes.ds0.replicas.r0.url=jdbc:mysql://db0-r0:3306/shop_0"), "ddm.nodes.ds0.replicas.r0.url",
                "the URL names the database 'shop_0'", "jdbc:mysql://db0-r0:3306/");
    }

    @Test
    void urlThatIsNotHierarchical() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.nodes.ds0.url=jdbc:h2:mem:test;user=sa;password=topsecret"),
                "ddm.nodes.ds0.url");
        assertThat(ex.getProblem()).contains("is not a URL DDM can add shard databases to").doesNotContain("topsecret");
        assertThat(ex.getAction()).contains("jdbc:mysql://host:port/", "{database}");
    }

    @Test
    void urlWithoutJdbcScheme() {
        assertInvalid(twoNodes("ddm.nodes.ds1.url=mysql://db1:3306/"), "ddm.nodes.ds1.url",
                "'mysql://db1:3306/' is not a URL DDM can add shard databases to", "jdbc:mysql://host:port/");
    }

    @Test
    void invalidNodeName() {
        assertInvalid(twoNodes("ddm.nodes.0ds.url=jdbc:mysql://db2:3306/"), "ddm.nodes.0ds", "'0ds' is not a valid node or replica name",
                "starts with a letter");
        DdmProperties properties = twoNodes();
        properties.getNodes().put("ds 2", node("jdbc:mysql://db2:3306/"));
        assertInvalid(properties, "ddm.nodes.ds 2", "'ds 2' is not a valid node or replica name", "letters, digits, '_' and '-'");
    }

    @Test
    void invalidReplicaName() {
        DdmProperties properties = twoNodes();
        DdmProperties.Replica replica = new DdmProperties.Replica();
        replica.setUrl("jdbc:mysql://db0-r0:3306/");
        properties.getNodes().get("ds0").getReplicas().put("r.0", replica);
        assertInvalid(properties, "ddm.nodes.ds0.replicas.r.0", "'r.0' is not a valid node or replica name", "starts with a letter");
    }

    @Test
    void replicaNamedLikeANode() {
        assertInvalid(twoNodes("ddm.nodes.ds1.replicas.ds0.url=jdbc:mysql://db1-r0:3306/"), "ddm.nodes.ds1.replicas.ds0",
                "the name 'ds0' is used by another node or replica", "its own name");
    }

    @Test
    void twoReplicasWithOneName() {
        assertInvalid(twoNodes("ddm.nodes.ds0.replicas.reader.url=jdbc:mysql://db0-r0:3306/",
                "ddm.nodes.ds1.replicas.reader.url=jdbc:mysql://db1-r0:3306/"), "ddm.nodes.ds1.replicas.reader",
                "the name 'reader' is used by another node or replica", "its own name");
    }

    @Test
    void nodeNamesThatDifferOnlyInCase() {
        DdmProperties properties = twoNodes();
        properties.getNodes().put("DS0", node("jdbc:mysql://db2:3306/"));
        assertInvalid(properties, "ddm.nodes.DS0", "the name 'DS0' is used by another node or replica", "its own name");
    }

    @Test
    void unknownPoolSetting() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.nodes.ds0.pool.maximum-pool-sise=20"),
                "ddm.nodes.ds0.pool.maximum-pool-sise");
        assertThat(ex.getProblem()).startsWith("invalid HikariCP setting").contains("maximum-pool-sise");
        assertThat(ex.getAction()).contains("maximum-pool-size");
    }

    @Test
    void unknownReplicaPoolSetting() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.nodes.ds1.replicas.ds1-r0.url=jdbc:mysql://db1-r0:3306/",
                "ddm.nodes.ds1.replicas.ds1-r0.pool.max-lifetme=60000"), "ddm.nodes.ds1.replicas.ds1-r0.pool.max-lifetme");
        assertThat(ex.getProblem()).startsWith("invalid HikariCP setting").contains("max-lifetme");
    }

    @Test
    void poolSettingOfTheWrongType() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.nodes.ds1.pool.maximum-pool-size=lots"),
                "ddm.nodes.ds1.pool.maximum-pool-size");
        assertThat(ex.getProblem()).startsWith("invalid HikariCP setting").contains("lots");
    }

    @Test
    void poolSettingsHikariCpRejectsAreNamedWithHikariCpsReason() {
        assertInvalid(twoNodes("ddm.nodes.ds0.pool.maximum-pool-size=0"), "ddm.nodes.ds0.pool.maximum-pool-size",
                "maxPoolSize cannot be less than 1", "values HikariCP accepts");
        assertInvalid(twoNodes("ddm.nodes.ds0.pool.minimumIdle=-1"), "ddm.nodes.ds0.pool.minimum-idle",
                "minimumIdle cannot be negative", "values HikariCP accepts");
        assertInvalid(twoNodes("ddm.nodes.ds1.replicas.ds1-r0.url=jdbc:mysql://db1-r0:3306/",
                "ddm.nodes.ds1.replicas.ds1-r0.pool.connection-timeout=100"), "ddm.nodes.ds1.replicas.ds1-r0.pool.connection-timeout",
                "connectionTimeout cannot be less than 250ms", "durations are milliseconds");
    }

    @Test
    void poolSettingsThatDdmSetsForEveryShardPool() {
        for (String setting : List.of("jdbc-url=jdbc:mysql://db0:3306/shop_0", "data-source-class-name=com.mysql.cj.jdbc.MysqlDataSource",
                "catalog=shop_0", "schema=shop_0", "pool-name=orders")) {
            String name = setting.substring(0, setting.indexOf('='));
            assertInvalid(twoNodes("ddm.nodes.ds0.pool." + setting), "ddm.nodes.ds0.pool." + name,
                    "DDM sets the " + name + " of every shard pool itself", "Remove ddm.nodes.ds0.pool." + name);
        }
        assertInvalid(twoNodes("ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/",
                "ddm.nodes.ds0.replicas.ds0-r0.pool.catalog=shop_0"), "ddm.nodes.ds0.replicas.ds0-r0.pool.catalog",
                "DDM sets the catalog of every shard pool itself", "ddm.nodes.ds0.replicas.ds0-r0.url");
    }

    @Test
    void poolBudgetSmallerThanTheShardsOnTheNode() {
        assertInvalid(twoNodes("ddm.nodes.ds1.pool.maximum-pool-size=3"), "ddm.nodes.ds1.pool.maximum-pool-size",
                "node 'ds1' hosts 4 shards but its pool budget is 3 connections",
                "Raise ddm.nodes.ds1.pool.maximum-pool-size to at least 4");
    }

    @Test
    void replicaPoolBudgetSmallerThanTheShardsOnTheNode() {
        assertInvalid(twoNodes("ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/",
                "ddm.nodes.ds0.replicas.ds0-r0.pool.maximum-pool-size=2"), "ddm.nodes.ds0.replicas.ds0-r0.pool.maximum-pool-size",
                "node 'ds0' hosts 4 shards but its pool budget is 2 connections",
                "Raise ddm.nodes.ds0.replicas.ds0-r0.pool.maximum-pool-size to at least 4");
    }

    @Test
    void poolBudgetInheritedByReplicasIsCheckedOnTheNode() {
        assertInvalid(twoNodes("ddm.nodes.ds0.pool.maximum-pool-size=2",
                "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/"), "ddm.nodes.ds0.pool.maximum-pool-size",
                "node 'ds0' hosts 4 shards but its pool budget is 2", "at least 4");
    }

    @Test
    void defaultPoolBudgetOfTenCoversAtMostTenShardsPerNode() {
        assertThat(TopologyFactory.create(twoNodes("ddm.shards=20")).shards()).isEqualTo(20);
        assertInvalid(twoNodes("ddm.shards=22"), "ddm.nodes.ds0.pool.maximum-pool-size",
                "node 'ds0' hosts 11 shards but its pool budget is 10", "at least 11");
    }

    // Invalid configurations: schema, shards and placement

    @Test
    void schemaWhoseShardDatabaseNamesExceedMysqlsLimit() {
        // 8 shards: the longest name is {schema}_7, so 62 characters fit exactly and 63 do not.
        assertInvalid(twoNodes("ddm.schema=" + "s".repeat(63)), "ddm.schema", "longer than MySQL's limit of 64 characters",
                "shorter logical schema name");
        assertThat(TopologyFactory.create(twoNodes("ddm.schema=" + "s".repeat(62))).shardDatabases()).last()
            .satisfies((name) -> assertThat(name).hasSize(64));
    }

    @Test
    void invalidSchemaName() {
        assertInvalid(twoNodes("ddm.schema=1shop"), "ddm.schema", "'1shop' is not a valid logical schema name",
                "starts with a letter");
        assertInvalid(twoNodes("ddm.schema=shop-db"), "ddm.schema", "'shop-db' is not a valid logical schema name",
                "{schema}_{index}");
        DdmProperties properties = twoNodes();
        properties.setSchema(null);
        assertInvalid(properties, "ddm.schema", "'null' is not a valid logical schema name", "starts with a letter");
    }

    @Test
    void zeroShards() {
        assertInvalid(twoNodes("ddm.shards=0"), "ddm.shards", "must be at least 1 but is 0", "ddm.shards");
    }

    @Test
    void fewerShardsThanNodesWithDefaultPlacement() {
        assertInvalid(twoNodes("ddm.shards=2", "ddm.nodes.ds2.url=jdbc:mysql://db2:3306/"), "ddm.shards",
                "3 nodes but only 2 shard(s): node 'ds2' would host no shard", "Raise ddm.shards to at least 3");
        DdmConfigurationException ex = invalid(twoNodes("ddm.shards=2", "ddm.nodes.ds2.url=jdbc:mysql://db2:3306/"), "ddm.shards");
        assertThat(ex.getAction()).isEqualTo("Raise ddm.shards to at least 3, remove the extra node, or, to keep it as a spare"
                + " node holding no shard (a move target), give ddm.placement explicitly and leave it out (e.g."
                + " ddm.placement.ds0=0,1).");
    }

    @Test
    void aNodeHostingNoShardIsStillChecked() {
        assertInvalid(twoNodes("ddm.shards=2", "ddm.placement.ds0=0,1", "ddm.nodes.ds1.url="), "ddm.nodes.ds1.url",
                "no URL is configured for primary 'ds1'", "ddm.nodes.ds1.url");
        assertInvalid(twoNodes("ddm.shards=2", "ddm.placement.ds0=0,1", "ddm.placement.ds9="), "ddm.placement.ds9",
                "'ds9' is not a configured node (nodes: [ds0, ds1])", "ddm.nodes");
    }

    @Test
    void placementNamingAnUnknownNode() {
        assertInvalid(twoNodes("ddm.shards=2", "ddm.placement.ds0=0", "ddm.placement.ds9=1"), "ddm.placement.ds9",
                "'ds9' is not a configured node (nodes: [ds0, ds1])", "ddm.nodes");
    }

    @Test
    void placementNamingAReplica() {
        assertInvalid(twoNodes("ddm.shards=2", "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0-r0:3306/",
                "ddm.placement.ds0=0", "ddm.placement.ds0-r0=1"), "ddm.placement.ds0-r0", "'ds0-r0' is not a configured node",
                "ddm.nodes");
    }

    @Test
    void shardPlacedTwice() {
        assertInvalid(twoNodes("ddm.shards=4", "ddm.placement.ds0=0,1,2", "ddm.placement.ds1=2,3"), "ddm.placement.ds1",
                "shard 2 is placed twice (on 'ds0' and 'ds1')", "exactly one node");
    }

    @Test
    void shardPlacedTwiceOnOneNode() {
        assertInvalid(twoNodes("ddm.shards=4", "ddm.placement.ds0=0,1,1", "ddm.placement.ds1=2,3"), "ddm.placement.ds0",
                "shard 1 is placed twice", "exactly one node");
    }

    @Test
    void shardPlacedNowhere() {
        assertInvalid(twoNodes("ddm.shards=4", "ddm.placement.ds0=0,1", "ddm.placement.ds1=3"), "ddm.placement",
                "shard(s) [2] are placed on no node", "Place every shard 0..3 on exactly one node");
    }

    @Test
    void placementIndexOutOfRange() {
        assertInvalid(twoNodes("ddm.shards=4", "ddm.placement.ds0=0,1", "ddm.placement.ds1=2,4"), "ddm.placement.ds1",
                "shard 4 does not exist; shards are 0..3", "0..3");
        assertInvalid(twoNodes("ddm.shards=4", "ddm.placement.ds0=-1,0,1", "ddm.placement.ds1=2,3"), "ddm.placement.ds0",
                "shard -1 does not exist; shards are 0..3", "0..3");
    }

    @Test
    void defaultShardOutOfRange() {
        assertInvalid(twoNodes("ddm.default-shard=8"), "ddm.default-shard", "shard 8 does not exist; shards are 0..7",
                "below 8");
        assertInvalid(twoNodes("ddm.default-shard=-1"), "ddm.default-shard", "shard -1 does not exist", "below 8");
    }

    // Invalid configurations: tables

    @Test
    void tableWithoutDatabaseSharding() {
        assertInvalid(twoNodes("ddm.tables.t_order.table-sharding.column=order_id",
                "ddm.tables.t_order.table-sharding.algorithm=mod-hash", "ddm.tables.t_order.table-sharding.tables-per-shard=4"),
                "ddm.tables.t_order.database-sharding", "table 't_order' has no database sharding", "ddm.broadcast-tables");
    }

    @Test
    void shardingWithoutColumn() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.algorithm=mod-hash"),
                "ddm.tables.t_order.database-sharding.column", "no sharding column is set",
                "ddm.tables.t_order.database-sharding.column=");
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.table-sharding.column= " })), "ddm.tables.t_order.table-sharding.column",
                "no sharding column is set", "ddm.tables.t_order.table-sharding.column=");
    }

    @Test
    void shardingWithoutAlgorithm() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id"),
                "ddm.tables.t_order.database-sharding.algorithm");
        assertThat(ex.getProblem()).isEqualTo("no sharding algorithm is set");
        assertThat(ex.getAction())
            .isEqualTo("Set one of mod-hash, mod-hash-ci, uni-hash, hash, right-shift, range, list, yyyymm, yyyydd, yyyyweek.");
    }

    @Test
    void tableOnlyAlgorithmUsedForDatabaseSharding() {
        for (String algorithm : List.of("mm", "dd", "mmdd", "week")) {
            DdmConfigurationException ex = invalid(twoNodes("ddm.tables.t_order.database-sharding.column=created",
                    "ddm.tables.t_order.database-sharding.algorithm=" + algorithm), "ddm.tables.t_order.database-sharding.algorithm");
            assertThat(ex.getProblem()).isEqualTo(algorithm + " cannot be used for database sharding");
            assertThat(ex.getAction()).startsWith("Use one of mod-hash").doesNotContain(" " + algorithm + ",", " " + algorithm + ".");
        }
    }

    @Test
    void rangeAndListShardTablesInsideEachShard() {
        Topology topology = TopologyFactory.create(twoNodes("ddm.tables.t_order.database-sharding.column=user_id",
                "ddm.tables.t_order.database-sharding.algorithm=mod-hash", "ddm.tables.t_order.table-sharding.column=order_id",
                "ddm.tables.t_order.table-sharding.algorithm=range", "ddm.tables.t_order.table-sharding.tables-per-shard=2",
                "ddm.tables.t_order.table-sharding.ranges[0].from=1", "ddm.tables.t_order.table-sharding.ranges[0].to=100",
                "ddm.tables.t_order.table-sharding.ranges[0].table=0", "ddm.tables.t_order.table-sharding.ranges[1].table=1",
                "ddm.tables.t_region.database-sharding.column=id", "ddm.tables.t_region.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_region.table-sharding.column=country", "ddm.tables.t_region.table-sharding.algorithm=list",
                "ddm.tables.t_region.table-sharding.tables-per-shard=2", "ddm.tables.t_region.table-sharding.lists.0=CN,JP",
                "ddm.tables.t_region.table-sharding.lists.1=US"));
        FunctionParameters ranges = topology.tables().get("t_order").tableSharding().parameters();
        assertThat(ranges.ranges()).containsExactly(new KeyRangeTarget(1, 100, 0));
        assertThat(ranges.defaultTarget()).isEqualTo(1);
        assertThat(topology.tables().get("t_region").tableSharding().parameters().lists())
            .containsOnly(entry("CN", 0), entry("JP", 0), entry("US", 1));
    }

    @Test
    void tableRangesNameTablesNotShards() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 2), new String[] {
            "ddm.tables.t_order.table-sharding.algorithm=range", "ddm.tables.t_order.table-sharding.ranges[0].from=1",
            "ddm.tables.t_order.table-sharding.ranges[0].to=9", "ddm.tables.t_order.table-sharding.ranges[0].shard=1" })),
                "ddm.tables.t_order.table-sharding.ranges[0].shard", "is set for table sharding",
                "ddm.tables.t_order.table-sharding.ranges[0].table");
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 2), new String[] {
            "ddm.tables.t_order.table-sharding.algorithm=range", "ddm.tables.t_order.table-sharding.ranges=1-9=2" })),
                "ddm.tables.t_order.table-sharding.ranges[0].table", "table 2 does not exist; tables in each shard are 0..1",
                "Map keys only to tables in each shard 0..1.");
    }

    @Test
    void rangesInDdmsTextFormWithDefault() {
        FunctionParameters parameters = TopologyFactory.create(rangeTable(
                "ddm.tables.t_account.database-sharding.ranges=1-2=0, [3-4]=1, -10--1=2, default=3"))
            .tables().get("t_account").databaseSharding().parameters();
        assertThat(parameters.ranges()).containsExactly(new KeyRangeTarget(1, 2, 0), new KeyRangeTarget(3, 4, 1),
                new KeyRangeTarget(-10, -1, 2));
        assertThat(parameters.defaultTarget()).isEqualTo(3);
    }

    @Test
    void twoDefaultRanges() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges=default=1,default=2"),
                "ddm.tables.t_account.database-sharding.ranges[1]", "a second default range", "at most one default range");
    }

    @Test
    void rangeWithOnlyOneBound() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges[0].from=1",
                "ddm.tables.t_account.database-sharding.ranges[0].shard=1"), "ddm.tables.t_account.database-sharding.ranges[0]",
                "a range needs both from and to", ".from and .to");
    }

    @Test
    void dateFunctionOnlyForRangeAndHash() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=created",
                "ddm.tables.t_order.database-sharding.algorithm=mod-hash", "ddm.tables.t_order.database-sharding.date-function=year"),
                "ddm.tables.t_order.database-sharding.date-function", "mod-hash, which does not use it", "range or hash");
        Topology topology = TopologyFactory.create(twoNodes("ddm.tables.t_order.database-sharding.column=created",
                "ddm.tables.t_order.database-sharding.algorithm=hash", "ddm.tables.t_order.database-sharding.date-function=weekofyear"));
        assertThat(topology.tables().get("t_order").databaseSharding().parameters().dateFunction()).isEqualTo(DateFunction.WEEKOFYEAR);
        assertThat(topology.tables().get("t_order").databaseSharding().acceptedKinds()).containsExactly(ShardingKeyKind.DATE);
    }

    @Test
    void dateTableAlgorithmsKeepToTheirDocumentedTableCounts() {
        Map<String, Integer> limits = Map.of("mm", 12, "dd", 31, "mmdd", 366, "week", 7);
        limits.forEach((algorithm, limit) -> {
            String[] table = { "ddm.tables.t_log.database-sharding.column=id", "ddm.tables.t_log.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_log.table-sharding.column=created", "ddm.tables.t_log.table-sharding.algorithm=" + algorithm };
            assertThat(TopologyFactory.create(twoNodes(concat(table, new String[] {
                "ddm.tables.t_log.table-sharding.tables-per-shard=" + limit }))).tables().get("t_log").tablesPerShard()).isEqualTo(limit);
            assertInvalid(twoNodes(concat(table, new String[] { "ddm.tables.t_log.table-sharding.tables-per-shard=" + (limit + 1) })),
                    "ddm.tables.t_log.table-sharding.tables-per-shard", "is " + (limit + 1) + ", but " + algorithm + " gives at most "
                            + limit + " distinct values", "Set at most " + limit + " tables per shard for " + algorithm + ".");
        });
    }

    @Test
    void tableShardingWithoutTablesPerShard() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=mod-hash", "ddm.tables.t_order.table-sharding.column=order_id",
                "ddm.tables.t_order.table-sharding.algorithm=mod-hash"), "ddm.tables.t_order.table-sharding.tables-per-shard",
                "is not set", "ddm.tables.t_order.table-sharding.tables-per-shard=4");
    }

    @Test
    void tablesPerShardZero() {
        assertInvalid(twoNodes(modHashTable("t_order", "order_id", 0)), "ddm.tables.t_order.table-sharding.tables-per-shard",
                "must be at least 1 but is 0", "how many physical tables each shard holds");
    }

    @Test
    void rightShiftWithoutShiftBits() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=right-shift"), "ddm.tables.t_order.database-sharding.shift-bits",
                "is not set", "ddm.tables.t_order.database-sharding.shift-bits=");
    }

    @Test
    void rightShiftWithShiftBitsOutOfRange() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=right-shift", "ddm.tables.t_order.database-sharding.shift-bits=63"),
                "ddm.tables.t_order.database-sharding.shift-bits", "must be 0..62 but is 63", "shift-bits=");
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=right-shift", "ddm.tables.t_order.database-sharding.shift-bits=-1"),
                "ddm.tables.t_order.database-sharding.shift-bits", "must be 0..62 but is -1", "shift-bits=");
    }

    @Test
    void shiftBitsGivenToModHash() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.table-sharding.shift-bits=4" })), "ddm.tables.t_order.table-sharding.shift-bits",
                "is set but the algorithm is mod-hash, which does not use it",
                "Remove ddm.tables.t_order.table-sharding.shift-bits, or use the right-shift algorithm.");
    }

    @Test
    void rangesOrListsGivenToOtherAlgorithms() {
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=hash", "ddm.tables.t_order.database-sharding.ranges[0].from=0",
                "ddm.tables.t_order.database-sharding.ranges[0].to=9", "ddm.tables.t_order.database-sharding.ranges[0].shard=0"),
                "ddm.tables.t_order.database-sharding.ranges", "is set but the algorithm is hash", "use the range algorithm");
        assertInvalid(twoNodes("ddm.tables.t_order.database-sharding.column=order_id",
                "ddm.tables.t_order.database-sharding.algorithm=mod-hash", "ddm.tables.t_order.database-sharding.lists.0=CN"),
                "ddm.tables.t_order.database-sharding.lists", "is set but the algorithm is mod-hash", "use the list algorithm");
    }

    private static DdmProperties rangeTable(String... ranges) {
        return twoNodes(concat(new String[] { "ddm.tables.t_account.database-sharding.column=account_id",
            "ddm.tables.t_account.database-sharding.algorithm=range" }, ranges));
    }

    @Test
    void rangeWithoutRanges() {
        assertInvalid(rangeTable(), "ddm.tables.t_account.database-sharding.ranges", "the range algorithm has no ranges",
                "ddm.tables.t_account.database-sharding.ranges[0].from=");
    }

    @Test
    void rangeWithoutShard() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges[0].from=0",
                "ddm.tables.t_account.database-sharding.ranges[0].to=99"), "ddm.tables.t_account.database-sharding.ranges[0].shard",
                "no shard is set", "Map keys only to shards 0..7.");
    }

    @Test
    void overlappingRanges() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges[0].from=0",
                "ddm.tables.t_account.database-sharding.ranges[0].to=100", "ddm.tables.t_account.database-sharding.ranges[0].shard=0",
                "ddm.tables.t_account.database-sharding.ranges[1].from=100",
                "ddm.tables.t_account.database-sharding.ranges[1].to=200", "ddm.tables.t_account.database-sharding.ranges[1].shard=1"),
                "ddm.tables.t_account.database-sharding.ranges[1]", "range [100..200]->1 overlaps range [0..100]->0", "disjoint");
    }

    @Test
    void rangeWhoseFromIsGreaterThanItsTo() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges[0].from=10",
                "ddm.tables.t_account.database-sharding.ranges[0].to=5", "ddm.tables.t_account.database-sharding.ranges[0].shard=0"),
                "ddm.tables.t_account.database-sharding.ranges[0]", "from 10 is greater than to 5", "Swap the bounds");
    }

    @Test
    void rangeShardOutOfRange() {
        assertInvalid(rangeTable("ddm.tables.t_account.database-sharding.ranges[0].from=0",
                "ddm.tables.t_account.database-sharding.ranges[0].to=5", "ddm.tables.t_account.database-sharding.ranges[0].shard=8"),
                "ddm.tables.t_account.database-sharding.ranges[0].shard", "shard 8 does not exist; shards are 0..7", "0..7");
    }

    private static DdmProperties listTable(String... lists) {
        return twoNodes(concat(new String[] { "ddm.tables.t_customer.database-sharding.column=country",
            "ddm.tables.t_customer.database-sharding.algorithm=list" }, lists));
    }

    @Test
    void listWithoutLists() {
        assertInvalid(listTable(), "ddm.tables.t_customer.database-sharding.lists", "the list algorithm has no lists",
                "ddm.tables.t_customer.database-sharding.lists.0=");
    }

    @Test
    void listValueListedForTwoShards() {
        assertInvalid(listTable("ddm.tables.t_customer.database-sharding.lists.0=CN,JP",
                "ddm.tables.t_customer.database-sharding.lists.1=US,CN"), "ddm.tables.t_customer.database-sharding.lists.1",
                "value 'CN' is also listed for shard 0", "exactly one shard");
    }

    @Test
    void listShardOutOfRange() {
        assertInvalid(listTable("ddm.tables.t_customer.database-sharding.lists.0=CN",
                "ddm.tables.t_customer.database-sharding.lists.9=US"), "ddm.tables.t_customer.database-sharding.lists.9",
                "shard 9 does not exist; shards are 0..7", "0..7");
    }

    @Test
    void bindingGroupMembersShardedDifferently() {
        DdmConfigurationException ex = invalid(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                modHashTable("t_order_item", "order_id", 4), new String[] { "ddm.tables.t_order.binding-group=orders",
                    "ddm.tables.t_order_item.binding-group=orders", "ddm.tables.t_order_item.database-sharding.algorithm=hash",
                    "ddm.tables.t_order_item.table-sharding.algorithm=hash" })), "ddm.tables.t_order_item.binding-group");
        assertThat(ex.getProblem()).isEqualTo("'t_order_item' is sharded as database hash(order_id), table hash(order_id) x4 but"
                + " 't_order' in binding group 'orders' as database mod-hash(order_id), table mod-hash(order_id) x4");
        assertThat(ex.getAction()).contains("same algorithms, parameters and tables-per-shard");
    }

    @Test
    void bindingGroupMembersWithDifferentTablesPerShard() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4), modHashTable("t_order_item", "order_id", 2),
                new String[] { "ddm.tables.t_order.binding-group=orders", "ddm.tables.t_order_item.binding-group=orders" })),
                "ddm.tables.t_order_item.binding-group", "table mod-hash(order_id) x2 but 't_order'", "tables-per-shard");
    }

    @Test
    void tableNamedLikeAPhysicalTableOfAnother() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4), new String[] {
            "ddm.tables.t_order_1.database-sharding.column=order_id", "ddm.tables.t_order_1.database-sharding.algorithm=mod-hash" })),
                "ddm.tables.t_order_1", "table 't_order_1' has the name of a physical table of 't_order'", "Rename one");
    }

    @Test
    void broadcastTableNamedLikeAPhysicalTableOfAnother() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4), new String[] { "ddm.broadcast-tables=t_order_12" })),
                "ddm.broadcast-tables", "table 't_order_12' has the name of a physical table of 't_order'", "Rename one");
    }

    @Test
    void tableBothShardedAndBroadcast() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4), new String[] { "ddm.broadcast-tables=t_dict,t_order" })),
                "ddm.broadcast-tables[1]", "table 't_order' is both sharded (ddm.tables.t_order) and broadcast",
                "either sharded or broadcast");
    }

    @Test
    void broadcastTableListedTwice() {
        assertInvalid(twoNodes("ddm.broadcast-tables=t_dict,T_DICT"), "ddm.broadcast-tables[1]", "table 'T_DICT' is configured twice",
                "once");
    }

    @Test
    void invalidTableName() {
        assertInvalid(twoNodes("ddm.tables.t-order.database-sharding.column=order_id",
                "ddm.tables.t-order.database-sharding.algorithm=mod-hash"), "ddm.tables.t-order", "'t-order' is not a valid table name",
                "starts with a letter");
        assertInvalid(twoNodes("ddm.broadcast-tables=t_dict,1dict"), "ddm.broadcast-tables[1]", "'1dict' is not a valid table name",
                "starts with a letter");
    }

    @Test
    void keyGeneratorWithoutColumn() {
        assertInvalid(twoNodes(concat(modHashTable("t_order", "order_id", 4),
                new String[] { "ddm.tables.t_order.key-generator.type=uuid" })), "ddm.tables.t_order.key-generator.column",
                "no column is set for the key generator", "ddm.tables.t_order.key-generator.column=");
    }

    // Invalid configurations: checks, read routing, health and key generation

    @Test
    void defaultSettingsAreValid() {
        DdmProperties defaults = twoNodes();
        assertThat(TopologyFactory.create(defaults).shards()).isEqualTo(8);
        assertThat(defaults.getPrimaryHealth().getTimeout()).isPositive();
        assertThat(defaults.getReadWriteSplitting().getMaxReplicaLag()).isNull();
        assertThat(defaults.getReadWriteSplitting().getReadYourWritesWindow()).isNull();
    }

    @Test
    void primaryHealthTimeoutThatIsNotPositive() {
        assertInvalid(twoNodes("ddm.primary-health.timeout=0"), "ddm.primary-health.timeout",
                "must be at least 1ms but is 0s: every primary would be recorded down at its first check",
                "Set ddm.primary-health.timeout to the longest a healthy primary may take to answer a check, e.g. 1s (the"
                        + " default), or set ddm.primary-health.enabled=false to turn the checks off.");
        assertInvalid(twoNodes("ddm.primary-health.timeout=-1s"), "ddm.primary-health.timeout", "must be at least 1ms but is -1s",
                "e.g. 1s");
        assertInvalid(twoNodes("ddm.primary-health.timeout=500us"), "ddm.primary-health.timeout",
                "must be at least 1ms but is 500us", "e.g. 1s");
    }

    @Test
    void primaryHealthTimeoutThatIsNotSet() {
        DdmProperties properties = twoNodes();
        properties.getPrimaryHealth().setTimeout(null);
        assertInvalid(properties, "ddm.primary-health.timeout", "is not set",
                "Set ddm.primary-health.timeout to the longest a healthy primary may take");
        properties = twoNodes();
        properties.getHealth().setTimeout(null);
        assertInvalid(properties, "ddm.health.timeout", "is not set", "Set ddm.health.timeout to");
    }

    @Test
    void primaryHealthIntervalThatIsNotPositive() {
        assertInvalid(twoNodes("ddm.primary-health.interval=0"), "ddm.primary-health.interval",
                "must be at least 1ms but is 0s: each primary would be checked without pause",
                "Set ddm.primary-health.interval to the pause between two checks of each primary, e.g. 2s (the default).");
        assertInvalid(twoNodes("ddm.primary-health.interval=-2s"), "ddm.primary-health.interval", "but is -2s", "e.g. 2s");
    }

    @Test
    void checkSettingsAreCheckedEvenWhileTheChecksAreOff() {
        DdmConfigurationException ex = invalid(twoNodes("ddm.primary-health.enabled=false", "ddm.primary-health.timeout=0"),
                "ddm.primary-health.timeout");
        assertThat(ex.getAction()).isEqualTo("Set ddm.primary-health.timeout to the longest a healthy primary may take to answer"
                + " a check, e.g. 1s (the default).");
    }

    @Test
    void checkTimeoutAtOrAboveItsIntervalIsAccepted() {
        // Checks run with a fixed delay after the previous one ends, so they never overlap: a longer round only.
        assertThat(TopologyFactory.create(twoNodes("ddm.primary-health.interval=1s", "ddm.primary-health.timeout=5s",
                "ddm.read-write-splitting.health.interval=500ms", "ddm.read-write-splitting.health.timeout=500ms")).shards())
            .isEqualTo(8);
    }

    @Test
    void replicaHealthIntervalOrTimeoutThatIsNotPositive() {
        assertInvalid(twoNodes("ddm.read-write-splitting.health.interval=0ms"), "ddm.read-write-splitting.health.interval",
                "must be at least 1ms but is 0s: each replica would be checked without pause",
                "Set ddm.read-write-splitting.health.interval to the pause between two checks of each replica, e.g. 2s");
        assertInvalid(twoNodes("ddm.read-write-splitting.health.timeout=0"), "ddm.read-write-splitting.health.timeout",
                "must be at least 1ms but is 0s: every replica would fail its checks and leave the read rotation",
                "or set ddm.read-write-splitting.health.enabled=false to turn the checks off");
        assertInvalid(twoNodes("ddm.read-write-splitting.health.timeout=-100ms"), "ddm.read-write-splitting.health.timeout",
                "but is -100ms", "e.g. 1s");
    }

    @Test
    void replicaHealthThresholdsBelowOne() {
        assertInvalid(twoNodes("ddm.read-write-splitting.health.failure-threshold=0"),
                "ddm.read-write-splitting.health.failure-threshold", "must be at least 1 but is 0",
                "the number of failed checks in a row that exclude a replica from reads, e.g. 2");
        assertInvalid(twoNodes("ddm.read-write-splitting.health.success-threshold=-1"),
                "ddm.read-write-splitting.health.success-threshold", "must be at least 1 but is -1",
                "the number of passed checks in a row that re-admit an excluded replica, e.g. 2");
    }

    @Test
    void maxReplicaLagThatIsNegative() {
        assertInvalid(twoNodes("ddm.read-write-splitting.max-replica-lag=-5s"), "ddm.read-write-splitting.max-replica-lag",
                "must be at least 1s but is -5s: every replica would be excluded from reads",
                "at least 1s (e.g. 5s), or leave it unset to not check replication lag");
    }

    @Test
    void maxReplicaLagBelowOneSecond() {
        for (String lag : List.of("0", "0s", "500ms")) {
            assertInvalid(twoNodes("ddm.read-write-splitting.max-replica-lag=" + lag), "ddm.read-write-splitting.max-replica-lag",
                    "servers report replication lag in whole seconds", "at least 1s (e.g. 5s)");
        }
        assertThat(TopologyFactory.create(twoNodes("ddm.read-write-splitting.max-replica-lag=1s")).shards()).isEqualTo(8);
    }

    @Test
    void maxReplicaLagWithTheReplicaChecksOff() {
        assertInvalid(twoNodes("ddm.read-write-splitting.max-replica-lag=5s", "ddm.read-write-splitting.health.enabled=false"),
                "ddm.read-write-splitting.max-replica-lag", "is set to 5s but the replica checks, which read the lag, are turned"
                        + " off (ddm.read-write-splitting.health.enabled=false)",
                "Set ddm.read-write-splitting.health.enabled=true to exclude lagging replicas, or remove");
    }

    @Test
    void readYourWritesWindowThatIsNotPositive() {
        assertInvalid(twoNodes("ddm.read-write-splitting.read-your-writes-window=0"),
                "ddm.read-write-splitting.read-your-writes-window",
                "must be at least 1ms but is 0s: no read after a write would go to the primary",
                "or leave it unset to turn read-your-writes off");
        assertInvalid(twoNodes("ddm.read-write-splitting.read-your-writes-window=-2s"),
                "ddm.read-write-splitting.read-your-writes-window", "must be at least 1ms but is -2s", "above your usual replication lag");
        assertThat(TopologyFactory.create(twoNodes("ddm.read-write-splitting.read-your-writes-window=1ms")).shards()).isEqualTo(8);
    }

    @Test
    void healthTimeoutThatIsNotPositive() {
        assertInvalid(twoNodes("ddm.health.timeout=0"), "ddm.health.timeout",
                "must be at least 1ms but is 0s: every server would be reported DOWN",
                "Set ddm.health.timeout to the longest a healthy server may take to answer a health check, e.g. 2s");
        assertInvalid(twoNodes("ddm.health.timeout=-1ms"), "ddm.health.timeout", "but is -1ms", "e.g. 2s");
    }

    @Test
    void replicaWeightBelowOne() {
        assertInvalid(twoNodes("ddm.nodes.ds1.replicas.ds1-r0.url=jdbc:mysql://db1-r0:3306/", "ddm.nodes.ds1.replicas.ds1-r0.weight=0"),
                "ddm.nodes.ds1.replicas.ds1-r0.weight", "must be at least 1 but is 0", "relative share of reads");
    }

    @Test
    void workerIdOutOfRange() {
        assertInvalid(twoNodes("ddm.key-generator.worker-id=1024"), "ddm.key-generator.worker-id",
                "must be 0..1023 but is 1024 (snowflake keys hold a 10-bit worker id)",
                "or leave ddm.key-generator.worker-id unset to lease a free one at startup");
        assertInvalid(twoNodes("ddm.key-generator.worker-id=-1"), "ddm.key-generator.worker-id", "must be 0..1023 but is -1",
                "0..1023");
        assertThat(TopologyFactory.create(twoNodes("ddm.key-generator.worker-id=0")).shards()).isEqualTo(8);
        assertThat(TopologyFactory.create(twoNodes("ddm.key-generator.worker-id=1023")).shards()).isEqualTo(8);
    }

}
