package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
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
 * recorded. Otherwise it behaves exactly like HikariCP: a connection that does not come within the
 * {@code connection-timeout} fails with a {@link ShardUnavailableException} carrying HikariCP's exception.
 */
public class ServerDataSource extends HikariDataSource {

    /** How often a request waiting for a connection looks at the server's availability. */
    static final long WAIT_SLICE_MILLIS = 200;

    private final Server server;

    private final int shard;

    private final String database;

    private final ServerAvailability availability;

    ServerDataSource(HikariConfig config, Server server, int shard, String database, ServerAvailability availability) {
        super(config);
        this.server = server;
        this.shard = shard;
        this.database = database;
        this.availability = availability;
    }

    /**
     * The server's availability, shared by all its shard pools.
     * @return the availability
     */
    public ServerAvailability getAvailability() {
        return this.availability;
    }

    @Override
    public Connection getConnection() throws SQLException {
        ServerAvailability.Outage outage = this.availability.currentOutage();
        if (outage != null) {
            throw down(outage, null);
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
            return awaitConnection(pool, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout - WAIT_SLICE_MILLIS), ex);
        }
    }

    private Connection awaitConnection(HikariPool pool, long deadline, SQLTransientConnectionException timeout)
            throws SQLException {
        SQLTransientConnectionException last = timeout;
        while (true) {
            ServerAvailability.Outage outage = this.availability.currentOutage();
            if (outage != null) {
                throw down(outage, last);
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

    /**
     * Borrows a connection that answers a ping, for the checks of this server: bounded by the given timeout rather
     * than the pool's {@code connection-timeout}, and regardless of a recorded outage (the checks are what ends
     * it). A connection that died with its server goes back to the pool unless evicted, and HikariCP does not
     * re-validate connections used in the last 500 ms: such connections are evicted and the next one is tried.
     * The connection's network timeout is the time left, so a hung server cannot hold the caller longer either.
     * @param timeout longest wait, including the ping
     * @return a live connection, to close after use
     * @throws SQLException when no live connection comes in time, with HikariCP's last connection failure as cause
     */
    public Connection liveConnection(Duration timeout) throws SQLException {
        HikariPool pool = (HikariPool) getHikariPoolMXBean();
        long deadline = System.nanoTime() + timeout.toNanos();
        String failure = "no answer within " + timeout.toMillis() + " ms";
        while (System.nanoTime() < deadline) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Connection connection = pool.getConnection(left);
            if (connection == null) {
                // Seen while the server is down: the pool hands out nothing instead of failing.
                break;
            }
            try {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, left));
                if (connection.isValid((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(left)))) {
                    return connection;
                }
                failure = "connection is not valid";
                pool.evictConnection(connection);
                connection.close();
            }
            catch (SQLException | RuntimeException ex) {
                connection.close();
                throw ex;
            }
        }
        throw new SQLTransientConnectionException(failure, "08001");
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

}
