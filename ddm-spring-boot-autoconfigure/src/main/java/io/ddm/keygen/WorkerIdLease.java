package io.ddm.keygen;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.ddm.datasource.Failures;
import io.ddm.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snowflake worker id (0-1023) that no other running instance of the application uses while this one issues
 * keys with it.
 *
 * <p>The id is a MySQL named lock ({@link WorkerLockNames}, {@code GET_LOCK}) on the default shard's
 * primary, which every instance shares, held by a dedicated connection; the server releases it when that
 * connection ends, so a stopped or crashed instance's id becomes free without any cleanup. Probing starts at a
 * value derived from host and process id so that instances rarely contend for the same id.
 *
 * <p>The lease is only as good as its last confirmation. Every check interval a keep-alive asks the server
 * whether this very connection still holds the lock ({@code IS_USED_LOCK(name) = CONNECTION_ID()}), each round
 * trip bounded by a timeout. Keys may be issued only while the last confirmation is younger than the validity
 * window ({@value #CHECKS_PER_WINDOW} check intervals); a failed check, or a lock that is no longer ours, ends the
 * lease at once, and the keep-alive then leases again (reconnecting, the same id first, else any free one).
 *
 * <p>Why a new lease waits: when the server restarts (or our connection dies) the lock is released while we
 * still believe we hold it, and another instance may take the id at once. We stop issuing keys at most one
 * validity window after our last confirmation, which was sent before the lock was released, which was before
 * the other instance acquired it. So a newly acquired lease, at startup or after a re-acquire, issues no key
 * until one validity window has passed since its acquisition: by then any previous holder has stopped. Key
 * generation waits for the remainder rather than failing. (This assumes the instances' clocks run at the same
 * rate and their wall clocks roughly agree, as snowflake ids always do.)
 */
public final class WorkerIdLease implements WorkerIdSource, AutoCloseable {

    /** Snowflake worker ids are 10 bits. */
    public static final int WORKER_IDS = 1024;

    /** The validity window, in check intervals: a lease not confirmed for this long may no longer be used. */
    public static final int CHECKS_PER_WINDOW = 3;

    private static final Logger logger = LoggerFactory.getLogger(WorkerIdLease.class);

    private final String schema;

    /** The server holding the lock, for messages; changes when the default shard moves. */
    private volatile String where;

    /** Opens lock sessions on that server; used under this object's monitor. */
    private NamedLocks.Opener opener;

    private Server server;

    private final Duration checkInterval;

    private final long validityNanos;

    private final ScheduledExecutorService keepAlive;

    /** The lock session; used by the keep-alive and {@link #close()} only, under this object's monitor. */
    private NamedLocks locks;

    private volatile State state;

    private volatile boolean closed;

    private WorkerIdLease(String schema, String where, NamedLocks.Opener opener, Duration checkInterval, NamedLocks locks,
            State state) {
        this.schema = schema;
        this.where = where;
        this.opener = opener;
        this.checkInterval = checkInterval;
        this.validityNanos = checkInterval.toNanos() * CHECKS_PER_WINDOW;
        this.locks = locks;
        this.state = state;
        this.keepAlive = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "ddm-worker-id-lease-" + schema);
            thread.setDaemon(true);
            return thread;
        });
        long millis = checkInterval.toMillis();
        this.keepAlive.scheduleWithFixedDelay(this::keepAlive, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Leases the first free worker id, probing from a value derived from host and process.
     * @param server the default shard's primary
     * @param schema logical schema, so two logical databases on one server lease independently
     * @param checkInterval time between two confirmations of the lease
     * @return the lease, not usable before one validity window has passed
     * @throws SQLException when the server cannot be reached or does not support named locks
     * @throws IllegalStateException when all 1024 ids are held
     */
    public static WorkerIdLease acquire(Server server, String schema, Duration checkInterval) throws SQLException {
        Duration timeout = checkInterval.multipliedBy(CHECKS_PER_WINDOW);
        WorkerIdLease lease = acquire(schema, Failures.describe(server), NamedLocks.onServer(server, timeout), checkInterval, derived());
        lease.server = server;
        return lease;
    }

    static WorkerIdLease acquire(String schema, String where, NamedLocks.Opener opener, Duration checkInterval, int firstCandidate)
            throws SQLException {
        if (checkInterval.isNegative() || checkInterval.toMillis() < 1) {
            throw new IllegalArgumentException("The lease check interval must be at least 1 ms, not " + checkInterval);
        }
        NamedLocks locks = opener.open();
        try {
            State acquired = tryAcquire(locks, schema, firstCandidate);
            if (acquired == null) {
                throw new IllegalStateException("All " + WORKER_IDS + " snowflake worker ids of logical database '" + schema
                        + "' are held by running instances (locks on " + where + ")");
            }
            logger.info("Leased snowflake worker id {} (lock '{}') on {}", acquired.workerId, acquired.lockName, where);
            return new WorkerIdLease(schema, where, opener, checkInterval, locks, acquired);
        }
        catch (SQLException | RuntimeException ex) {
            locks.close();
            throw ex;
        }
    }

    /**
     * A worker id derived from host address and process id, for servers without named locks (H2). Two instances
     * can collide with probability 1/1024; configure {@code ddm.key-generator.worker-id} to be sure.
     * @return a worker id
     */
    public static int derived() {
        return Math.floorMod(instanceIdentity().hashCode(), WORKER_IDS);
    }

    private static String instanceIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostAddress();
        }
        catch (UnknownHostException ex) {
            host = "unknown";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getName();
    }

    /** Takes the first free id from {@code first} on; {@code null} when all are held. */
    private static State tryAcquire(NamedLocks locks, String schema, int first) throws SQLException {
        for (int i = 0; i < WORKER_IDS; i++) {
            int candidate = (first + i) % WORKER_IDS;
            String name = WorkerLockNames.of(schema, candidate);
            // Confirmed as of the request (the server saw it free after that); acquired as of the answer (the
            // previous holder's lock was released before that).
            long sent = System.nanoTime();
            if (locks.tryLock(name)) {
                return State.held(candidate, name, System.nanoTime(), sent);
            }
        }
        return null;
    }

    /**
     * The time between two confirmations of the lease.
     * @return the check interval
     */
    public Duration checkInterval() {
        return this.checkInterval;
    }

    /**
     * How long a confirmation of the lease lets keys be issued, and how long a new lease waits before its first key.
     * @return {@value #CHECKS_PER_WINDOW} check intervals
     */
    public Duration validityWindow() {
        return Duration.ofNanos(this.validityNanos);
    }

    @Override
    public Grant awaitGrant() {
        while (true) {
            State current = this.state;
            long now = System.nanoTime();
            requireUsable(current, now);
            long warmUp = current.acquiredAt + this.validityNanos - now;
            if (warmUp <= 0) {
                return grant(current);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(warmUp);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting for the new lease of worker id " + current.workerId + " to become usable");
            }
        }
    }

    @Override
    public Grant currentGrant() {
        State current = this.state;
        requireUsable(current, System.nanoTime());
        return grant(current);
    }

    @Override
    public int currentWorkerId() {
        return this.state.workerId;
    }

    @Override
    public WorkerIdUnavailableException unavailable() {
        State current = this.state;
        long now = System.nanoTime();
        if (current.workerId >= 0 && !expired(current, now)) {
            // Valid again already; the grant used was older than the latest confirmation.
            return unavailable("the lease of worker id " + current.workerId + " (lock '" + current.lockName
                    + "') expired while keys were being generated");
        }
        return unavailable(reason(current, now));
    }

    private Grant grant(State current) {
        return new Grant(current.workerId, current.verifiedAt + this.validityNanos);
    }

    private void requireUsable(State current, long now) {
        if (this.closed || current.workerId < 0 || expired(current, now)) {
            throw unavailable(reason(current, now));
        }
    }

    private boolean expired(State current, long now) {
        return now - (current.verifiedAt + this.validityNanos) >= 0;
    }

    private String reason(State current, long now) {
        if (this.closed) {
            return "the data source is closed";
        }
        if (current.workerId < 0) {
            String result = "the lease of worker id " + current.lastWorkerId + " (lock '"
                    + WorkerLockNames.of(this.schema, current.lastWorkerId) + "') was lost: " + current.problem;
            return (current.retryProblem != null) ? result + "; leasing again failed: " + current.retryProblem : result;
        }
        long age = TimeUnit.NANOSECONDS.toMillis(now - current.verifiedAt);
        return "the lease of worker id " + current.workerId + " (lock '" + current.lockName + "') was last confirmed " + age
                + " ms ago, longer than its validity window of " + TimeUnit.NANOSECONDS.toMillis(this.validityNanos) + " ms";
    }

    private WorkerIdUnavailableException unavailable(String reason) {
        return new WorkerIdUnavailableException("No snowflake key can be generated for logical database '" + this.schema + "': "
                + reason + ". DDM issues snowflake keys only while the lease of its worker id on " + this.where
                + " is confirmed, so that no two instances issue the same keys, and tries to lease one again every "
                + this.checkInterval.toMillis() + " ms. If that server stays unreachable, fix it, or set ddm.key-generator.worker-id"
                + " to an id (0-1023) reserved for this instance.");
    }

    private synchronized void keepAlive() {
        if (this.closed) {
            return;
        }
        try {
            State current = this.state;
            if (current.workerId >= 0) {
                confirm(current);
            }
            else {
                leaseAgain(current);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("The keep-alive of the snowflake worker id lease on {} failed", this.where, ex);
        }
    }

    private void confirm(State current) {
        long sent = System.nanoTime();
        try {
            if (this.locks != null && this.locks.holds(current.lockName)) {
                this.state = current.confirmed(sent);
                return;
            }
            lose(current, "the server no longer records the lock as held by this instance's connection");
        }
        catch (SQLException ex) {
            lose(current, "checking it failed (" + Failures.describe(ex) + ")");
        }
    }

    private void lose(State current, String problem) {
        closeLocks();
        this.state = State.lost(current.workerId, problem, null);
        logger.warn("Lost the lease of snowflake worker id {} (lock '{}') on {}: {}. Generating snowflake keys fails until a worker"
                + " id is leased again.", current.workerId, current.lockName, this.where, problem);
    }

    private void leaseAgain(State current) {
        String problem;
        try {
            if (this.locks == null) {
                this.locks = this.opener.open();
            }
            State acquired = tryAcquire(this.locks, this.schema, current.lastWorkerId);
            if (acquired != null) {
                this.state = acquired;
                if (acquired.workerId == current.lastWorkerId) {
                    logger.info("Leased snowflake worker id {} (lock '{}') on {} again; keys are issued again in {} ms",
                            acquired.workerId, acquired.lockName, this.where, TimeUnit.NANOSECONDS.toMillis(this.validityNanos));
                }
                else {
                    logger.warn("Leased snowflake worker id {} (lock '{}') on {} instead of the lost id {}, which another instance"
                            + " holds now; keys are issued again in {} ms", acquired.workerId, acquired.lockName, this.where,
                            current.lastWorkerId, TimeUnit.NANOSECONDS.toMillis(this.validityNanos));
                }
                return;
            }
            problem = "all " + WORKER_IDS + " worker ids are held by running instances";
        }
        catch (SQLException ex) {
            closeLocks();
            problem = Failures.describe(ex);
        }
        if (current.retryProblem == null || !current.retryProblem.equals(problem)) {
            logger.warn("Cannot lease a snowflake worker id on {} yet: {}", this.where, problem);
        }
        this.state = State.lost(current.lastWorkerId, current.problem, problem);
    }

    /**
     * Moves the lock to another server, when a shard move switched the default shard there: the same id is taken on the
     * new server before the lock on the old one is released, so the id stays this instance's throughout. Where another
     * instance holds the id on the new server already (it started there after the move), the lease is lost at once, as
     * when the server no longer records the lock, and the keep-alive leases a free id on the new server.
     * @param newServer the default shard's primary now
     */
    public synchronized void moveTo(Server newServer) {
        if (this.closed || newServer.equals(this.server)) {
            return;
        }
        String newWhere = Failures.describe(newServer);
        NamedLocks.Opener newOpener = NamedLocks.onServer(newServer, this.checkInterval.multipliedBy(CHECKS_PER_WINDOW));
        State current = this.state;
        String oldWhere = this.where;
        NamedLocks newLocks = null;
        String problem = null;
        try {
            newLocks = newOpener.open();
            long sent = System.nanoTime();
            if (current.workerId >= 0 && !newLocks.tryLock(current.lockName)) {
                problem = "another instance holds it on " + newWhere + ", where the default shard moved";
            }
            else if (current.workerId >= 0) {
                this.state = current.confirmed(sent);
            }
        }
        catch (SQLException ex) {
            problem = "taking it on " + newWhere + ", where the default shard moved, failed (" + Failures.describe(ex) + ")";
        }
        if (problem != null && current.workerId >= 0) {
            lose(current, problem);
        }
        else {
            closeLocks();
        }
        this.locks = (problem == null) ? newLocks : null;
        if (problem != null && newLocks != null) {
            newLocks.close();
        }
        this.opener = newOpener;
        this.server = newServer;
        this.where = newWhere;
        if (problem == null && current.workerId >= 0) {
            logger.info("Moved the lease of snowflake worker id {} (lock '{}') from {} to {}, where the default shard moved",
                    current.workerId, current.lockName, oldWhere, newWhere);
        }
    }

    private void closeLocks() {
        if (this.locks != null) {
            this.locks.close();
            this.locks = null;
        }
    }

    /**
     * Releases the lease (its lock's connection is closed) and stops the keep-alive; keys fail from now on.
     */
    @Override
    public void close() {
        this.closed = true;
        this.keepAlive.shutdownNow();
        synchronized (this) {
            closeLocks();
        }
    }

    @Override
    public String toString() {
        return "snowflake worker id lease of '" + this.schema + "' on " + this.where + " (worker id " + this.state.workerId + ")";
    }

    /**
     * One immutable state of the lease, replaced whole.
     *
     * @param workerId the id held, or -1 after it was lost
     * @param lockName its lock, or {@code null}
     * @param acquiredAt {@link System#nanoTime()} when the lock was taken
     * @param verifiedAt {@link System#nanoTime()} of the request that last confirmed it
     * @param lastWorkerId the id held last, tried first when leasing again
     * @param problem why the lease was lost
     * @param retryProblem why the latest attempt to lease again failed, or {@code null}
     */
    private record State(int workerId, String lockName, long acquiredAt, long verifiedAt, int lastWorkerId, String problem,
            String retryProblem) {

        static State held(int workerId, String lockName, long acquiredAt, long verifiedAt) {
            return new State(workerId, lockName, acquiredAt, verifiedAt, workerId, null, null);
        }

        static State lost(int lastWorkerId, String problem, String retryProblem) {
            return new State(-1, null, 0, 0, lastWorkerId, problem, retryProblem);
        }

        State confirmed(long at) {
            return new State(this.workerId, this.lockName, this.acquiredAt, at, this.workerId, null, null);
        }

    }

}
