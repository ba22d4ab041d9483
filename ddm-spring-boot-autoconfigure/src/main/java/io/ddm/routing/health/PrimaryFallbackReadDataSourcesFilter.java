package io.ddm.routing.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;
import org.apache.shardingsphere.infra.algorithm.loadbalancer.weight.WeightLoadBalanceAlgorithm;
import org.apache.shardingsphere.readwritesplitting.route.standard.filter.ReadDataSourcesFilter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;

/**
 * Removes disabled replicas from a read/write-splitting group's reads and, when none is left, offers the group's
 * primary instead: ShardingSphere's load balancers fail on an empty list, so without this a node whose replicas
 * are all excluded could not be read at all. Registered as a ShardingSphere SPI, hence applied to every
 * read/write-splitting rule in the JVM; it only looks at the rule it is given.
 *
 * <p>The WEIGHT load balancer only knows the weights of the configured replicas (its configuration check
 * rejects any other name), and fails on an unknown one; before the primary is first offered to it, it is
 * given the primary's weight. The primary only ever appears alone in the list, so the weight itself does not
 * matter; it must be above zero, or the single-entry weight table does not sum to 1.
 */
public final class PrimaryFallbackReadDataSourcesFilter implements ReadDataSourcesFilter {

    private static final Map<LoadBalanceAlgorithm, Set<String>> WEIGHTED_PRIMARIES = new WeakHashMap<>();

    @Override
    public List<String> filter(ReadwriteSplittingDataSourceGroupRule rule, List<String> readDataSources) {
        Collection<String> disabled = rule.getDisabledDataSourceNames();
        List<String> result = new ArrayList<>(readDataSources.size());
        for (String each : readDataSources) {
            if (!disabled.contains(each)) {
                result.add(each);
            }
        }
        if (!result.isEmpty()) {
            return result;
        }
        String primary = rule.getWriteDataSource();
        giveWeight(rule.getLoadBalancer(), primary);
        return Collections.singletonList(primary);
    }

    /**
     * Makes a WEIGHT load balancer accept the primary of its group. Called before traffic by the monitor, and
     * again (a no-op then) on every fallback.
     * @param loadBalancer the group's load balancer
     * @param primary the group's write data source
     */
    public static void giveWeight(LoadBalanceAlgorithm loadBalancer, String primary) {
        if (!(loadBalancer instanceof WeightLoadBalanceAlgorithm)) {
            return;
        }
        synchronized (WEIGHTED_PRIMARIES) {
            Set<String> weighted = WEIGHTED_PRIMARIES.computeIfAbsent(loadBalancer, (key) -> new HashSet<>());
            if (weighted.add(primary)) {
                // init() adds to the configured weights; it does not replace them.
                Properties weight = new Properties();
                weight.setProperty(primary, "1");
                loadBalancer.init(weight);
            }
        }
    }

}
