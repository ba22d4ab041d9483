package io.ddm.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddm.datasource.Failures;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.datasource.ServerConnections;
import io.ddm.datasource.ServerDataSource;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;

/**
 * One check connection per server of a DDM data source, outside the shard pools: every check of the server (primary
 * and replica monitors, health, endpoint) runs on it, so a check never competes with the application for a pooled
 * connection and a pool that is merely busy can never read as a dead server. Each check is one {@code SELECT 1}
 * (and, on a replica, its replication status) with the check's timeout as connect and socket timeout, so a killed
 * or frozen server fails the check within that timeout. A failed check discards the connection; the next one
 * connects anew. A kept connection that fails at once with a connection error (the server restarted since the last
 * check) is replaced within the same check, so a restart that happened between two checks does not read as an
 * outage. One check runs per server at a time: a caller asking while one runs gets that one's outcome.
 */
public final class CheckConnections implements AutoCloseable {

    private final Map<String, CheckConnection> byServer = new LinkedHashMap<>();

    private final ExecutorService executor;

    private volatile boolean closed;

    /**
     * Creates the check connections of every server of a topology; each connects on its first check.
     * @param topology the topology
     * @param pools the shard pools, whose connection settings (URL, credentials, driver properties) checks reuse
     */
    public CheckConnections(Topology topology, PhysicalDataSources pools) {
        for (Node node : topology.nodes()) {
            register(node.primary(), pools);
            node.replicas().forEach((replica) -> register(replica, pools));
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool((task) -> {
            Thread thread = new Thread(task, "ddm-server-check-" + topology.schema() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private void register(Server server, PhysicalDataSources pools) {
        List<PhysicalPool> serverPools = pools.poolsOf(server.name());
        this.byServer.put(server.name(), new CheckConnection(server, serverPools.isEmpty() ? null : serverPools.get(0).dataSource()));
    }

    /**
     * Starts a check of a server, or returns the check of it still running.
     * @param server the server
     * @param timeout connect and socket timeout of the check
     * @return the check's outcome, when it ends
     * @throws IllegalArgumentException for a server of another topology
     * @throws IllegalStateException once closed
     */
    public Future<Outcome> check(Server server, Duration timeout) {
        CheckConnection connection = this.byServer.get(server.name());
        if (connection == null) {
            throw new IllegalArgumentException("Unknown server '" + server.name() + "', known: " + this.byServer.keySet());
        }
        return connection.start(timeout);
    }

    @Override
    public void close() {
        this.closed = true;
        this.executor.shutdownNow();
        this.byServer.values().forEach(CheckConnection::discard);
    }

    /**
     * The outcome of one check.
     * @param passed whether the server answered
     * @param latency round trip of the check, connecting included, when passed
     * @param failure why it failed, when failed
     * @param replication the replication status read on a replica, {@code null} on a primary or when failed
     */
    public record Outcome(boolean passed, Duration latency, String failure, ReplicationLag.Reading replication) {

        static Outcome failed(String failure) {
            return new Outcome(false, null, failure, null);
        }

    }

    /** The check connection of one server. */
    private final class CheckConnection {

        private final Server server;

        private final ServerDataSource settings;

        private final ReplicationLag replication;

        private Future<Outcome> running;

        /** Only touched by the one running check, and by {@link #discard()} on close. */
        private volatile Connection connection;

        CheckConnection(Server server, ServerDataSource settings) {
            this.server = server;
            this.settings = settings;
            this.replication = (server.role() == Server.Role.REPLICA) ? new ReplicationLag(server.name()) : null;
        }

        synchronized Future<Outcome> start(Duration timeout) {
            if (this.running == null || this.running.isDone()) {
                if (CheckConnections.this.closed) {
                    throw new IllegalStateException("The checks of " + this.server.name() + " are closed");
                }
                try {
                    this.running = CheckConnections.this.executor.submit(() -> run(timeout));
                }
                catch (RejectedExecutionException ex) {
                    throw new IllegalStateException("The checks of " + this.server.name() + " are closed", ex);
                }
            }
            return this.running;
        }

        private Outcome run(Duration timeout) {
            long start = System.nanoTime();
            boolean reused = this.connection != null;
            try {
                return query(timeout, start);
            }
            catch (SQLException | RuntimeException ex) {
                discard();
                // A server restarted since the last check: the kept connection fails at once ("connection lost"), and
                // that says nothing about the server now. One new connection decides, if the failure left time for it.
                Duration left = timeout.minusNanos(System.nanoTime() - start);
                if (reused && Failures.isConnectionFailure(ex) && left.compareTo(timeout.dividedBy(2)) > 0) {
                    try {
                        return query(left, start);
                    }
                    catch (SQLException | RuntimeException again) {
                        discard();
                        return Outcome.failed(Failures.describe(again));
                    }
                }
                return Outcome.failed(Failures.describe(ex));
            }
        }

        private Outcome query(Duration timeout, long start) throws SQLException {
            Connection current = this.connection;
            if (current == null) {
                current = open(timeout);
                this.connection = current;
            }
            limit(current, timeout);
            try (Statement statement = current.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
                rows.next();
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            ReplicationLag.Reading reading = (this.replication != null) ? this.replication.read(current) : null;
            return new Outcome(true, latency, null, reading);
        }

        /** With the settings of one of the server's pools (URL, credentials, driver properties) where it has one. */
        private Connection open(Duration timeout) throws SQLException {
            if (this.settings == null) {
                return ServerConnections.open(this.server, timeout);
            }
            Properties props = new Properties();
            props.putAll(this.settings.getDataSourceProperties());
            putIfSet(props, "user", this.settings.getUsername());
            putIfSet(props, "password", this.settings.getPassword());
            return ServerConnections.open(this.settings.getJdbcUrl(), props, timeout);
        }

        private static void putIfSet(Properties props, String name, String value) {
            if (value != null) {
                props.setProperty(name, value);
            }
        }

        private static void limit(Connection connection, Duration timeout) throws SQLException {
            try {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            }
            catch (SQLFeatureNotSupportedException ex) {
                // e.g. H2 in memory: nothing on the network to bound
            }
        }

        void discard() {
            Connection current = this.connection;
            this.connection = null;
            if (current == null) {
                return;
            }
            try {
                // abort, not close: close would wait for a frozen server to answer
                current.abort(Runnable::run);
            }
            catch (SQLException | RuntimeException ex) {
                try {
                    current.close();
                }
                catch (SQLException | RuntimeException closing) {
                    // nothing more to release
                }
            }
        }

    }

}
