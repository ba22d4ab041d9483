package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.ddm.topology.Server;

/**
 * The HikariCP pool of one shard database on one server, failing fast while its server is known to be down.
 *
 * <p>A plain {@link HikariDataSource} waits its whole {@code connection-timeout} (30 s by default) for a
 * connection to a dead server, and every statement for that server's shards would hang that long. This pool
 * fails at once with a {@link ShardUnavailableException} while its {@link ServerAvailability} records an
 * outage, and a request already waiting gives up within {@value #WAIT_SLICE_MILLIS} ms of the outage being
 * recorded. A replica's pool does not fail then: the read it was asked for goes to its {@link #setReadFallback
 * read fallback} (another replica of the shard in rotation, or the shard's primary). Otherwise it behaves exactly
 * like HikariCP: a connection that does not come within the {@code connection-timeout} fails with a
 * {@link ShardUnavailableException} carrying HikariCP's exception.
 *
 * <p>A wait that HikariCP cut short because it could not open a connection to the server (as opposed to all
 * connections being in use) is reported to the {@link #setBorrowFailureListener listener}, so the server's checks
 * react at once. Waits longer than one slice are tracked: {@link #longestWaitMillis()} reports saturation, which is
 * never an outage.
 */
public class ServerDataSource extends HikariDataSource {

    /** How often a request waiting for a connection looks at the server's availability. */
    static final long WAIT_SLICE_MILLIS = 200;

    private final Server server;

    private final int shard;

    private final String database;

    private final ServerAvailability availability;

    /** Whether Connector/J keeps this pool's connections' database locally ({@code useLocalSessionState}). */
    private final boolean databaseKeptLocally;

    /** Start (nanoTime) of every borrow waiting longer than one slice, by waiting thread. */
    private final Map<Thread, Long> waiting = new ConcurrentHashMap<>();

    private volatile ConnectionSource readFallback;

    private volatile BorrowFailureListener borrowFailureListener;

    private volatile ShardSwitch shardSwitch;

    ServerDataSource(HikariConfig config, Server server, int shard, String database, ServerAvailability availability) {
        super(config);
        this.server = server;
        this.shard = shard;
        this.database = database;
        this.availability = availability;
        this.databaseKeptLocally = PhysicalDataSources.keepsLocalSessionState(config);
    }

    /**
     * The server's availability, shared by all its shard pools.
     * @return the availability
     */
    public ServerAvailability getAvailability() {
        return this.availability;
    }

    /**
     * Sets where reads go while this replica's server is out of the read rotation; {@code null} to fail instead.
     * @param readFallback a source of connections to the same shard database on another server
     */
    public void setReadFallback(ConnectionSource readFallback) {
        this.readFallback = readFallback;
    }

    /**
     * Sets who is told when a borrow waits because the server cannot be connected to.
     * @param listener the listener, or {@code null}
     */
    public void setBorrowFailureListener(BorrowFailureListener listener) {
        this.borrowFailureListener = listener;
    }

    /**
     * Hands this pool's borrows to a shard move's switch (pausing or redirecting them), or back to the pool.
     * @param shardSwitch the switch, or {@code null}
     */
    public void setShardSwitch(ShardSwitch shardSwitch) {
        this.shardSwitch = shardSwitch;
    }

    /**
     * The shard move's switch this pool's borrows go through.
     * @return the switch, or {@code null}
     */
    public ShardSwitch getShardSwitch() {
        return this.shardSwitch;
    }

    /**
     * The shard index of this pool's database.
     * @return shard index
     */
    public int getShard() {
        return this.shard;
    }

    /**
     * The shard database this pool connects to.
     * @return database name
     */
    public String getDatabase() {
        return this.database;
    }

    /**
     * How many of this pool's connections are lent out now.
     * @return active connections, 0 before the pool started
     */
    public int activeConnections() {
        HikariPool pool = (HikariPool) getHikariPoolMXBean();
        return (pool != null) ? pool.getActiveConnections() : 0;
    }

    /**
     * The server this pool connects to.
     * @return the server
     */
    public Server getServer() {
        return this.server;
    }

    /**
     * How long the longest borrow now waiting has waited, counted from its start.
     * @return milliseconds, 0 when no borrow has waited longer than {@value #WAIT_SLICE_MILLIS} ms
     */
    public long longestWaitMillis() {
        long oldest = Long.MAX_VALUE;
        for (long start : this.waiting.values()) {
            oldest = Math.min(oldest, start);
        }
        return (oldest == Long.MAX_VALUE) ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection handedOver = ConnectionHandOver.take(this);
        if (handedOver != null) {
            return handedOver;
        }
        ShardSwitch moving = this.shardSwitch;
        return (moving != null) ? moving.getConnection(this) : borrow();
    }

    /**
     * A connection as ShardingSphere's storage unit of this pool hands it out: on this pool's database. The storage unit
     * calls {@code setCatalog} with the database on every connection it takes. Where the connection is this pool's own
     * and Connector/J keeps the session state locally ({@code useLocalSessionState}, DDM's default), that call finds
     * the database it set unchanged - nothing but {@code setCatalog} changes it, and ShardingSphere's logical
     * {@code setCatalog} does nothing - and returns at once; it is skipped here. Otherwise (another setting, a
     * connection from a read fallback, a shard move's switch or a hand-over) it is made as ShardingSphere makes it.
     * @return a connection the caller closes
     * @throws SQLException as {@link #getConnection()} throws it, or when the database cannot be set
     */
    public Connection getConnectionOnDatabase() throws SQLException {
        Connection handedOver = ConnectionHandOver.take(this);
        if (handedOver != null) {
            return onDatabase(handedOver);
        }
        ShardSwitch moving = this.shardSwitch;
        if (moving != null) {
            return onDatabase(moving.getConnection(this));
        }
        return this.databaseKeptLocally ? borrow(true) : onDatabase(borrow());
    }

