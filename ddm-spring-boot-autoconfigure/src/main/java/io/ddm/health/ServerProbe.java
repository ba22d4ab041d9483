package io.ddm.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.ddm.datasource.Failures;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.topology.Server;

/**
 * Checks servers with a real round trip on their {@link CheckConnections check connections}, never on the shard
 * pools, waiting at most the timeout: a hung server (process stopped, TCP still accepted) is reported down instead
 * of blocking the caller. Reports each server's pools alongside, saturation included: a pool whose connections are
 * all in use while borrowers wait is busy, not down, and its server's check still passes.
 *
 * <p>Plain Java, shared by the monitors behind routing, the health indicators and the actuator endpoint.
 */
public class ServerProbe {

    private final CheckConnections checks;

    private final PhysicalDataSources pools;

    private final Duration timeout;

    /**
     * Creates a probe.
     * @param checks the check connections of the servers
     * @param pools the pools whose statistics are reported
     * @param timeout longest wait for one server
     */
    public ServerProbe(CheckConnections checks, PhysicalDataSources pools, Duration timeout) {
        this.checks = checks;
        this.pools = pools;
        this.timeout = timeout;
    }

    /**
     * The longest wait for one server.
     * @return the timeout
     */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * Probes servers in parallel, waiting at most the timeout overall.
     * @param servers the servers
     * @return the state of each server, in the given order
     */
    public Map<Server, ServerState> probe(List<Server> servers) {
        Map<Server, Future<CheckConnections.Outcome>> started = new LinkedHashMap<>();
        Map<Server, ServerState> result = new LinkedHashMap<>();
        for (Server server : servers) {
            try {
                started.put(server, this.checks.check(server, this.timeout));
            }
            catch (IllegalStateException ex) {
                result.put(server, ServerState.down(server, ex.getMessage(), poolStatistics(server)));
            }
        }
        long deadline = System.nanoTime() + this.timeout.toNanos();
        started.forEach((server, check) -> result.put(server, await(server, check, deadline)));
        Map<Server, ServerState> ordered = new LinkedHashMap<>();
        servers.forEach((server) -> ordered.put(server, result.get(server)));
        return ordered;
    }

    private ServerState await(Server server, Future<CheckConnections.Outcome> check, long deadline) {
        try {
            CheckConnections.Outcome outcome = check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return outcome.passed() ? new ServerState(server, true, outcome.latency(), null, outcome.replication(), poolStatistics(server))
                    : ServerState.down(server, outcome.failure(), poolStatistics(server));
        }
        catch (TimeoutException ex) {
            return ServerState.down(server, "no answer within " + this.timeout.toMillis() + " ms", poolStatistics(server));
        }
        catch (ExecutionException ex) {
            return ServerState.down(server, Failures.describe(ex), poolStatistics(server));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ServerState.down(server, "interrupted", poolStatistics(server));
        }
    }

    /**
     * Connections of all the shard pools of a server.
     * @param server the server
     * @return pool statistics
     */
    public PoolStatistics poolStatistics(Server server) {
        int active = 0;
        int idle = 0;
        int total = 0;
        int waiting = 0;
        int maximum = 0;
        long longestWait = 0;
        boolean saturated = false;
        for (PhysicalPool pool : this.pools.poolsOf(server.name())) {
            maximum += pool.dataSource().getMaximumPoolSize();
            HikariPoolMXBean bean = pool.dataSource().isClosed() ? null : pool.dataSource().getHikariPoolMXBean();
            if (bean != null) {
                int poolActive = bean.getActiveConnections();
                int poolWaiting = bean.getThreadsAwaitingConnection();
                active += poolActive;
                idle += bean.getIdleConnections();
                total += bean.getTotalConnections();
                waiting += poolWaiting;
                saturated |= poolWaiting > 0 && poolActive >= pool.dataSource().getMaximumPoolSize();
                longestWait = Math.max(longestWait, pool.dataSource().longestWaitMillis());
            }
        }
        return new PoolStatistics(active, idle, total, waiting, maximum, longestWait, saturated);
    }

    /**
     * Connections of one server summed over its shard pools.
     * @param active connections in use
     * @param idle idle connections
     * @param total open connections
     * @param waiting threads waiting for a connection
     * @param maximum the most the server's pools may open
     * @param longestWaitMillis how long the longest borrow now waiting has waited, 0 when none waits long
     * @param saturated whether one of the pools has all its connections in use while threads wait for one: busy, not
     *     down
     */
    public record PoolStatistics(int active, int idle, int total, int waiting, int maximum, long longestWaitMillis,
            boolean saturated) {
    }

    /**
     * The outcome of one probe.
     * @param server the server
     * @param up whether it answered
     * @param latency round trip of the check, when up
     * @param error why it is down, when down
     * @param replication the replication status of a replica that answered, {@code null} otherwise
     * @param pool its pool statistics
     */
    public record ServerState(Server server, boolean up, Duration latency, String error, ReplicationLag.Reading replication,
            PoolStatistics pool) {

        static ServerState down(Server server, String error, PoolStatistics pool) {
            return new ServerState(server, false, null, error, null, pool);
        }

    }

}
