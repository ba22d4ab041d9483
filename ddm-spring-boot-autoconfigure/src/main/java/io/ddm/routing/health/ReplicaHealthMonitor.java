package io.ddm.routing.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddm.datasource.Failures;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.health.CheckConnections;
import io.ddm.health.ReplicationLag;
import io.ddm.health.ServerProbe;
import io.ddm.health.ServerProbe.ServerState;
import io.ddm.routing.rotation.ReadRotationHolder;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which replicas of one DDM data source take reads. Every interval it checks each replica on its check
 * connection ({@link CheckConnections}: never a pooled connection, so a busy pool is not a failure), with its
 * replication status, waiting at most the timeout: a hung server (SIGSTOP, TCP still accepted) is a failed check.
 * After {@code failureThreshold} failed checks in a row a replica is excluded (or when its lag exceeds
 * {@code max-replica-lag}); after {@code successThreshold} passed checks it is re-admitted, counted only once it has
 * caught up: its reported lag is within {@code max-replica-lag}, or 1 s without one, so that a replica back from an
 * outage does not serve what it has not replayed yet. A read on a replica failing with a connection error
 * ({@link ConnectionFailureHook}) excludes it at once. A borrow from its pool waiting because the pool cannot connect
 * checks it at once, and a failed check then excludes it without waiting for the threshold: HikariCP keeps its last
 * connection failure until a connection succeeds, so the failure a borrow sees may predate a restart.
 *
 * <p>{@link ReplicaExclusions} applies each change (read rotation, pool availability, eviction). Every change is
 * logged once; the states are available from {@link #states()}.
 */
public final class ReplicaHealthMonitor implements AutoCloseable, ConnectionFailureListeners.Listener {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaHealthMonitor.class);

    /** Lag (whole seconds, as servers report it) up to which an excluded replica counts as caught up without a maximum lag. */
    static final long CAUGHT_UP_SECONDS = 1;

    private final String schema;

    private final ReplicaHealthSettings settings;

    private final ReplicaExclusions exclusions;

    private final ServerProbe probe;

    private final Map<String, Watched> replicas = new LinkedHashMap<>();

    private final Map<String, Watched> byDataSource = new LinkedHashMap<>();

    private final ScheduledExecutorService scheduler;

    private volatile boolean closed;

    /**
     * Creates a monitor; {@link #start()} starts checking.
     * @param topology the topology whose replicas are checked
     * @param pools the physical pools
     * @param checks the servers' check connections
     * @param settings how to check
     * @param rotation where the read rotation is published
     */
    public ReplicaHealthMonitor(Topology topology, PhysicalDataSources pools, CheckConnections checks, ReplicaHealthSettings settings,
            ReadRotationHolder rotation) {
        this.schema = topology.schema();
        this.settings = settings;
        this.exclusions = new ReplicaExclusions(pools, rotation);
        this.probe = new ServerProbe(checks, pools, settings.timeout());
        for (Node node : topology.nodes()) {
            for (Server replica : node.replicas()) {
                Watched watched = new Watched(replica, pools.poolsOf(replica.name()));
                this.replicas.put(replica.name(), watched);
                watched.pools.forEach((pool) -> this.byDataSource.put(pool.dataSourceName(), watched));
            }
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "ddm-replica-monitor-" + this.schema);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts checking every interval, the first check at once.
     * @return this monitor
     */
    public ReplicaHealthMonitor start() {
        for (Watched watched : this.replicas.values()) {
            for (PhysicalPool pool : watched.pools) {
                ConnectionFailureListeners.register(pool.dataSourceName(), this);
                this.exclusions.routeAroundWhenExcluded(pool);
                pool.dataSource().setBorrowFailureListener((dataSource, failure) -> borrowFailed(watched));
            }
        }
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
     * The state of every replica. A replica reported out of rotation takes no new reads.
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
        return !watched(replica).excluded;
    }

    private Watched watched(String replica) {
        Watched watched = this.replicas.get(replica);
        if (watched == null) {
            throw new IllegalArgumentException("Unknown replica '" + replica + "', known: " + this.replicas.keySet());
        }
        return watched;
    }

    private void checkAll() {
        try {
            Map<Server, ServerState> states = this.probe.probe(this.replicas.values().stream().map((watched) -> watched.server).toList());
            states.forEach((server, state) -> {
                if (!this.closed) {
                    record(this.replicas.get(server.name()), state);
                }
            });
        }
        catch (RuntimeException ex) {
            if (!this.closed) {
                logger.warn("Checking the replicas of '{}' failed", this.schema, ex);
            }
        }
    }

    private synchronized void record(Watched watched, ServerState state) {
        String failure = judge(state);
        ReplicationLag.Reading replication = state.replication();
        watched.replicationLag = (replication != null) ? replication.lag() : null;
        watched.replicationStopped = replication != null && replication.stopped() != null && this.settings.maxReplicaLag() != null;
        if (failure == null && watched.excluded) {
            String behind = catchingUp(replication);
            if (behind != null) {
                // Answering again is not enough: back in rotation, it would serve reads of what it has not applied yet.
                watched.successes = 0;
                watched.failures = 0;
                watched.reason = behind;
                return;
            }
        }
        if (failure == null) {
            watched.successes++;
            watched.failures = 0;
            if (watched.excluded && watched.successes >= this.settings.successThreshold()) {
                readmit(watched, "after " + watched.successes + " passed checks");
            }
            else if (!watched.excluded) {
                watched.reason = null;
            }
            return;
        }
        watched.failures++;
        watched.successes = 0;
        if (!watched.excluded && watched.failures >= this.settings.failureThreshold()) {
            exclude(watched, failure + " (" + watched.failures + " failed checks)", state.up());
        }
        else {
            watched.reason = failure;
            logger.debug("Check of replica {} failed: {}", watched.name(), failure);
        }
    }

    /** Why a check failed, or {@code null} when it passed. */
    private String judge(ServerState state) {
        if (!state.up()) {
            return state.error();
        }
        Duration maximum = this.settings.maxReplicaLag();
        ReplicationLag.Reading replication = state.replication();
        if (maximum == null || replication == null) {
            return null;
        }
        if (replication.stopped() != null) {
            return "replication is stopped (" + replication.stopped() + ")";
        }
        if (replication.lag() != null && replication.lag().compareTo(maximum) > 0) {
            return "replication lag " + replication.lag().toSeconds() + " s exceeds " + maximum.toMillis() + " ms";
        }
        return null;
    }

    /**
     * Why an excluded replica that answers is not re-admitted yet: it reports more lag than {@code max-replica-lag},
     * or more than {@value #CAUGHT_UP_SECONDS} s without one (after an outage a replica first replays what it missed;
     * whole seconds, and a replica keeping up with a busy primary reports 0 or 1). {@code null} when it has caught up,
     * or when its lag cannot be read.
     */
    private String catchingUp(ReplicationLag.Reading replication) {
        if (replication == null || replication.lag() == null) {
            return null;
        }
        Duration bound = (this.settings.maxReplicaLag() != null) ? this.settings.maxReplicaLag()
                : Duration.ofSeconds(CAUGHT_UP_SECONDS);
        if (replication.lag().compareTo(bound) <= 0) {
            return null;
        }
        return "catching up: replication lag " + replication.lag().toSeconds() + " s, re-admitted at " + bound.toSeconds()
                + " s or less";
    }

    /**
     * Excludes a replica at once after a connection failure of a read on, or a borrow from, one of its data sources.
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
            exclude(watched, "connection failure on " + dataSourceName + ": " + Failures.describe(cause), false);
        }
    }

    private void borrowFailed(Watched watched) {
        if (this.closed || !watched.checkRequested.compareAndSet(false, true)) {
            return;
        }
        try {
            this.scheduler.execute(() -> confirm(watched));
        }
        catch (RejectedExecutionException ex) {
            // closed meanwhile
        }
    }

    /** Checks one replica now; a failure excludes it at once. */
    private void confirm(Watched watched) {
        watched.checkRequested.set(false);
        ServerState state = this.probe.probe(List.of(watched.server)).get(watched.server);
        synchronized (this) {
            if (this.closed) {
                return;
            }
            String failure = judge(state);
            if (failure != null && !watched.excluded) {
                watched.successes = 0;
                watched.failures = Math.max(watched.failures + 1, this.settings.failureThreshold());
                exclude(watched, "a connection to it could not be opened and a check failed: " + failure, state.up());
            }
            else if (failure == null) {
                logger.debug("A borrow from replica {} waited on a connection failure, but its check passed", watched.name());
            }
        }
    }

    /**
     * Takes a replica out of the read rotation or puts it back, as the checks do.
     * @param replica the replica name
     * @param reason why it is excluded, or {@code null} to re-admit it
     */
    synchronized void setExcluded(String replica, String reason) {
        Watched watched = watched(replica);
        if (reason != null && !watched.excluded) {
            exclude(watched, reason, true);
        }
        else if (reason == null && watched.excluded) {
            readmit(watched, "on request");
        }
    }

    private void exclude(Watched watched, String reason, boolean alive) {
        watched.excluded = true;
        watched.exclusions++;
        watched.reason = reason;
        watched.since = Instant.now();
        this.exclusions.exclude(watched.server, reason, !alive, excludedServers());
        List<String> remaining = new ArrayList<>();
        this.replicas.values().forEach((other) -> {
            if (!other.excluded && other.server.node().equals(watched.server.node())) {
                remaining.add(other.name());
            }
        });
        logger.warn("Replica {} of node {} is excluded from reads: {}; its reads go to {}", watched.name(), watched.server.node(),
                reason, remaining.isEmpty() ? "the primary" : "replicas " + remaining);
    }

    private List<Server> excludedServers() {
        return this.replicas.values().stream().filter((watched) -> watched.excluded).map((watched) -> watched.server).toList();
    }

    private void readmit(Watched watched, String why) {
        watched.excluded = false;
        watched.reason = null;
        watched.since = Instant.now();
        this.exclusions.readmit(watched.server, excludedServers());
        logger.info("Replica {} of node {} is back in the read rotation {}", watched.name(), watched.server.node(), why);
    }

    @Override
    public void close() {
        this.closed = true;
        for (Watched watched : this.replicas.values()) {
            for (PhysicalPool pool : watched.pools) {
                ConnectionFailureListeners.unregister(pool.dataSourceName(), this);
                pool.dataSource().setBorrowFailureListener(null);
            }
        }
        this.scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "ReplicaHealthMonitor[schema=" + this.schema + ", replicas=" + this.replicas.keySet() + "]";
    }

    /**
     * A replica and what is known about it. Mutable fields are guarded by the monitor.
     */
    private static final class Watched {

        private final Server server;

        private final List<PhysicalPool> pools;

        private boolean excluded;

        private String reason;

        private Duration replicationLag;

        private boolean replicationStopped;

        private int failures;

        private int successes;

        private Instant since = Instant.now();

        private long exclusions;

        private final AtomicBoolean checkRequested = new AtomicBoolean();

        Watched(Server server, List<PhysicalPool> pools) {
            this.server = server;
            this.pools = pools;
        }

        String name() {
            return this.server.name();
        }

        ReplicaState state() {
            return new ReplicaState(name(), this.server.node(), !this.excluded, this.reason, this.replicationLag,
                    this.replicationStopped, this.failures, this.successes, this.since, this.exclusions);
        }

    }

}
