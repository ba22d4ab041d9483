package io.ddm.routing.rotation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddm.routing.ReadYourWrites;
import io.ddm.routing.RoutingDryRun;
import io.ddm.topology.LoadBalancer;
import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;

/**
 * DDM's load balancer for the reads of one shard database (one ShardingSphere read/write-splitting group), and the
 * only place where DDM's read routing meets ShardingSphere's:
 * <ol>
 * <li>while the calling thread's last write is younger than the read-your-writes window ({@link ReadYourWrites}),
 * the read goes to the primary;</li>
 * <li>replicas out of the current {@link ReadRotation} are skipped; with none left the read goes to the primary;</li>
 * <li>the configured {@link LoadBalancer} strategy picks among the rest.</li>
 * </ol>
 * The rotation is the snapshot current when the read is routed, so a read never sees half a change, and nothing in
 * ShardingSphere's rules is changed at run time. Weights are fixed at {@link #init(Properties)}. A dry run
 * ({@link RoutingDryRun}) shows the replica the next read would get without advancing the round-robin counter.
 */
public final class ReplicaLoadBalanceAlgorithm implements LoadBalanceAlgorithm {

    /** The ShardingSphere SPI type. */
    public static final String TYPE = "DDM_REPLICA";

    /** Property: id of the {@link ReadRotationHolder}. */
    public static final String ROTATION = "rotation";

    /** Property: the group's write data source. */
    public static final String PRIMARY = "primary";

    /** Property: the {@link LoadBalancer} strategy. */
    public static final String STRATEGY = "strategy";

    /** Property prefix: {@code weight.<data source>} for {@link LoadBalancer#WEIGHT}. */
    public static final String WEIGHT_PREFIX = "weight.";

    private final AtomicInteger turn = new AtomicInteger();

    private ReadRotationHolder rotation;

    private String primary;

    private LoadBalancer strategy;

    private Map<String, Integer> weights = Map.of();

    @Override
    public void init(Properties props) {
        String id = props.getProperty(ROTATION);
        this.rotation = (id != null) ? ReadRotationHolder.find(id) : null;
        if (this.rotation == null) {
            throw new IllegalStateException("DDM's load balancer has no registered read rotation '" + id + "': it is created by"
                    + " DDM's data source and cannot be configured by hand");
        }
        this.primary = require(props, PRIMARY);
        this.strategy = LoadBalancer.valueOf(require(props, STRATEGY).toUpperCase(Locale.ROOT));
        Map<String, Integer> configured = new LinkedHashMap<>();
        props.stringPropertyNames().stream()
            .filter((name) -> name.startsWith(WEIGHT_PREFIX))
            .forEach((name) -> configured.put(name.substring(WEIGHT_PREFIX.length()), Integer.parseInt(props.getProperty(name))));
        this.weights = Map.copyOf(configured);
    }

    private static String require(Properties props, String name) {
        String value = props.getProperty(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("DDM's load balancer lacks its '" + name + "' property");
        }
        return value;
    }

    @Override
    public void check(String databaseName, Collection<String> configuredTargetNames) {
        if (this.strategy == LoadBalancer.WEIGHT) {
            for (String target : configuredTargetNames) {
                if (!this.weights.containsKey(target)) {
                    throw new IllegalStateException("DDM's WEIGHT load balancer of '" + databaseName + "' has no weight for " + target);
                }
            }
        }
    }

    @Override
    public String getTargetName(String groupName, List<String> availableTargetNames) {
        if (ReadYourWrites.isPinned(this.primary)) {
            return this.primary;
        }
        List<String> candidates = this.rotation.current().inRotation(availableTargetNames);
        if (candidates.isEmpty()) {
            return this.primary;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return switch (this.strategy) {
            case ROUND_ROBIN -> candidates.get(Math.floorMod(RoutingDryRun.isActive() ? this.turn.get() : this.turn.getAndIncrement(),
                    candidates.size()));
            case RANDOM -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
            case WEIGHT -> weighted(candidates);
        };
    }

    private String weighted(List<String> candidates) {
        int total = 0;
        for (String each : candidates) {
            total += this.weights.getOrDefault(each, 1);
        }
        int pick = ThreadLocalRandom.current().nextInt(total);
        for (String each : candidates) {
            pick -= this.weights.getOrDefault(each, 1);
            if (pick < 0) {
                return each;
            }
        }
        return candidates.get(candidates.size() - 1);
    }

    /**
     * The rotation this balancer routes by.
     * @return the holder
     */
    public ReadRotationHolder getRotation() {
        return this.rotation;
    }

    @Override
    public String getType() {
        return TYPE;
    }

}
