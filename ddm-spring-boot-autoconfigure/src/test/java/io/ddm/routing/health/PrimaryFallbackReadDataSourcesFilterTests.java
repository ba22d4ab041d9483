package io.ddm.routing.health;

import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.ddm.topology.LoadBalancer;
import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.apache.shardingsphere.readwritesplitting.config.rule.ReadwriteSplittingDataSourceGroupRuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.route.standard.StandardReadwriteSplittingDataSourceRouter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.transaction.TransactionalReadQueryStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing of one read/write-splitting group through ShardingSphere's own router (which applies every registered
 * read data sources filter) with each of DDM's load balancers, as DDM configures them.
 */
class PrimaryFallbackReadDataSourcesFilterTests {

    private static final String PRIMARY = "shop_0__ds0";

    private static final List<String> REPLICAS = List.of("shop_0__ds0-r0", "shop_0__ds0-r1");

    private final StandardReadwriteSplittingDataSourceRouter router = new StandardReadwriteSplittingDataSourceRouter();

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsGoToTheReplicasWhileAllAreEnabled(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type);
        assertThat(routes(rule, 200)).containsExactlyInAnyOrderElementsOf(REPLICAS);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsAvoidADisabledReplica(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type);
        rule.disableDataSource(REPLICAS.get(0));
        assertThat(routes(rule, 100)).containsExactly(REPLICAS.get(1));
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsGoToThePrimaryWhenNoReplicaIsEnabled(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type);
        REPLICAS.forEach(rule::disableDataSource);
        assertThat(routes(rule, 100)).containsExactly(PRIMARY);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsReturnToTheReplicasWhenTheyAreEnabledAgain(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type);
        assertThat(routes(rule, 10)).isNotEmpty();
        REPLICAS.forEach(rule::disableDataSource);
        assertThat(routes(rule, 10)).containsExactly(PRIMARY);
        rule.enableDataSource(REPLICAS.get(1));
        assertThat(routes(rule, 50)).containsExactly(REPLICAS.get(1));
        rule.enableDataSource(REPLICAS.get(0));
        assertThat(routes(rule, 200)).containsExactlyInAnyOrderElementsOf(REPLICAS);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void aGroupWithASingleReplicaFallsBackToItsPrimary(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, List.of(REPLICAS.get(0)));
        assertThat(routes(rule, 10)).containsExactly(REPLICAS.get(0));
        rule.disableDataSource(REPLICAS.get(0));
        assertThat(routes(rule, 10)).containsExactly(PRIMARY);
        rule.enableDataSource(REPLICAS.get(0));
        assertThat(routes(rule, 10)).containsExactly(REPLICAS.get(0));
    }

    private Set<String> routes(ReadwriteSplittingDataSourceGroupRule rule, int reads) {
        Set<String> result = new HashSet<>();
        for (int i = 0; i < reads; i++) {
            result.add(this.router.route(rule));
        }
        return result;
    }

    private static ReadwriteSplittingDataSourceGroupRule group(LoadBalancer type) {
        return group(type, REPLICAS);
    }

    /** A group as {@code RuleConfigurationFactory} configures it: WEIGHT knows the replicas' weights only. */
    private static ReadwriteSplittingDataSourceGroupRule group(LoadBalancer type, List<String> replicas) {
        Properties props = new Properties();
        if (type == LoadBalancer.WEIGHT) {
            replicas.forEach((replica) -> props.setProperty(replica, "1"));
        }
        LoadBalanceAlgorithm loadBalancer = TypedSPILoader.getService(LoadBalanceAlgorithm.class, type.name(), props);
        ReadwriteSplittingDataSourceGroupRuleConfiguration config = new ReadwriteSplittingDataSourceGroupRuleConfiguration("shop_0",
                PRIMARY, replicas, TransactionalReadQueryStrategy.PRIMARY, "shop_0_" + type.name().toLowerCase());
        return new ReadwriteSplittingDataSourceGroupRule(config, TransactionalReadQueryStrategy.PRIMARY, loadBalancer);
    }

}
