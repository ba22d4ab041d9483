package io.ddm.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.ddm.algorithm.DdmShardingAlgorithm;
import io.ddm.algorithm.segment.SegmentShardingAlgorithm;
import io.ddm.keygen.DdmSequences;
import io.ddm.keygen.LeasedSnowflakeKeyGenerateAlgorithm;
import io.ddm.keygen.SequenceKeyGenerateAlgorithm;
import io.ddm.keygen.WorkerIdSources;
import io.ddm.routing.rotation.ReplicaLoadBalanceAlgorithm;
import io.ddm.topology.LoadBalancer;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;
import io.ddm.topology.TableLayout.Kind;
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
import org.apache.shardingsphere.sharding.api.config.strategy.keygen.KeyGenerateStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.NoneShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.StandardShardingStrategyConfiguration;
import org.apache.shardingsphere.single.config.SingleRuleConfiguration;

/**
 * Translates a {@link Topology} into ShardingSphere rule configurations: sharding (with DDM's algorithms, and
 * {@link SegmentShardingAlgorithm} for tables split into range segments),
 * read/write splitting per shard, broadcast tables and single tables in the default shard. Plain code,
 * testable without Spring or a database.
 *
 * <p>Each shard database is one logical data source named like the database ({@code shop_3}). On a node with
 * replicas it is a read/write-splitting group over the physical data sources {@code shop_3__ds0} (primary) and
 * {@code shop_3__ds0-r0} (replicas); on a node without replicas it is the primary's data source itself. Every
 * read in a transaction goes to the primary.
 */
public final class RuleConfigurationFactory {

    /** Marks an inline expression as a plain comma-separated list for ShardingSphere. */
    static final String LITERAL_EXPRESSION = "<LITERAL>";

    private RuleConfigurationFactory() {
    }

    /**
     * Builds all rule configurations.
     * @param topology the topology
     * @param workerIdSource key of the data source's {@link WorkerIdSources} registration, where snowflake key
     *     generators get their worker id
     * @param readRotation id of the registered read rotation DDM's load balancers route by
     *     ({@link io.ddm.routing.rotation.ReadRotationHolder#id()})
     * @param columnTypes id of the registered lookup where DDM's sharding algorithms find their column's type
     *     ({@link io.ddm.algorithm.ShardingColumnTypes#id()})
     * @param sequences key of the data source's {@link DdmSequences} registration, or {@code null} when no table uses
     *     a sequence
     * @return rule configurations for {@code ShardingSphereDataSourceFactory}
     */
    public static Collection<RuleConfiguration> create(Topology topology, String workerIdSource, String readRotation,
            String columnTypes, String sequences) {
        List<RuleConfiguration> result = new ArrayList<>();
        result.add(sharding(topology, workerIdSource, columnTypes, sequences));
        ReadwriteSplittingRuleConfiguration readWriteSplitting = readWriteSplitting(topology, topology.loadBalancer(), readRotation);
        if (!readWriteSplitting.getDataSourceGroups().isEmpty()) {
            result.add(readWriteSplitting);
        }
        List<String> broadcast = topology.tables().values().stream().filter((table) -> table.kind() == Kind.BROADCAST)
                .map(TableLayout::name).toList();
        if (!broadcast.isEmpty()) {
            result.add(new BroadcastRuleConfiguration(broadcast));
        }
        SingleRuleConfiguration single = new SingleRuleConfiguration();
        single.setDefaultDataSource(topology.defaultShardDatabase());
        // Every existing table of the default shard that no other rule claims is a single table.
        single.getTables().add(topology.defaultShardDatabase() + ".*");
        result.add(single);
        return result;
    }

    /**
     * The physical data source name for one shard on one server, as registered with ShardingSphere.
     * @param topology the topology
     * @param shardDatabase the shard database
     * @param server the server
     * @return the data source name
     */
    public static String dataSourceName(Topology topology, String shardDatabase, Server server) {
        return topology.node(server.node()).replicas().isEmpty() ? shardDatabase : PhysicalNames.dataSource(shardDatabase, server.name());
    }

