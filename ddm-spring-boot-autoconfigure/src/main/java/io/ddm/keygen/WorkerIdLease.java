package io.ddm.keygen;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.ddm.datasource.ServerConnections;
import io.ddm.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snowflake worker id (0-1023) that no other running instance of the application holds.
 *
 * <p>Each instance takes a MySQL named lock {@code ddm.<schema>.worker.<id>} ({@code GET_LOCK}) on the default
 * shard's primary, which every instance shares, and holds it on a dedicated connection for its lifetime. The
 * server releases the lock when the instance stops or dies, so ids are reused without any cleanup. Probing
 * starts at a value derived from host and process id so that instances rarely contend for the same id. A
 * keep-alive re-checks the lock every minute and takes it again after a reconnect.
 */
public final class WorkerIdLease implements AutoCloseable {

    /** Snowflake worker ids are 10 bits. */
    public static final int WORKER_IDS = 1024;

    private static final Logger logger = LoggerFactory.getLogger(WorkerIdLease.class);

    private static final long KEEP_ALIVE_SECONDS = 60;

    private final Server server;

    private final String lockName;

    private final int workerId;

    private final ScheduledExecutorService keepAlive;

    private Connection connection;

    private WorkerIdLease(Server server, String lockName, int workerId, Connection connection) {
        this.server = server;
        this.lockName = lockName;
        this.workerId = workerId;
        this.connection = connection;
        this.keepAlive = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "ddm-worker-id-lease");
            thread.setDaemon(true);
            return thread;
        });
        this.keepAlive.scheduleWithFixedDelay(this::checkLock, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Leases the first free worker id, probing from a value derived from host and process.
     * @param server the default shard's primary
     * @param schema logical schema, so two logical databases on one server lease independently
     * @return the lease
     * @throws SQLException when the server cannot be reached or does not support named locks
     * @throws IllegalStateException when all 1024 ids are held
     */
    public static WorkerIdLease acquire(Server server, String schema) throws SQLException {
        Connection connection = ServerConnections.open(server);
        try {
            int start = Math.floorMod(instanceIdentity().hashCode(), WORKER_IDS);
            for (int i = 0; i < WORKER_IDS; i++) {
                int candidate = (start + i) % WORKER_IDS;
                String lockName = "ddm." + schema + ".worker." + candidate;
                if (tryLock(connection, lockName)) {
                    logger.info("Leased snowflake worker id {} on {}", candidate, server);
                    return new WorkerIdLease(server, lockName, candidate, connection);
                }
            }
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        connection.close();
        throw new IllegalStateException("All " + WORKER_IDS + " snowflake worker ids of schema '" + schema
                + "' are held by running instances; set ddm.key-generator.worker-id explicitly");
    }

    /**
     * A worker id derived from host address and process id, for servers without named locks. Two instances
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

    private static boolean tryLock(Connection connection, String lockName) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            statement.setString(1, lockName);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getInt(1) == 1;
            }
        }
    }

    private synchronized void checkLock() {
        try {
            if (this.connection.isValid(5)) {
                return;
            }
            this.connection.close();
            this.connection = ServerConnections.open(this.server);
            if (tryLock(this.connection, this.lockName)) {
                logger.info("Re-took snowflake worker id {} after reconnecting to {}", this.workerId, this.server);
            }
            else {
                logger.error("Snowflake worker id {} was taken by another instance while the connection to {} was lost;"
                        + " restart this instance so it leases a free id", this.workerId, this.server);
            }
        }
        catch (SQLException ex) {
            logger.warn("Cannot renew the lease of snowflake worker id {} on {}: {}", this.workerId, this.server, ex.getMessage());
        }
    }

    /**
     * The leased worker id.
     * @return worker id
     */
    public int workerId() {
        return this.workerId;
    }

    @Override
    public synchronized void close() {
        this.keepAlive.shutdownNow();
        try {
            this.connection.close();
        }
        catch (SQLException ex) {
            logger.debug("Closing the worker id lease connection failed", ex);
        }
    }

}
