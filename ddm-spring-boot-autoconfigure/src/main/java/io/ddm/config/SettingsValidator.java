package io.ddm.config;

import java.time.Duration;
import java.util.Map;

import io.ddm.config.DdmProperties.ReadWriteSplitting;
import io.ddm.config.DdmProperties.ReplicaHealth;
import io.ddm.config.DdmProperties.ServerChecks;

/**
 * Checks the settings DDM applies while it runs rather than to the topology: intervals and timeouts of the
 * primary and replica checks and of the health checks, the check thresholds, the replica lag limit, the
 * read-your-writes window, the wait for replicas after DDL, replica weights, the snowflake worker id and its lease check
 * interval, the shard moves' chunk size and switch attempts, the fast path's cache size. Each value that cannot work
 * fails startup with a {@link DdmConfigurationException} naming the property; none is corrected or ignored silently.
 * Used by {@link TopologyFactory}.
 *
 * <p>A check timeout at or above its interval is accepted: checks are scheduled with a fixed delay after the
 * previous check ends and never overlap, so a longer timeout only makes a round of checks take longer; it does
 * not pile up checks or mark servers down.
 */
final class SettingsValidator {

    /** Snowflake keys hold a 10-bit worker id. */
    private static final int MAX_WORKER_ID = 1023;

    /** A new lease waits three intervals before its first key: longer would stall the first inserts for minutes. */
    private static final Duration MAX_LEASE_CHECK_INTERVAL = Duration.ofMinutes(1);

    /** Below this the fast path would classify the same texts again and again. */
    private static final int MIN_FAST_PATH_CACHE_SIZE = 16;

    private SettingsValidator() {
    }

    /**
     * Validates the run-time settings.
     * @param properties the bound properties
     * @throws DdmConfigurationException on the first problem found
     */
    static void validate(DdmProperties properties) {
        checkServerChecks(properties.getPrimaryHealth(), "ddm.primary-health", "primary",
                "every primary would be recorded down at its first check, and its shards would fail");
        ReadWriteSplitting readWriteSplitting = properties.getReadWriteSplitting();
        ReplicaHealth replicaHealth = readWriteSplitting.getHealth();
        checkServerChecks(replicaHealth, "ddm.read-write-splitting.health", "replica",
                "every replica would fail its checks and leave the read rotation");
        checkAtLeastOne(replicaHealth.getFailureThreshold(), "ddm.read-write-splitting.health.failure-threshold",
                "the number of failed checks in a row that exclude a replica from reads, e.g. 2 (the default)");
        checkAtLeastOne(replicaHealth.getSuccessThreshold(), "ddm.read-write-splitting.health.success-threshold",
                "the number of passed checks in a row that re-admit an excluded replica, e.g. 2 (the default)");
        checkMaxReplicaLag(readWriteSplitting);
        checkReadYourWritesWindow(readWriteSplitting.getReadYourWritesWindow());
        checkPositive(readWriteSplitting.getReplicationWaitTimeout(), "ddm.read-write-splitting.replication-wait-timeout",
                "no DDL statement would wait for the replicas to apply it",
                "how long a DDL statement may wait for the replicas to apply it, e.g. 10s (the default)");
        checkLeaseCheckInterval(properties.getKeyGenerator().getLeaseCheckInterval());
        checkPlacementCheckInterval(properties);
        checkAtLeastOne(properties.getKeyGenerator().getSequence().getBlockSize(), "ddm.key-generator.sequence.block-size",
                "the number of values an instance reserves at a time, e.g. 1000 (the default)");
        checkPositive(properties.getKeyGenerator().getSequence().getTimeout(), "ddm.key-generator.sequence.timeout",
                "no block of a sequence could ever be reserved", "the longest a block reservation may wait for the default"
                        + " shard's primary, e.g. 5s (the default)");
        checkPositive(properties.getHealth().getTimeout(), "ddm.health.timeout", "every server would be reported DOWN",
                "the longest a healthy server may take to answer a health check, e.g. 2s (the default)");
        checkAtLeastOne(properties.getMoves().getChunkRows(), "ddm.moves.chunk-rows",
                "the rows a shard move's verification compares per checksum, e.g. 1000 (the default)");
        checkAtLeastOne(properties.getMoves().getSwitchAttempts(), "ddm.moves.switch-attempts",
                "how often a shard move tries its switch before it fails, e.g. 5 (the default)");
        int cacheSize = properties.getFastPath().getCacheSize();
        if (cacheSize < MIN_FAST_PATH_CACHE_SIZE) {
            throw new DdmConfigurationException("ddm.fast-path.cache-size", "must be at least " + MIN_FAST_PATH_CACHE_SIZE + " but is "
                    + cacheSize + ": the fast path would forget every SQL text it classified after a few", "Set ddm.fast-path.cache-size"
                            + " to the number of distinct SQL texts the application prepares, e.g. 4096 (the default), or set"
                            + " ddm.fast-path.enabled=false to send every statement through ShardingSphere.");
        }
        for (Map.Entry<String, DdmProperties.Node> node : properties.getNodes().entrySet()) {
            for (Map.Entry<String, DdmProperties.Replica> replica : node.getValue().getReplicas().entrySet()) {
                checkAtLeastOne(replica.getValue().getWeight(), "ddm.nodes." + node.getKey() + ".replicas." + replica.getKey()
                        + ".weight", "the replica's relative share of reads, e.g. 1 (the default); remove the replica to"
                                + " send it no reads");
            }
        }
        Integer workerId = properties.getKeyGenerator().getWorkerId();
        if (workerId != null && (workerId < 0 || workerId > MAX_WORKER_ID)) {
            throw new DdmConfigurationException("ddm.key-generator.worker-id", "must be 0.." + MAX_WORKER_ID + " but is " + workerId
                    + " (snowflake keys hold a 10-bit worker id)", "Give every application instance its own id in 0.."
                            + MAX_WORKER_ID + ", or leave ddm.key-generator.worker-id unset to lease a free one at startup.");
        }
    }

