package io.ddm.health;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.ddm.datasource.Failures;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.topology.Server;

/**
 * Checks servers with a real round trip on their own physical pools: borrows a connection from one of the
 * server's shard pools and pings it ({@link Connection#isValid(int)}). Each check waits at most the timeout, so
 * a hung server (process stopped, TCP still accepted) is reported DOWN instead of blocking the caller; a server
 * whose previous check is still stuck is not probed again until that check ends.
 *
 * <p>Plain Java, shared by the health indicators and the actuator endpoint.
 */
public class ServerProbe implements AutoCloseable {

    private final PhysicalDataSources pools;

    private final Duration timeout;

    private final ExecutorService executor;

    private final Map<String, Future<ServerState>> running = new ConcurrentHashMap<>();

    /**
     * Creates a probe.
     * @param pools the pools to probe through
     * @param timeout longest wait for one server
     */
    public ServerProbe(PhysicalDataSources pools, Duration timeout) {
        this.pools = pools;
        this.timeout = timeout;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool((task) -> {
            Thread thread = new Thread(task, "ddm-server-probe-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Probes servers in parallel, waiting at most the timeout overall.
     * @param servers the servers
     * @return the state of each server, in the given order
     */
    public Map<Server, ServerState> probe(List<Server> servers) {
        Map<Server, Future<ServerState>> checks = new LinkedHashMap<>();
        for (Server server : servers) {
            checks.put(server, start(server));
        }
        long deadline = System.nanoTime() + this.timeout.toNanos();
        Map<Server, ServerState> result = new LinkedHashMap<>();
        checks.forEach((server, check) -> result.put(server, await(server, check, deadline)));
        return result;
    }

    private Future<ServerState> start(Server server) {
        Future<ServerState> previous = this.running.get(server.name());
        if (previous != null && !previous.isDone()) {
            return previous;
        }
        Future<ServerState> check = this.executor.submit(() -> check(server));
        this.running.put(server.name(), check);
        return check;
    }

    private ServerState check(Server server) {
        long start = System.nanoTime();
        try (Connection connection = poolOf(server).dataSource().liveConnection(this.timeout)) {
            return ServerState.up(server, Duration.ofNanos(System.nanoTime() - start), poolStatistics(server));
        }
        catch (Exception ex) {
            return ServerState.down(server, Failures.describe(ex), poolStatistics(server));
        }
    }

    private ServerState await(Server server, Future<ServerState> check, long deadline) {
        try {
            return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    private PhysicalPool poolOf(Server server) {
        return this.pools.pools().stream()
            .filter((pool) -> pool.server().name().equals(server.name()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Server " + server.name() + " has no pool"));
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
        for (PhysicalPool pool : this.pools.pools()) {
            if (!pool.server().name().equals(server.name())) {
                continue;
            }
            maximum += pool.dataSource().getMaximumPoolSize();
            HikariPoolMXBean bean = pool.dataSource().isClosed() ? null : pool.dataSource().getHikariPoolMXBean();
            if (bean != null) {
                active += bean.getActiveConnections();
                idle += bean.getIdleConnections();
                total += bean.getTotalConnections();
                waiting += bean.getThreadsAwaitingConnection();
            }
        }
        return new PoolStatistics(active, idle, total, waiting, maximum);
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

    /**
     * Connections of one server summed over its shard pools.
     * @param active connections in use
     * @param idle idle connections
     * @param total open connections
     * @param waiting threads waiting for a connection
     * @param maximum the most the server's pools may open
     */
    public record PoolStatistics(int active, int idle, int total, int waiting, int maximum) {
    }

    /**
     * The outcome of one probe.
     * @param server the server
     * @param up whether it answered
     * @param latency round trip including the borrow, when up
     * @param error why it is down, when down
     * @param pool its pool statistics
     */
    public record ServerState(Server server, boolean up, Duration latency, String error, PoolStatistics pool) {

        static ServerState up(Server server, Duration latency, PoolStatistics pool) {
            return new ServerState(server, true, latency, null, pool);
        }

        static ServerState down(Server server, String error, PoolStatistics pool) {
            return new ServerState(server, false, null, error, pool);
        }

    }

}
