package io.ddm.routing.health;

import java.time.Duration;
import java.time.Instant;
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
import io.ddm.datasource.ServerAvailability;
import io.ddm.health.CheckConnections;
import io.ddm.health.ServerProbe;
import io.ddm.health.ServerProbe.ServerState;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps track of which nodes' primaries are down, so that statements for their shards fail at once instead of
 * each waiting for a connection that cannot come ({@link io.ddm.datasource.ServerDataSource}). Every interval it
 * checks each primary with a real round trip on the primary's check connection ({@link io.ddm.health.CheckConnections},
 * never a pooled one, so a saturated pool is not an outage), bounded by the timeout, so a hung server (SIGSTOP, TCP
 * still accepted) is a failed check too. A statement failing with a connection error on a primary
 * ({@link ConnectionFailureHook}), or a borrow waiting because the pool cannot connect, triggers a check at once
 * rather than marking the node down by itself: a single broken connection (killed by the server, cut by a firewall)
 * must not fail every statement of a healthy node, and HikariCP already evicts that one connection.
 *
 * <p>One failed check records an outage: the server's pools drop their idle connections once, as they died with it,
 * and its shards fail fast with a {@link io.ddm.datasource.ShardUnavailableException} naming node and shard. One
 * passed check ends it. Each change is logged once.
 */
public final class PrimaryHealthMonitor implements AutoCloseable, ConnectionFailureListeners.Listener {

    private static final Logger logger = LoggerFactory.getLogger(PrimaryHealthMonitor.class);

    private final String schema;

    private final Duration interval;

    private final PhysicalDataSources pools;

    private final ServerProbe probe;

    private final List<Server> primaries;

    private final Map<String, Server> byDataSource = new LinkedHashMap<>();

    /** The shard pools of each primary, by primary name. */
    private final Map<String, List<PhysicalPool>> poolsByPrimary = new LinkedHashMap<>();

    private final ScheduledExecutorService scheduler;

    private final AtomicBoolean checkRequested = new AtomicBoolean();

    private volatile boolean closed;

    /**
     * Creates a monitor; {@link #start()} starts checking.
     * @param topology the topology whose primaries are checked
     * @param pools the physical pools, failing fast while their primary is recorded down
     * @param checks the servers' check connections
     * @param interval time between two checks
     * @param timeout longest wait for one primary
     */
    public PrimaryHealthMonitor(Topology topology, PhysicalDataSources pools, CheckConnections checks, Duration interval,
            Duration timeout) {
        this.schema = topology.schema();
        this.interval = interval;
        this.pools = pools;
        this.probe = new ServerProbe(checks, pools, timeout);
        this.primaries = topology.nodes().stream().map(Node::primary).toList();
        for (Server primary : this.primaries) {
            List<PhysicalPool> primaryPools = pools.poolsOf(primary.name());
            this.poolsByPrimary.put(primary.name(), primaryPools);
            primaryPools.forEach((pool) -> this.byDataSource.put(pool.dataSourceName(), primary));
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "ddm-primary-monitor-" + this.schema);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts checking every interval, the first check after one interval (startup has just connected to every
     * primary, and checked those of nodes that hold no shard).
     * @return this monitor
     */
    public PrimaryHealthMonitor start() {
        this.byDataSource.keySet().forEach((name) -> ConnectionFailureListeners.register(name, this));
        this.poolsByPrimary.values().forEach((primaryPools) -> primaryPools.forEach((pool) -> pool.dataSource()
            .setBorrowFailureListener((dataSource, failure) -> connectionFailed(pool.dataSourceName(), failure))));
        long millis = Math.max(1, this.interval.toMillis());
        this.scheduler.scheduleWithFixedDelay(this::checkAll, millis, millis, TimeUnit.MILLISECONDS);
        logger.debug("Checking primaries {} of '{}' every {}", this.poolsByPrimary.keySet(), this.schema, this.interval);
        return this;
    }

    /**
     * Whether a node's primary is taken to be up.
     * @param node the node name
     * @return {@code false} while an outage is recorded
     */
    public boolean isAvailable(String node) {
        return this.pools.availability(node).isAvailable();
    }

    /**
     * How often a node's primary has been recorded down.
     * @param node the node name
     * @return outages since the data source started
     */
    public long outages(String node) {
        return this.pools.availability(node).outages();
    }

    /**
     * A statement on a primary failed with a connection error: check that primary's node now.
     * @param dataSourceName the primary's data source
     * @param cause the failure
     */
    @Override
    public void connectionFailed(String dataSourceName, Exception cause) {
        Server primary = this.byDataSource.get(dataSourceName);
        if (primary == null || this.closed) {
            return;
        }
        logger.debug("Connection failure on {}: {}; checking {} now", dataSourceName, Failures.describe(cause), primary);
        if (this.checkRequested.compareAndSet(false, true)) {
            try {
                this.scheduler.execute(this::checkAll);
            }
            catch (RejectedExecutionException ex) {
                // closed meanwhile
            }
        }
    }

    private void checkAll() {
        this.checkRequested.set(false);
        try {
            this.probe.probe(this.primaries).forEach((server, state) -> {
                if (!this.closed) {
                    record(server, state);
                }
            });
        }
        catch (RuntimeException ex) {
            if (!this.closed) {
                logger.warn("Checking the primaries of '{}' failed", this.schema, ex);
            }
        }
    }

    private synchronized void record(Server primary, ServerState state) {
        ServerAvailability availability = this.pools.availability(primary.name());
        if (!state.up()) {
            if (availability.markDown(state.error())) {
                List<PhysicalPool> primaryPools = this.poolsByPrimary.get(primary.name());
                // Connections that died with the server would each fail one more statement after it returns.
                primaryPools.forEach((pool) -> pool.dataSource().evictConnections());
                if (primaryPools.isEmpty()) {
                    logger.warn("Primary {} of node {} is down ({}); the node holds no shard, so no statement is affected",
                            primary.name(), primary.node(), state.error());
                    return;
                }
                logger.warn("Primary {} of node {} is down ({}): statements for its shards {} fail at once until it answers"
                        + " again", primary.name(), primary.node(), state.error(),
                        primaryPools.stream().map(PhysicalPool::database).toList());
            }
            return;
        }
        availability.markUp().ifPresent((outage) -> logger.info("Primary {} of node {} answers again after {} ms down;"
                + " {}", primary.name(), primary.node(), Duration.between(outage.since(), Instant.now()).toMillis(),
                this.poolsByPrimary.get(primary.name()).isEmpty() ? "the node holds no shard" : "its shards are available"));
    }

    @Override
    public void close() {
        this.closed = true;
        this.byDataSource.keySet().forEach((name) -> ConnectionFailureListeners.unregister(name, this));
        this.poolsByPrimary.values().forEach((primaryPools) -> primaryPools.forEach((pool) -> pool.dataSource()
            .setBorrowFailureListener(null)));
        this.scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "PrimaryHealthMonitor[schema=" + this.schema + ", primaries=" + this.poolsByPrimary.keySet() + "]";
    }

}
