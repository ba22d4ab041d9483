package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.ddm.datasource.Failures;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps failing and lagging replicas out of the read rotation of one DDM data source. Every interval it checks
 * each replica with a real round trip on the replica's own pool ({@code isValid}, and the replication status when
 * a maximum lag is set), waiting at most the timeout: a hung server (SIGSTOP, TCP still accepted) is a failed
 * check, and while its check is stuck no second one is started, so threads never pile up. After
 * {@code failureThreshold} failed checks in a row the replica is disabled in every read/write-splitting group
 * that reads from it (one per shard database on its node); after {@code successThreshold} passed checks it is
 * enabled again. A connection failure of a read on a replica ({@link ConnectionFailureHook}) excludes it at once.
 *
 * <p>Reads of a group without enabled replicas go to its primary ({@link PrimaryFallbackReadDataSourcesFilter}).
 * Every state change is logged once; the current states are available from {@link #states()}.
 */
public final class ReplicaHealthMonitor implements AutoCloseable, ConnectionFailureListeners.Listener {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaHealthMonitor.class);

    private final String schema;

    private final ReplicaHealthSettings settings;

    private final Supplier<Collection<ReadwriteSplittingRule>> rules;

    private final Map<String, Watched> replicas = new LinkedHashMap<>();

    private final Map<String, Watched> byDataSource = new LinkedHashMap<>();

    private final ScheduledExecutorService scheduler;

    private final ExecutorService checks;

    private volatile Collection<ReadwriteSplittingRule> currentRules = List.of();

    private volatile boolean closed;

    /**
     * Creates a monitor; {@link #start()} starts checking.
     * @param topology the topology whose replicas are checked
     * @param pools the physical pools, checks borrow from the replicas' pools
     * @param settings how to check
     * @param rules the current read/write-splitting rules of the logical database (looked up on every check, as
     *     ShardingSphere may rebuild them)
     */
    public ReplicaHealthMonitor(Topology topology, PhysicalDataSources pools, ReplicaHealthSettings settings,
            Supplier<Collection<ReadwriteSplittingRule>> rules) {
        this.schema = topology.schema();
        this.settings = settings;
        this.rules = rules;
        for (Node node : topology.nodes()) {
            for (Server replica : node.replicas()) {
                List<PhysicalPool> replicaPools = pools.pools().stream()
                    .filter((pool) -> pool.server().name().equals(replica.name()))
                    .toList();
                if (replicaPools.isEmpty()) {
                    continue;
                }
                Watched watched = new Watched(replica, replicaPools);
                this.replicas.put(replica.name(), watched);
                replicaPools.forEach((pool) -> this.byDataSource.put(pool.dataSourceName(), watched));
            }
        }
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "ddm-replica-monitor-" + this.schema));
        this.checks = Executors.newCachedThreadPool(
                (task) -> daemon(task, "ddm-replica-check-" + this.schema + "-" + threads.incrementAndGet()));
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Starts checking every interval, the first check at once.
     * @return this monitor
     */
    public ReplicaHealthMonitor start() {
        refreshRules();
        this.byDataSource.keySet().forEach((name) -> ConnectionFailureListeners.register(name, this));
        long interval = Math.max(1, this.settings.interval().toMillis());
        this.scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval, TimeUnit.MILLISECONDS);
        logger.debug("Checking replicas {} of '{}' every {}", this.replicas.keySet(), this.schema, this.settings.interval());
        return this;
    }

    /**
     * How replicas are checked.
     * @return the settings
     */
    public ReplicaHealthSettings getSettings() {
        return this.settings;
    }

    /**
     * The state of every replica. A replica reported out of rotation is already disabled in the routing rules.
     * @return states by replica name, in topology order
     */
    public synchronized Map<String, ReplicaState> states() {
        Map<String, ReplicaState> result = new LinkedHashMap<>();
        this.replicas.forEach((name, watched) -> result.put(name, watched.state()));
        return Collections.unmodifiableMap(result);
    }

    /**
     * Whether reads are routed to a replica.
     * @param replica the replica name
     * @return {@code false} while it is excluded
     * @throws IllegalArgumentException for an unknown replica
     */
    public synchronized boolean isInRotation(String replica) {
        Watched watched = this.replicas.get(replica);
        if (watched == null) {
            throw new IllegalArgumentException("Unknown replica '" + replica + "', known: " + this.replicas.keySet());
        }
        return !watched.excluded;
    }

    private void checkAll() {
        try {
            refreshRules();
            Map<Watched, Future<Outcome>> started = new LinkedHashMap<>();
            for (Watched watched : this.replicas.values()) {
                started.put(watched, watched.startCheck());
            }
            long deadline = System.nanoTime() + this.settings.timeout().toNanos();
            started.forEach((watched, check) -> {
                Outcome outcome = await(check, deadline);
                if (!this.closed) {
                    record(watched, outcome);
                }
            });
            applyToRules();
        }
        catch (RuntimeException ex) {
            if (!this.closed) {
                logger.warn("Checking the replicas of '{}' failed", this.schema, ex);
            }
        }
    }

    private void refreshRules() {
        try {
            this.currentRules = List.copyOf(this.rules.get());
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot read the read/write-splitting rules of '{}'", this.schema, ex);
        }
    }

    private Outcome await(Future<Outcome> check, long deadline) {
        try {
            return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException ex) {
            return Outcome.failed("no answer within " + this.settings.timeout().toMillis() + " ms");
        }
        catch (ExecutionException ex) {
            return Outcome.failed(Failures.describe(ex));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        }
    }

    private synchronized void record(Watched watched, Outcome outcome) {
        watched.replicationLag = outcome.replicationLag();
        watched.replicationStopped = outcome.replicationStopped();
        if (outcome.passed()) {
            watched.successes++;
            watched.failures = 0;
            if (watched.excluded && watched.successes >= this.settings.successThreshold()) {
                watched.excluded = false;
                watched.reason = null;
                watched.since = Instant.now();
                logger.info("Replica {} of node {} is back in the read rotation after {} passed checks", watched.name(),
                        watched.server.node(), watched.successes);
                applyToRules();
            }
            else if (!watched.excluded) {
                watched.reason = null;
            }
            return;
        }
        watched.failures++;
        watched.successes = 0;
        watched.reason = outcome.failure();
        if (!watched.excluded && watched.failures >= this.settings.failureThreshold()) {
            exclude(watched, outcome.failure() + " (" + watched.failures + " failed checks)");
            applyToRules();
        }
        else {
            logger.debug("Check of replica {} failed: {}", watched.name(), outcome.failure());
        }
    }

    /**
     * Excludes a replica at once after a connection failure of a read on one of its data sources.
     * @param dataSourceName the data source
     * @param cause the failure
     */
    @Override
    public synchronized void connectionFailed(String dataSourceName, Exception cause) {
        Watched watched = this.byDataSource.get(dataSourceName);
        if (watched == null || this.closed) {
            return;
        }
        watched.successes = 0;
        watched.failures = Math.max(watched.failures, this.settings.failureThreshold());
        if (!watched.excluded) {
            exclude(watched, "connection failure of a read on " + dataSourceName + ": " + Failures.describe(cause));
            applyToRules();
        }
    }

    private void exclude(Watched watched, String reason) {
        watched.excluded = true;
        watched.exclusions++;
        watched.reason = reason;
        watched.since = Instant.now();
        List<String> remaining = new ArrayList<>();
        this.replicas.values().forEach((other) -> {
            if (!other.excluded && other.server.node().equals(watched.server.node())) {
                remaining.add(other.name());
            }
        });
        logger.warn("Replica {} of node {} is excluded from reads: {}; its reads go to {}", watched.name(), watched.server.node(),
                reason, remaining.isEmpty() ? "the primary" : "replicas " + remaining);
    }

    /**
     * Disables excluded replicas and enables the others in every group that reads from them. Idempotent, and
     * repeated on every check so that rules ShardingSphere rebuilt get the current state too.
     */
    private synchronized void applyToRules() {
        for (ReadwriteSplittingRule rule : this.currentRules) {
            for (ReadwriteSplittingDataSourceGroupRule group : rule.getDataSourceRuleGroups().values()) {
                PrimaryFallbackReadDataSourcesFilter.giveWeight(group.getLoadBalancer(), group.getWriteDataSource());
                for (String read : group.getReadwriteSplittingGroup().getReadDataSources()) {
                    Watched watched = this.byDataSource.get(read);
                    if (watched == null) {
                        continue;
                    }
                    boolean disabled = group.getDisabledDataSourceNames().contains(read);
                    if (watched.excluded && !disabled) {
                        group.disableDataSource(read);
                    }
                    else if (!watched.excluded && disabled) {
                        group.enableDataSource(read);
                    }
                }
            }
        }
    }

    private Outcome check(Watched watched) {
        Duration maximum = this.settings.maxReplicaLag();
        try (Connection connection = watched.pool().dataSource().liveConnection(this.settings.timeout())) {
            if (maximum == null) {
                return Outcome.passed(null);
            }
            ReplicationLag.Reading reading = watched.lag.read(connection);
            if (reading.stopped() != null) {
                return new Outcome(false, "replication is stopped (" + reading.stopped() + ")", null, true);
            }
            if (reading.lag() != null && reading.lag().compareTo(maximum) > 0) {
                return new Outcome(false, "replication lag " + reading.lag().toSeconds() + " s exceeds " + maximum.toMillis()
                        + " ms", reading.lag(), false);
            }
            return Outcome.passed(reading.lag());
        }
        catch (SQLException | RuntimeException ex) {
            return Outcome.failed(Failures.describe(ex));
        }
    }

    @Override
    public void close() {
        this.closed = true;
        this.byDataSource.keySet().forEach((name) -> ConnectionFailureListeners.unregister(name, this));
        this.scheduler.shutdownNow();
        this.checks.shutdownNow();
    }

    @Override
    public String toString() {
        return "ReplicaHealthMonitor[schema=" + this.schema + ", replicas=" + this.replicas.keySet() + "]";
    }

    /**
     * The outcome of one check.
     */
    private record Outcome(boolean passed, String failure, Duration replicationLag, boolean replicationStopped) {

        static Outcome passed(Duration replicationLag) {
            return new Outcome(true, null, replicationLag, false);
        }

        static Outcome failed(String failure) {
            return new Outcome(false, failure, null, false);
        }

    }

    /**
     * A replica and what is known about it. Mutable fields are guarded by the monitor.
     */
    private final class Watched {

        private final Server server;

        private final List<PhysicalPool> pools;

        private final ReplicationLag lag;

        private Future<Outcome> running;

        private boolean excluded;

        private String reason;

        private Duration replicationLag;

        private boolean replicationStopped;

        private int failures;

        private int successes;

        private Instant since = Instant.now();

        private long exclusions;

        Watched(Server server, List<PhysicalPool> pools) {
            this.server = server;
            this.pools = pools;
            this.lag = new ReplicationLag(server.name());
        }

        String name() {
            return this.server.name();
        }

        PhysicalPool pool() {
            return this.pools.get(0);
        }

        /** Starts a check, or returns the previous one while it is still stuck on the server. */
        Future<Outcome> startCheck() {
            if (this.running == null || this.running.isDone()) {
                this.running = ReplicaHealthMonitor.this.checks.submit(() -> check(this));
            }
            return this.running;
        }

        ReplicaState state() {
            return new ReplicaState(name(), this.server.node(), !this.excluded, this.reason, this.replicationLag,
                    this.replicationStopped, this.failures, this.successes, this.since, this.exclusions);
        }

    }

}
