package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behaviour shared by process and container servers: accounts, JDBC access, replication wiring and the
 * start/stop bookkeeping. Subclasses only provide the mechanics of starting, stopping and suspending the server.
 */
abstract class ManagedServer implements DatabaseServer {

    static final String USER = "ddm";
    static final String PASSWORD = "ddm";
    static final String REPLICATION_USER = "repl";
    static final String REPLICATION_PASSWORD = "repl";

    /** Parameters of the harness' own connections: it must never hang on a frozen server. */
    private static final String ADMIN_PARAMETERS = "?connectTimeout=3000&socketTimeout=30000&allowPublicKeyRetrieval=true";
    private static final String USER_PARAMETERS = "?connectTimeout=10000&socketTimeout=60000";
    private static final Duration REPLICATION_THREADS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_ERROR_GRACE = Duration.ofSeconds(10);

    protected final Logger log = LoggerFactory.getLogger(getClass());

    private final String name;
    private final ServerRole role;
    private final Flavor flavor;
    private final int serverId;
    private final ManagedServer primary;
    private boolean replicationConfigured;
    private volatile boolean replicationPaused;

    ManagedServer(String name, Flavor flavor, int serverId, ManagedServer primary) {
        this.name = Objects.requireNonNull(name, "name");
        this.flavor = Objects.requireNonNull(flavor, "flavor");
        this.serverId = serverId;
        this.primary = primary;
        this.role = primary == null ? ServerRole.PRIMARY : ServerRole.REPLICA;
    }

    // ---- mechanics provided by subclasses -------------------------------------------------------------------------

    /** Starts the server (process or container) and returns once it accepts connections of {@link #USER}. */
    protected abstract void launch();

    /** Clean shutdown; returns once stopped. Only called while running; a frozen server must be resumed first. */
    protected abstract void shutdown();

    /** Abrupt termination; returns once dead. Only called while running. */
    protected abstract void terminate();

    protected abstract void suspend();

    protected abstract void resume();

    /** Whether the process or container is alive, frozen or not. */
    protected abstract boolean alive();

    /** Releases everything for good (topology close / JVM exit): fast, never throws. */
    abstract void destroy();

    /** Host under which replicas reach this primary. */
    abstract String replicationHost();

    /** Port under which replicas reach this primary. */
    abstract int replicationPort();

