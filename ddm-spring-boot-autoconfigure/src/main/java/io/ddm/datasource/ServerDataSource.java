package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(getConnectionTimeout());
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                return pool.getConnection(Math.max(1, Math.min(left, WAIT_SLICE_MILLIS)));
            }
            catch (SQLTransientConnectionException ex) {
                outage = this.availability.currentOutage();
                if (outage != null) {
                    throw down(outage, ex);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw timedOut(pool, ex);
                }
            }
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