    private static void checkServerChecks(ServerChecks checks, String prefix, String role, String zeroTimeoutEffect) {
        checkPositive(checks.getInterval(), prefix + ".interval", "each " + role + " would be checked without pause",
                "the pause between two checks of each " + role + ", e.g. 2s (the default)");
        checkPositive(checks.getTimeout(), prefix + ".timeout", zeroTimeoutEffect,
                "the longest a healthy " + role + " may take to answer a check, e.g. 1s (the default)"
                        + (checks.isEnabled() ? ", or set " + prefix + ".enabled=false to turn the checks off" : ""));
    }

    private static void checkMaxReplicaLag(ReadWriteSplitting readWriteSplitting) {
        String path = "ddm.read-write-splitting.max-replica-lag";
        Duration lag = readWriteSplitting.getMaxReplicaLag();
        if (lag == null) {
            return;
        }
        if (lag.compareTo(Duration.ofSeconds(1)) < 0) {
            String effect = lag.isNegative() ? "every replica would be excluded from reads"
                    : "servers report replication lag in whole seconds, so this would exclude a replica as soon as it"
                            + " reports being 1 s behind, which ordinary write bursts cause";
            throw new DdmConfigurationException(path, "must be at least 1s but is " + format(lag) + ": " + effect,
                    "Set " + path + " to the staleness reads may tolerate, at least 1s (e.g. 5s), or leave it unset to not"
                            + " check replication lag.");
        }
        if (!readWriteSplitting.getHealth().isEnabled()) {
            throw new DdmConfigurationException(path, "is set to " + format(lag) + " but the replica checks, which read the"
                    + " lag, are turned off (ddm.read-write-splitting.health.enabled=false): lagging replicas would keep"
                    + " serving reads", "Set ddm.read-write-splitting.health.enabled=true to exclude lagging replicas, or"
                            + " remove " + path + ".");
        }
    }

