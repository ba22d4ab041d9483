package io.ddm.routing.rotation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.ddm.routing.RoutingDryRun;
import io.ddm.topology.LoadBalancer;
import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.apache.shardingsphere.readwritesplitting.config.rule.ReadwriteSplittingDataSourceGroupRuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.route.standard.StandardReadwriteSplittingDataSourceRouter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.transaction.TransactionalReadQueryStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * Routing of one read/write-splitting group through ShardingSphere's own router (which applies every registered
 * read data sources filter) with DDM's load balancer as {@code RuleConfigurationFactory} configures it, the read
 * rotation changed only by publishing snapshots.
 */
class ReplicaLoadBalanceAlgorithmTests {

    private static final String PRIMARY = "shop_0__ds0";

    private static final List<String> REPLICAS = List.of("shop_0__ds0-r0", "shop_0__ds0-r1");

    private final StandardReadwriteSplittingDataSourceRouter router = new StandardReadwriteSplittingDataSourceRouter();

    private final ReadRotationHolder rotation = ReadRotationHolder.register("shop");

    @AfterEach
    void close() {
        this.rotation.close();
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsGoToTheReplicasWhileAllAreInRotation(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, REPLICAS);
        assertThat(routes(rule, 200)).containsExactlyInAnyOrderElementsOf(REPLICAS);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsAvoidAnExcludedReplica(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, REPLICAS);
        this.rotation.publish(ReadRotation.excluding(List.of(REPLICAS.get(0))));
        assertThat(routes(rule, 100)).containsExactly(REPLICAS.get(1));
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsGoToThePrimaryWhenNoReplicaIsInRotation(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, REPLICAS);
        this.rotation.publish(ReadRotation.excluding(REPLICAS));
        assertThat(routes(rule, 100)).containsExactly(PRIMARY);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void readsReturnToTheReplicasWhenTheyAreReadmitted(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, REPLICAS);
        this.rotation.publish(ReadRotation.excluding(REPLICAS));
        assertThat(routes(rule, 10)).containsExactly(PRIMARY);
        this.rotation.publish(ReadRotation.excluding(List.of(REPLICAS.get(0))));
        assertThat(routes(rule, 50)).containsExactly(REPLICAS.get(1));
        this.rotation.publish(ReadRotation.FULL);
        assertThat(routes(rule, 200)).containsExactlyInAnyOrderElementsOf(REPLICAS);
    }

    @ParameterizedTest
    @EnumSource(LoadBalancer.class)
    void shardingSpheresRulesAreNeverChanged(LoadBalancer type) {
        ReadwriteSplittingDataSourceGroupRule rule = group(type, REPLICAS);
        this.rotation.publish(ReadRotation.excluding(REPLICAS));
        routes(rule, 10);
        assertThat(rule.getDisabledDataSourceNames()).isEmpty();
    }

    @Test
    void weightsSpreadReadsInProportionAmongTheReplicasInRotation() {
        Map<String, Integer> weights = Map.of(REPLICAS.get(0), 3, REPLICAS.get(1), 1, "shop_0__ds0-r2", 1);
        List<String> three = List.of(REPLICAS.get(0), REPLICAS.get(1), "shop_0__ds0-r2");
        ReadwriteSplittingDataSourceGroupRule rule = group(LoadBalancer.WEIGHT, three, weights);
        this.rotation.publish(ReadRotation.excluding(List.of("shop_0__ds0-r2")));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(this.router.route(rule), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(REPLICAS.get(0), REPLICAS.get(1));
        assertThat(counts.get(REPLICAS.get(0)) / (double) counts.get(REPLICAS.get(1))).isCloseTo(3.0, within(0.6));
    }

    @Test
    void aDryRunShowsTheNextReplicaWithoutAdvancingTheRoundRobin() {
        ReadwriteSplittingDataSourceGroupRule rule = group(LoadBalancer.ROUND_ROBIN, REPLICAS);
        String previewed = RoutingDryRun.run(() -> this.router.route(rule));
        assertThat(RoutingDryRun.run(() -> this.router.route(rule))).isEqualTo(previewed);
        assertThat(this.router.route(rule)).isEqualTo(previewed);
        assertThat(this.router.route(rule)).isNotEqualTo(previewed);
    }

    @Test
    void aBalancerWithoutARegisteredRotationCannotBeCreated() {
        Properties props = properties(LoadBalancer.ROUND_ROBIN, Map.of());
        props.setProperty(ReplicaLoadBalanceAlgorithm.ROTATION, "unknown");
        assertThatIllegalStateException()
            .isThrownBy(() -> TypedSPILoader.getService(LoadBalanceAlgorithm.class, ReplicaLoadBalanceAlgorithm.TYPE, props))
            .withMessageContaining("no registered read rotation 'unknown'");
    }

    private Set<String> routes(ReadwriteSplittingDataSourceGroupRule rule, int reads) {
        Set<String> result = new HashSet<>();
        for (int i = 0; i < reads; i++) {
            result.add(this.router.route(rule));
        }
        return result;
    }

    private ReadwriteSplittingDataSourceGroupRule group(LoadBalancer type, List<String> replicas) {
        Map<String, Integer> weights = new HashMap<>();
        replicas.forEach((replica) -> weights.put(replica, 1));
        return group(type, replicas, weights);
    }

    private ReadwriteSplittingDataSourceGroupRule group(LoadBalancer type, List<String> replicas, Map<String, Integer> weights) {
        LoadBalanceAlgorithm loadBalancer = TypedSPILoader.getService(LoadBalanceAlgorithm.class, ReplicaLoadBalanceAlgorithm.TYPE,
                properties(type, weights));
        ReadwriteSplittingDataSourceGroupRuleConfiguration config = new ReadwriteSplittingDataSourceGroupRuleConfiguration("shop_0",
                PRIMARY, replicas, TransactionalReadQueryStrategy.PRIMARY, "shop_0_replicas");
        return new ReadwriteSplittingDataSourceGroupRule(config, TransactionalReadQueryStrategy.PRIMARY, loadBalancer);
    }

    private Properties properties(LoadBalancer type, Map<String, Integer> weights) {
        Properties props = new Properties();
        props.setProperty(ReplicaLoadBalanceAlgorithm.ROTATION, this.rotation.id());
        props.setProperty(ReplicaLoadBalanceAlgorithm.PRIMARY, PRIMARY);
        props.setProperty(ReplicaLoadBalanceAlgorithm.STRATEGY, type.name());
        weights.forEach((name, weight) -> props.setProperty(ReplicaLoadBalanceAlgorithm.WEIGHT_PREFIX + name, weight.toString()));
        return props;
    }

}