    /** A connection from this pool itself, failing fast while its server is down. */
    Connection borrow() throws SQLException {
        return borrow(false);
    }

    /**
     * A connection from this pool itself, failing fast while its server is down.
     * @param onDatabase whether a connection from the read fallback gets this pool's database set (one of its own is on it)
     */
    private Connection borrow(boolean onDatabase) throws SQLException {
        ServerAvailability.Outage outage = this.availability.currentOutage();
        if (outage != null) {
            return unavailable(outage, null, onDatabase);
        }
        HikariPool pool = (HikariPool) getHikariPoolMXBean();
        if (pool == null || isClosed()) {
            return super.getConnection();
        }
        long timeout = getConnectionTimeout();
        try {
            // The usual case costs HikariCP's borrow and nothing more: the clock is read only once it had to wait.
            return pool.getConnection(Math.min(timeout, WAIT_SLICE_MILLIS));
        }
        catch (SQLTransientConnectionException ex) {
            // The first slice has just passed: the wait started that long ago.
            long start = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(Math.min(timeout, WAIT_SLICE_MILLIS));
            Thread current = Thread.currentThread();
            this.waiting.put(current, start);
            try {
                return awaitConnection(pool, start + TimeUnit.MILLISECONDS.toNanos(timeout), ex, onDatabase);
            }
            finally {
                this.waiting.remove(current);
            }
        }
    }

    private Connection awaitConnection(HikariPool pool, long deadline, SQLTransientConnectionException timeout, boolean onDatabase)
            throws SQLException {
        SQLTransientConnectionException last = timeout;
        boolean reported = false;
        while (true) {
            if (!reported && last.getCause() != null) {
                // HikariCP could not open a connection to the server: not a busy pool, a server problem.
                reported = true;
                BorrowFailureListener listener = this.borrowFailureListener;
                if (listener != null) {
                    listener.borrowFailed(this, last);
                }
            }
            ServerAvailability.Outage outage = this.availability.currentOutage();
            if (outage != null) {
                return unavailable(outage, last, onDatabase);
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw timedOut(pool, last);
            }
            try {
                return pool.getConnection(Math.min(left, WAIT_SLICE_MILLIS));
            }
            catch (SQLTransientConnectionException ex) {
                last = ex;
            }
        }
    }

    private Connection unavailable(ServerAvailability.Outage outage, Throwable cause, boolean onDatabase) throws SQLException {
        ConnectionSource fallback = this.readFallback;
        if (fallback != null) {
            Connection result = fallback.getConnection();
            return onDatabase ? onDatabase(result) : result;
        }
        throw down(outage, cause);
    }

    /** A connection with this pool's database set, as ShardingSphere's storage unit sets it; closed when that fails. */
    private Connection onDatabase(Connection connection) throws SQLException {
        try {
            connection.setCatalog(this.database);
            return connection;
        }
        catch (SQLException | RuntimeException ex) {
            try {
                connection.close();
            }
            catch (SQLException closing) {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
    }

    /**
     * Closes this pool's idle connections and, once returned, those in use: after its server failed they are
     * most likely dead, and each would fail one more statement.
     */
    public void evictConnections() {
        HikariPool pool = (HikariPool) getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    private ShardUnavailableException timedOut(HikariPool pool, SQLTransientConnectionException ex) {
        Throwable root = Failures.rootCause(ex);
        String state = "pool " + getPoolName() + ": " + pool.getActiveConnections() + " of " + getMaximumPoolSize()
                + " connections in use, " + pool.getThreadsAwaitingConnection() + " waiting";
        String problem = "gave no connection within " + getConnectionTimeout() + " ms (" + state
                + ((root != ex) ? "; last connection failure: " + Failures.describe(root) : "") + ")";
        return new ShardUnavailableException(this.server, this.shard, this.database, problem, ex);
    }

    private ShardUnavailableException down(ServerAvailability.Outage outage, Throwable cause) {
        return new ShardUnavailableException(this.server, this.shard, this.database,
                "is down since " + outage.since() + " (" + outage.reason() + "); DDM checks it again and resumes by itself", cause);
    }

    /**
     * Connections to a shard database from somewhere else than this pool.
     */
    @FunctionalInterface
    public interface ConnectionSource {

        /**
         * Borrows a connection.
         * @return a connection the caller closes
         * @throws SQLException when none can be had
         */
        Connection getConnection() throws SQLException;

    }

    /**
     * Told when a borrow waits because HikariCP cannot open connections to the server.
     */
    @FunctionalInterface
    public interface BorrowFailureListener {

        /**
         * A borrow from a pool is waiting because connecting to its server failed.
         * @param pool the pool
         * @param failure HikariCP's timeout, with the connection failure as its cause
         */
        void borrowFailed(ServerDataSource pool, SQLException failure);

    }

}