    private static ShardingRuleConfiguration sharding(Topology topology, String workerIdSource, String columnTypes,
            String sequences) {
        ShardingRuleConfiguration result = new ShardingRuleConfiguration();
        Map<String, List<String>> bindingGroups = new LinkedHashMap<>();
        for (TableLayout table : topology.tables().values()) {
            if (table.kind() != Kind.SHARDED) {
                continue;
            }
            // A literal list: ShardingSphere's default (Groovy) expression parser compiles a script per data node,
            // which made the startup of a layout with hundreds of physical tables take most of a minute.
            String dataNodes = table.dataNodes().stream().map((node) -> node.database() + "." + node.table())
                    .collect(Collectors.joining(",", LITERAL_EXPRESSION, ""));
            ShardingTableRuleConfiguration rule = new ShardingTableRuleConfiguration(table.name(), dataNodes);
            String databaseAlgorithm = table.name() + "_database";
            result.getShardingAlgorithms().put(databaseAlgorithm, new AlgorithmConfiguration(DdmShardingAlgorithm.TYPE,
                    DdmShardingAlgorithm.withColumnTypes(DdmShardingAlgorithm.databaseProperties(table.databaseSharding().function(),
                            topology.shards(), table.tablesPerShard(), table.globalNumbering(),
                            PhysicalNames.shardDatabasePrefix(topology.schema()), table.databaseSharding().parameters()), columnTypes)));
            rule.setDatabaseShardingStrategy(new StandardShardingStrategyConfiguration(table.databaseSharding().column(),
                    databaseAlgorithm));
            if (table.segments() != null) {
                String tableAlgorithm = table.name() + "_segments";
                result.getShardingAlgorithms().put(tableAlgorithm, new AlgorithmConfiguration(SegmentShardingAlgorithm.TYPE,
                        SegmentShardingAlgorithm.properties(table.name(), table.segments(),
                                "ddm.tables." + table.name() + ".table-sharding.segments")));
                rule.setTableShardingStrategy(new StandardShardingStrategyConfiguration(table.segments().column(), tableAlgorithm));
            }
            else if (table.tableSharding() != null) {
                String tableAlgorithm = table.name() + "_table";
                result.getShardingAlgorithms().put(tableAlgorithm, new AlgorithmConfiguration(DdmShardingAlgorithm.TYPE,
                        DdmShardingAlgorithm.withColumnTypes(DdmShardingAlgorithm.tableProperties(table.tableSharding().function(),
                                topology.shards(), table.tablesPerShard(), table.globalNumbering(),
                                PhysicalNames.physicalTablePrefix(table.name()), table.tableSharding().parameters()), columnTypes)));
                rule.setTableShardingStrategy(new StandardShardingStrategyConfiguration(table.tableSharding().column(),
                        tableAlgorithm));
            }
            else {
                rule.setTableShardingStrategy(new NoneShardingStrategyConfiguration());
            }
            if (table.keyGeneratorColumn() != null) {
                String keyGenerator = table.name() + "_key";
                result.getKeyGenerators().put(keyGenerator, keyGenerator(table, keyGenerator, workerIdSource,
                        sequences));
                rule.setKeyGenerateStrategy(new KeyGenerateStrategyConfiguration(table.keyGeneratorColumn(), keyGenerator));
            }
            result.getTables().add(rule);
            if (table.bindingGroup() != null) {
                bindingGroups.computeIfAbsent(table.bindingGroup(), (group) -> new ArrayList<>()).add(table.name());
            }
        }
        bindingGroups.forEach((group, tables) -> {
            if (tables.size() > 1) {
                result.getBindingTableGroups().add(new ShardingTableReferenceRuleConfiguration(group, String.join(",", tables)));
            }
        });
        return result;
    }

    /**
     * Snowflake keys come from DDM's generator, which takes its worker id from the data source's lease each time
     * (ShardingSphere's takes a number fixed at startup); sequence values from DDM's generator over the table's
     * sequence; UUIDs from ShardingSphere's.
     */
    private static AlgorithmConfiguration keyGenerator(TableLayout table, String name, String workerIdSource, String sequences) {
        String type = table.keyGeneratorType();
        if ("SEQUENCE".equals(type)) {
            if (sequences == null) {
                throw new IllegalArgumentException("Table '" + table.name() + "' uses a sequence, but no sequences are registered");
            }
            return new AlgorithmConfiguration(SequenceKeyGenerateAlgorithm.TYPE, SequenceKeyGenerateAlgorithm.properties(sequences,
                    table.name()));
        }
        if ("SNOWFLAKE".equals(type)) {
            return new AlgorithmConfiguration(LeasedSnowflakeKeyGenerateAlgorithm.TYPE,
                    LeasedSnowflakeKeyGenerateAlgorithm.properties(workerIdSource, name));
        }
        return new AlgorithmConfiguration(type, new Properties());
    }

    /**
     * One group per replicated shard, each with its own instance of DDM's load balancer: it knows the group's primary
     * (the read target when no replica is in rotation) and the replicas' weights from the start, and routes by the
     * read rotation DDM publishes, so nothing in ShardingSphere's rules changes at run time.
     */
    private static ReadwriteSplittingRuleConfiguration readWriteSplitting(Topology topology, LoadBalancer loadBalancer,
            String readRotation) {
        List<ReadwriteSplittingDataSourceGroupRuleConfiguration> groups = new ArrayList<>();
        Map<String, AlgorithmConfiguration> loadBalancers = new LinkedHashMap<>();
        for (int shard = 0; shard < topology.shards(); shard++) {
            Node node = topology.node(topology.placement().nodeOf(shard));
            if (node.replicas().isEmpty()) {
                continue;
            }
            String shardDatabase = PhysicalNames.shardDatabase(topology.schema(), shard);
            String primary = dataSourceName(topology, shardDatabase, node.primary());
            List<String> reads = new ArrayList<>();
            Properties props = new Properties();
            props.setProperty(ReplicaLoadBalanceAlgorithm.ROTATION, readRotation);
            props.setProperty(ReplicaLoadBalanceAlgorithm.PRIMARY, primary);
            props.setProperty(ReplicaLoadBalanceAlgorithm.STRATEGY, loadBalancer.name());
            for (Server replica : node.replicas()) {
                String name = dataSourceName(topology, shardDatabase, replica);
                reads.add(name);
                props.setProperty(ReplicaLoadBalanceAlgorithm.WEIGHT_PREFIX + name, Integer.toString(replica.weight()));
            }
            String balancer = shardDatabase + "_" + loadBalancer.name().toLowerCase(java.util.Locale.ROOT);
            loadBalancers.put(balancer, new AlgorithmConfiguration(ReplicaLoadBalanceAlgorithm.TYPE, props));
            groups.add(new ReadwriteSplittingDataSourceGroupRuleConfiguration(shardDatabase, primary, reads,
                    TransactionalReadQueryStrategy.PRIMARY, balancer));
        }
        return new ReadwriteSplittingRuleConfiguration(groups, loadBalancers);
    }

}
