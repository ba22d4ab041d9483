package io.ddm.datasource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import io.ddm.config.RuleConfigurationFactory;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HikariCP pools of a topology: one per shard database per server (primary and each replica).
 *
 * <p>A server's {@code maximum-pool-size} (default 10) is a budget for the whole server, divided evenly among
 * the shards placed on its node: a node hosting 4 shards with a budget of 16 gets 4 pools of 4 connections, so
 * one application instance never holds more than the budget on a server. {@code minimum-idle}, when set, is
 * divided the same way. Separate pools per shard keep each connection on its database (no {@code USE} per
 * statement) and avoid the deadlock a shared pool allows when concurrent scatter queries each hold part of it.
 *
 * <p>The pools of {@link #open} start with the one connection HikariCP opens to check the server (so an unreachable
 * server or a missing shard database still fails the startup at once) and fill to their {@code minimum-idle} only
 * after {@link #fillToMinimumIdle()}: the logical data source calls it once it has started, and HikariCP's
 * housekeeper then fills the pools (its first run after that, within 30 s). Until then a pool opens more
 * connections on demand, as usual. A startup would otherwise open every pool's connections (by default its
 * maximum) before the first statement, competing with ShardingSphere's start for the servers and the CPU.
 */
public final class PhysicalDataSources implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(PhysicalDataSources.class);

    /** Pools opened at once at startup: each waits for its first connection, mostly on the server. */
    private static final int OPENING_THREADS = 8;

    /** Replaced whole when a shard move adds the pools of its target: readers see one list or the other. */
    private volatile List<PhysicalPool> pools;

    private final Map<String, ServerAvailability> availability;

    /** The {@code minimum-idle} of each pool of {@link #open}, until {@link #fillToMinimumIdle()} sets it. */
    private volatile Map<PhysicalPool, Integer> deferredMinimumIdle;

    private PhysicalDataSources(List<PhysicalPool> pools, Map<String, ServerAvailability> availability,
            Map<PhysicalPool, Integer> deferredMinimumIdle) {
        this.pools = Collections.unmodifiableList(pools);
        this.availability = Collections.unmodifiableMap(availability);
        this.deferredMinimumIdle = Collections.unmodifiableMap(deferredMinimumIdle);
    }

    /**
     * Opens every pool of the topology, each with one connection until {@link #fillToMinimumIdle()}. Either all pools
     * start or none stays open.
     * @param topology the topology
     * @return the pools
     * @throws NodeUnavailableException when a server cannot be reached or lacks a shard database
     */
    public static PhysicalDataSources open(Topology topology) {
        Map<String, ServerAvailability> availability = new LinkedHashMap<>();
        List<Callable<PhysicalPool>> openings = new ArrayList<>();
        List<Integer> minimumIdles = new ArrayList<>();
        for (Node node : topology.nodes()) {
            List<Integer> shards = topology.placement().shardsOn(node.name());
            List<Server> servers = new ArrayList<>();
            servers.add(node.primary());
            servers.addAll(node.replicas());
            for (Server server : servers) {
                ServerAvailability serverAvailability = availability.computeIfAbsent(server.name(),
                        (name) -> new ServerAvailability(server));
                for (int shard : shards) {
                    int minimumIdle = minimumIdle(server, shards.size());
                    openings.add(() -> open(topology, server, shard, shards.size(), Math.min(1, minimumIdle), serverAvailability));
                    minimumIdles.add(minimumIdle);
                }
            }
        }
        List<PhysicalPool> pools = openAll(openings);
        Map<PhysicalPool, Integer> deferredMinimumIdle = new LinkedHashMap<>();
        for (int i = 0; i < pools.size(); i++) {
            deferredMinimumIdle.put(pools.get(i), minimumIdles.get(i));
        }
        return new PhysicalDataSources(pools, availability, deferredMinimumIdle);
    }

    /**
     * Opens the pools at the same time, since each waits for its first connection, and answers them in the order given.
     * Where any fails, the others are closed and the first failure in that order is thrown, whatever finished first.
     */
    private static List<PhysicalPool> openAll(List<Callable<PhysicalPool>> openings) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(openings.size(), OPENING_THREADS)), (task) -> {
            Thread thread = new Thread(task, "ddm-pool-opening-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<PhysicalPool>> futures = new ArrayList<>();
        openings.forEach((opening) -> futures.add(executor.submit(opening)));
        executor.shutdown();
        List<PhysicalPool> pools = new ArrayList<>();
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<PhysicalPool> each : futures) {
            while (true) {
                try {
                    pools.add(each.get());
                    break;
                }
                catch (InterruptedException ex) {
                    // Every opening ends within its connection timeout; waiting for all of them leaves no pool unclosed.
                    interrupted = true;
                }
                catch (ExecutionException ex) {
                    if (failure == null) {
                        failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            pools.forEach((pool) -> pool.dataSource().close());
            throw failure;
        }
        return pools;
    }

    /**
     * Lets the pools of {@link #open} fill to their {@code minimum-idle} (HikariCP's housekeeper fills them on its next
     * run); once only, later calls do nothing.
     */
    public void fillToMinimumIdle() {
        Map<PhysicalPool, Integer> deferred = this.deferredMinimumIdle;
        this.deferredMinimumIdle = Map.of();
        deferred.forEach((pool, minimumIdle) -> {
            if (!pool.dataSource().isClosed()) {
                pool.dataSource().getHikariConfigMXBean().setMinimumIdle(minimumIdle);
            }
        });
    }

    /** A server's pool size per shard: its budget divided among the shards of its node, at least 1. */
    private static int poolSize(HikariConfig config, int shardsOnNode) {
        return Math.max(1, config.getMaximumPoolSize() / shardsOnNode);
    }

    /** A server's {@code minimum-idle} per shard, divided like its budget; HikariCP's default is the pool size. */
    private static int minimumIdle(Server server, int shardsOnNode) {
        HikariConfig config = PoolSettings.bind(server.pool(), "");
        int size = poolSize(config, shardsOnNode);
        return (config.getMinimumIdle() >= 0) ? Math.min(size, config.getMinimumIdle() / shardsOnNode) : size;
    }

    private static PhysicalPool open(Topology topology, Server server, int shard, int shardsOnNode, int minimumIdle,
            ServerAvailability availability) {
        String database = PhysicalNames.shardDatabase(topology.schema(), shard);
        HikariConfig config = PoolSettings.bind(server.pool(), "");
        config.setMaximumPoolSize(poolSize(config, shardsOnNode));
        config.setMinimumIdle(minimumIdle);
        config.setJdbcUrl(JdbcUrls.forDatabase(server.url(), database));
        applyConnectorDefaults(config);
        if (server.username() != null) {
            config.setUsername(server.username());
        }
        if (server.password() != null) {
            config.setPassword(server.password());
        }
        config.setPoolName("ddm-" + server.name() + "-" + database);
        try {
            ServerDataSource dataSource = new ServerDataSource(config, server, shard, database, availability);
            logger.debug("Opened pool {} ({} connections at most)", config.getPoolName(), config.getMaximumPoolSize());
            return new PhysicalPool(server, shard, database, RuleConfigurationFactory.dataSourceName(topology, database, server),
                    dataSource);
        }
        catch (RuntimeException ex) {
            throw new NodeUnavailableException(server, database, MySqlErrorCodes.inCauseChain(ex, MySqlErrorCodes.ER_BAD_DB_ERROR), ex);
        }
    }

    /**
     * Opens the pools of a shard on the servers of a node that does not serve it yet (a shard move's target), sized by
     * the budget rule as if the node held {@code shardsOnNode} shards, and adds them to {@link #pools()}. They are
     * registered with no ShardingSphere data source of their own: a move's switch redirects the source's to them.
     * @param topology the topology
     * @param node the node's servers, primary first
     * @param shard the shard
     * @param shardsOnNode the shards the node will hold
     * @return the new pools, primary first
     * @throws NodeUnavailableException when a server cannot be reached or lacks the shard database
     */
    public synchronized List<PhysicalPool> openShard(Topology topology, List<Server> node, int shard, int shardsOnNode) {
        List<PhysicalPool> opened = new ArrayList<>();
        try {
            for (Server server : node) {
                opened.add(open(topology, server, shard, shardsOnNode, minimumIdle(server, shardsOnNode),
                        availability(server.name())));
            }
        }
        catch (RuntimeException ex) {
            opened.forEach((pool) -> pool.dataSource().close());
            throw ex;
        }
        List<PhysicalPool> all = new ArrayList<>(this.pools);
        all.addAll(opened);
        this.pools = Collections.unmodifiableList(all);
        return opened;
    }

    /**
     * Closes pools a shard move opened and did not use, and forgets them.
     * @param unused the pools
     */
    public synchronized void closeShard(List<PhysicalPool> unused) {
        List<PhysicalPool> all = new ArrayList<>(this.pools);
        all.removeAll(unused);
        this.pools = Collections.unmodifiableList(all);
        unused.forEach((pool) -> pool.dataSource().close());
    }

    /**
     * Divides each server's connection budget again among the shards its node serves now (after a move): pools of
     * shards served elsewhere now keep no connection, the others grow or shrink to their share.
     * @param placement where the shards are served from now
     */
    public void rebalance(io.ddm.topology.ShardPlacement placement) {
        for (PhysicalPool pool : this.pools) {
            ServerDataSource dataSource = pool.dataSource();
            if (dataSource.getShardSwitch() != null && dataSource.getShardSwitch().isRedirected()) {
                dataSource.getHikariConfigMXBean().setMinimumIdle(0);
                dataSource.evictConnections();
                continue;
            }
            if (!placement.nodeOf(pool.shard()).equals(pool.server().node())) {
                continue;
            }
            int shardsOnNode = placement.shardsOn(pool.server().node()).size();
            dataSource.getHikariConfigMXBean().setMaximumPoolSize(poolSize(PoolSettings.bind(pool.server().pool(), ""), shardsOnNode));
            dataSource.getHikariConfigMXBean().setMinimumIdle(minimumIdle(pool.server(), shardsOnNode));
        }
    }

    /**
     * Connector/J defaults for DDM's pools; a value the user set in the URL or in {@code pool.data-source-properties}
     * wins, its name written in any case. Measured with the benchmark suite (ddm-benchmarks, BENCHMARKS.md):
     * <ul>
     * <li>{@code useLocalSessionState}: ShardingSphere calls {@code setCatalog} on every connection it takes; with it
     * Connector/J skips the {@code USE} round trip when the catalog is unchanged, which it always is here (each pool
     * is pinned to one database).</li>
     * <li>{@code rewriteBatchedStatements}: ShardingSphere executes a batch as one JDBC batch per physical table, which
     * Connector/J then sends as multi-row {@code INSERT}s instead of one round trip per row (a 1,000-row batch over
     * 32 tables: 2.4 to 3.1 times the throughput). Batched inserts then report {@code SUCCESS_NO_INFO} (-2) per row.</li>
     * <li>{@code cachePrepStmts} (client-side, 250 statements of up to 2,048 characters per connection): ShardingSphere
     * prepares every physical statement anew on each execution; the cache saves Connector/J parsing it again.
     * Server-side prepared statements are not a default, although faster: they would hold up to
     * {@code prepStmtCacheSize} statements per connection on the server against its {@code max_prepared_stmt_count}.</li>
     * </ul>
     */
    static void applyConnectorDefaults(HikariConfig config) {
        if (!config.getJdbcUrl().startsWith("jdbc:mysql:")) {
            return;
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("useLocalSessionState", "true");
        defaults.put("rewriteBatchedStatements", "true");
        defaults.put("cachePrepStmts", "true");
        defaults.put("prepStmtCacheSize", "250");
        defaults.put("prepStmtCacheSqlLimit", "2048");
        Map<String, String> settings = connectorSettings(config);
        defaults.forEach((name, value) -> {
            if (!settings.containsKey(name.toLowerCase(Locale.ROOT))) {
                config.addDataSourceProperty(name, value);
            }
        });
    }

    /**
     * Whether Connector/J keeps the session state of a pool's connections locally ({@code useLocalSessionState}): then
     * {@code setCatalog} with the database a connection is on returns at once. Answers {@code true} only when the value
     * Connector/J uses (a data source property over the URL's) says so and no {@code propertiesTransform} may change
     * it.
     * @param config the pool's configuration, after {@link #applyConnectorDefaults}
     * @return whether it does
     */
    static boolean keepsLocalSessionState(HikariConfig config) {
        if (!config.getJdbcUrl().startsWith("jdbc:mysql:")) {
            return false;
        }
        Map<String, String> settings = connectorSettings(config);
        String value = settings.get("uselocalsessionstate");
        return !settings.containsKey("propertiestransform") && ("true".equalsIgnoreCase(value) || "yes".equalsIgnoreCase(value));
    }

    /** A pool's Connector/J settings by lower-case name (Connector/J ignores the case): the URL's, then the properties'. */
    private static Map<String, String> connectorSettings(HikariConfig config) {
        Map<String, String> result = new HashMap<>();
        String url = config.getJdbcUrl();
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                int equals = parameter.indexOf('=');
                if (equals > 0) {
                    result.put(parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT), parameter.substring(equals + 1).trim());
                }
            }
        }
        config.getDataSourceProperties()
            .forEach((name, value) -> result.put(name.toString().toLowerCase(Locale.ROOT), String.valueOf(value)));
        return result;
    }

    /**
     * Every pool.
     * @return pools in node, server, shard order
     */
    public List<PhysicalPool> pools() {
        return this.pools;
    }

    /**
     * The availability of a server, shared by all its pools.
     * @param server the server name
     * @return its availability
     * @throws IllegalArgumentException for a server of no pool
     */
    public ServerAvailability availability(String server) {
        ServerAvailability result = this.availability.get(server);
        if (result == null) {
            throw new IllegalArgumentException("Unknown server '" + server + "', known: " + this.availability.keySet());
        }
        return result;
    }

    /**
     * The pools of one server, one per shard database of its node.
     * @param server the server name
     * @return its pools in shard order
     */
    public List<PhysicalPool> poolsOf(String server) {
        return this.pools.stream().filter((pool) -> pool.server().name().equals(server)).toList();
    }

    /**
     * The pools by ShardingSphere data source name.
     * @return data sources by name
     */
    public Map<String, DataSource> byName() {
        Map<String, DataSource> result = new LinkedHashMap<>();
        this.pools.forEach((pool) -> result.put(pool.dataSourceName(), pool.dataSource()));
        return result;
    }

    @Override
    public void close() {
        this.pools.forEach((pool) -> pool.dataSource().close());
    }

}