    // ---- DatabaseServer ---------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public ServerRole role() {
        return role;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:mysql://" + host() + ":" + port() + "/";
    }

    @Override
    public String jdbcUrl(String database) {
        return jdbcUrl() + Objects.requireNonNull(database, "database");
    }

    @Override
    public String username() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + USER_PARAMETERS, USER, PASSWORD);
    }

    @Override
    public Connection connection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + USER_PARAMETERS, USER, PASSWORD);
    }

    @Override
    public synchronized void start() {
        if (alive()) {
            return;
        }
        long started = System.nanoTime();
        launch();
        if (replicationConfigured) {
            execute(replicationPaused ? flavor.startReceiverSql() : flavor.startReplicationSql());
            awaitReplicationThreads();
        }
        log.info("{} started on port {} in {} ms", name, port(), (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public synchronized void stop() {
        if (!alive()) {
            return;
        }
        if (isFrozen()) {
            resume();
        }
        shutdown();
        log.info("{} stopped", name);
    }

    @Override
    public synchronized void kill() {
        if (!alive()) {
            return;
        }
        terminate();
        log.info("{} killed", name);
    }

    @Override
    public synchronized void freeze() {
        if (!alive()) {
            throw new IllegalStateException(name + " is not running, it cannot be frozen");
        }
        if (!isFrozen()) {
            suspend();
            log.info("{} frozen", name);
        }
    }

    @Override
    public synchronized void unfreeze() {
        if (isFrozen()) {
            resume();
            log.info("{} unfrozen", name);
        }
    }

    @Override
    public boolean isRunning() {
        return alive();
    }

    @Override
    public synchronized void pauseReplication() {
        requireRunningReplica("pause replication");
        if (!replicationPaused) {
            execute(flavor.stopApplierSql());
            replicationPaused = true;
            log.info("{}: replication paused", name);
        }
    }

    @Override
    public synchronized void resumeReplication() {
        if (role != ServerRole.REPLICA) {
            throw new IllegalStateException(name + " is a primary; only replicas can resume replication");
        }
        if (!replicationPaused) {
            return;
        }
        if (alive()) {
            requireRunningReplica("resume replication");
            execute(flavor.startApplierSql());
            replicationPaused = false;
            awaitReplicationThreads();
            log.info("{}: replication resumed", name);
        } else {
            replicationPaused = false;
        }
    }

    @Override
    public boolean isReplicationPaused() {
        return replicationPaused;
    }

    @Override
    public String toString() {
        return name + " (" + role + ", " + host() + ":" + port() + ")";
    }

    // ---- used by the topology -----------------------------------------------------------------------------------

    Flavor flavor() {
        return flavor;
    }

    int serverId() {
        return serverId;
    }

    /** The primary of a replica, {@code null} for a primary. */
    ManagedServer primary() {
        return primary;
    }

    /** Whether replication can make progress: running, not frozen and not paused (replicas only). */
    boolean canApply() {
        return alive() && !isFrozen() && !replicationPaused;
    }

    /** First start of a fresh server: launch it and forget the GTID history of its (template) data. */
    synchronized void initialize() {
        long started = System.nanoTime();
        launch();
        try (Connection connection = adminConnection()) {
            flavor.resetGtidHistory(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": cannot reset binary logs and GTIDs: " + e.getMessage(), e);
        }
        log.debug("{} initialized on port {} in {} ms", name, port(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Points a fresh replica to its primary and starts replication. */
    synchronized void connectToPrimary() {
        if (primary == null) {
            throw new IllegalStateException(name + " is a primary");
        }
        execute(flavor.changeSourceSql(primary.replicationHost(), primary.replicationPort(), REPLICATION_USER,
                REPLICATION_PASSWORD));
        execute(flavor.startReplicationSql());
        replicationConfigured = true;
        awaitReplicationThreads();
    }

    /** A connection of the harness, with short timeouts. */
    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + ADMIN_PARAMETERS, USER, PASSWORD);
    }

    Flavor.ReplicationStatus replicationStatus() {
        try (Connection connection = adminConnection()) {
            return flavor.replicationStatus(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": cannot read the replication status: " + e.getMessage(), e);
        }
    }

    /**
     * Polls until the server accepts a login of {@link #USER} (a login proves the init statements ran).
     *
     * @param timeout how long to wait
     * @param deathReason returns why the server cannot come up any more (process exited...), or {@code null}
     */
    void awaitAcceptingConnections(Duration timeout, Supplier<String> deathReason) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            String dead = deathReason.get();
            if (dead != null) {
                throw new IllegalStateException(name + " did not start: " + dead);
            }
            try (Connection connection = DriverManager.getConnection(
                    jdbcUrl() + "?connectTimeout=1000&socketTimeout=5000&allowPublicKeyRetrieval=true", USER, PASSWORD)) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " does not accept connections on " + host() + ":" + port() + " after "
                        + timeout.toSeconds() + " s: " + last.getMessage(), last);
            }
            sleep(50);
        }
    }

    /**
     * Waits until the replication threads of this replica run: the applier unless paused, and the receiver, which may
     * still be connecting while the primary is stopped or frozen.
     */
    void awaitReplicationThreads() {
        long deadline = System.nanoTime() + REPLICATION_THREADS_TIMEOUT.toNanos();
        long connectingWithErrorSince = 0;
        Flavor.ReplicationStatus status;
        while (true) {
            status = replicationStatus();
            boolean primaryReachable = primary.alive() && !primary.isFrozen();
            boolean receiverOk = status.receiverRunning() || (!primaryReachable && status.receiverConnecting());
            boolean applierOk = replicationPaused || status.applierRunning();
            if (receiverOk && applierOk) {
                return;
            }
            boolean receiverFailed = !status.receiverRunning() && !status.receiverConnecting();
            boolean applierFailed = !replicationPaused && !status.applierRunning();
            if ((receiverFailed || applierFailed) && !status.configured()
                    || receiverFailed && hasText(status.receiverError())
                    || applierFailed && hasText(status.applierError())) {
                throw new IllegalStateException(name + ": replication from " + primary.name() + " failed: " + status);
            }
            // Retrying to connect to a primary that is up: fine for a moment, but not for long (bad account, TLS...).
            if (primaryReachable && status.receiverConnecting() && hasText(status.receiverError())) {
                if (connectingWithErrorSince == 0) {
                    connectingWithErrorSince = System.nanoTime();
                } else if (System.nanoTime() - connectingWithErrorSince > CONNECT_ERROR_GRACE.toNanos()) {
                    throw new IllegalStateException(name + ": replica cannot connect to its primary " + primary.name() + ": " + status);
                }
            } else {
                connectingWithErrorSince = 0;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": replication from " + primary.name() + " is not running after "
                        + REPLICATION_THREADS_TIMEOUT.toSeconds() + " s: " + status);
            }
            sleep(20);
        }
    }

    void execute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": '" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    private void requireRunningReplica(String action) {
        if (role != ServerRole.REPLICA) {
            throw new IllegalStateException(name + " is a primary; only replicas can " + action);
        }
        if (!alive()) {
            throw new IllegalStateException(name + " is not running, cannot " + action);
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
