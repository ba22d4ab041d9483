package io.ddm.routing.rotation;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;

/**
 * Verifies at startup that ShardingSphere routes the reads of every replicated shard through DDM's load balancer
 * bound to this data source's read rotation. Otherwise replica exclusions would reach health and metrics but never
 * routing, silently: DDM refuses to start instead.
 */
public final class ReadRoutingCheck {

    private ReadRoutingCheck() {
    }

    /**
     * Verifies the read routing.
     * @param rules ShardingSphere's read/write-splitting rules of the logical database
     * @param topology the topology
     * @param rotation the data source's read rotation
     * @throws IllegalStateException naming what was not found
     */
    public static void verify(Collection<ReadwriteSplittingRule> rules, Topology topology, ReadRotationHolder rotation) {
        Set<String> expected = new LinkedHashSet<>();
        for (int shard = 0; shard < topology.shards(); shard++) {
            Node node = topology.node(topology.placement().nodeOf(shard));
            if (!node.replicas().isEmpty()) {
                expected.add(PhysicalNames.shardDatabase(topology.schema(), shard));
            }
        }
        for (ReadwriteSplittingRule rule : rules) {
            for (ReadwriteSplittingDataSourceGroupRule group : rule.getDataSourceRuleGroups().values()) {
                LoadBalanceAlgorithm balancer = group.getLoadBalancer();
                if (!(balancer instanceof ReplicaLoadBalanceAlgorithm replicas) || replicas.getRotation() != rotation) {
                    throw new IllegalStateException("The reads of shard database '" + group.getName() + "' are balanced by "
                            + describe(balancer) + " instead of DDM's " + ReplicaLoadBalanceAlgorithm.TYPE + " load balancer of this"
                            + " data source, so DDM could not keep failed replicas out of its reads. Check that the class path has"
                            + " one ddm-spring-boot-autoconfigure jar and that a repackaged jar keeps its"
                            + " META-INF/services entries.");
                }
                expected.remove(group.getName());
            }
        }
        if (!expected.isEmpty()) {
            throw new IllegalStateException("ShardingSphere has no read/write-splitting group for the shard databases " + expected
                    + " of '" + topology.schema() + "' although their nodes have replicas, so their reads could not be routed by"
                    + " DDM. Check that the class path has ShardingSphere's readwrite-splitting feature module.");
        }
    }

    private static String describe(LoadBalanceAlgorithm balancer) {
        return (balancer != null) ? balancer.getClass().getName() + " (type " + balancer.getType() + ")" : "nothing";
    }

}