    private static void checkReadYourWritesWindow(Duration window) {
        String path = "ddm.read-write-splitting.read-your-writes-window";
        if (window != null && isBelowOneMillisecond(window)) {
            throw new DdmConfigurationException(path, "must be at least 1ms but is " + format(window)
                    + ": no read after a write would go to the primary", "Set " + path + " to a time above your usual"
                            + " replication lag (e.g. 2s), or leave it unset to turn read-your-writes off.");
        }
    }

    private static void checkLeaseCheckInterval(Duration interval) {
        String path = "ddm.key-generator.lease-check-interval";
        checkPositive(interval, path, "the worker id lease would be confirmed without pause",
                "how often a leased worker id is confirmed, e.g. 1s (the default)");
        if (interval.compareTo(MAX_LEASE_CHECK_INTERVAL) > 0) {
            throw new DdmConfigurationException(path, "must be at most " + format(MAX_LEASE_CHECK_INTERVAL) + " but is " + format(interval)
                    + ": a new worker id lease waits three intervals before its first key", "Set " + path
                            + " to a duration such as 1s, or remove it for the default of 1s.");
        }
    }

    /**
     * A leased worker id lock lives on the default shard's primary; when another instance moves the default shard, this
     * instance moves its lock once it reads the new placement, and that must happen before an instance started on the
     * new node could have leased the same id and passed its warm-up of one validity window.
     */
    private static void checkPlacementCheckInterval(DdmProperties properties) {
        String path = "ddm.moves.placement-check-interval";
        Duration interval = properties.getMoves().getPlacementCheckInterval();
        checkPositive(interval, path, "every instance would read the recorded placement without pause",
                "how often an instance reads where the shards live, to follow moves of other instances, e.g. 2s (the default)");
        Duration window = properties.getKeyGenerator().getLeaseCheckInterval().multipliedBy(3);
        if (properties.getKeyGenerator().getWorkerId() == null && interval.compareTo(window) >= 0) {
            throw new DdmConfigurationException(path, "is " + format(interval) + ", not shorter than the validity window of the leased"
                    + " snowflake worker id (3 x ddm.key-generator.lease-check-interval = " + format(window) + "): when another instance"
                    + " moves the default shard, this instance must move its worker-id lock to the new node before an instance"
                    + " started there could issue keys with the same id", "Set " + path + " below " + format(window)
                            + " (the default is 2s), raise ddm.key-generator.lease-check-interval, or set ddm.key-generator.worker-id.");
        }
    }

    private static void checkPositive(Duration value, String path, String effect, String meaning) {
        if (value == null) {
            throw new DdmConfigurationException(path, "is not set", "Set " + path + " to " + meaning + ".");
        }
        if (isBelowOneMillisecond(value)) {
            throw new DdmConfigurationException(path, "must be at least 1ms but is " + format(value) + ": " + effect,
                    "Set " + path + " to " + meaning + ".");
        }
    }

    private static void checkAtLeastOne(int value, String path, String meaning) {
        if (value < 1) {
            throw new DdmConfigurationException(path, "must be at least 1 but is " + value, "Set " + path + " to " + meaning + ".");
        }
    }

    /** DDM schedules and bounds its checks in milliseconds: anything below one is zero to it. */
    private static boolean isBelowOneMillisecond(Duration value) {
        return value.compareTo(Duration.ofMillis(1)) < 0;
    }

    /** A duration the way it is written in properties: {@code 0s}, {@code -5s}, {@code 1500ms}, {@code 500us}. */
    static String format(Duration value) {
        if (value.getNano() == 0) {
            return value.getSeconds() + "s";
        }
        if (value.getNano() % 1_000_000 == 0) {
            return value.toMillis() + "ms";
        }
        if (value.getNano() % 1_000 == 0) {
            return (value.toNanos() / 1_000) + "us";
        }
        return value.toNanos() + "ns";
    }

}
