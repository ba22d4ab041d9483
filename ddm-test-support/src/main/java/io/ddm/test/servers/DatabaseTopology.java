package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of real MySQL-compatible servers: {@code N} primaries ({@code ds0}, {@code ds1}, ...), each with {@code M}
 * replicas ({@code ds0-r0}, ...) fed by asynchronous GTID replication.
 *
 * <p>Obtain a shared instance with {@link DatabaseServers#topology(int, int)} (or the JUnit extension
 * {@link RequiresDatabaseServers}); it lives until the JVM exits. {@link DatabaseServers#newTopology(int, int)} returns
 * a private one that the caller must {@link #close()}. All methods are thread-safe.
 */
public final class DatabaseTopology implements AutoCloseable {

    /** Default bound of {@link #awaitReplication()}. */
    public static final Duration DEFAULT_REPLICATION_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseTopology.class);
    private static final Set<String> SYSTEM_DATABASES = Set.of("information_schema", "mysql", "performance_schema", "sys");

    private final ServerKind kind;
    private final List<ManagedServer> primaries;
    private final List<List<ManagedServer>> replicas;
    private final Runnable cleanup;
    private final boolean shared;
    private volatile boolean closed;

    DatabaseTopology(ServerKind kind, List<? extends ManagedServer> primaries, List<? extends List<? extends ManagedServer>> replicas,
            Runnable cleanup, boolean shared) {
        this.kind = kind;
        this.primaries = List.copyOf(primaries);
        List<List<ManagedServer>> copy = new ArrayList<>();
        for (List<? extends ManagedServer> replicasOfOnePrimary : replicas) {
            copy.add(List.copyOf(replicasOfOnePrimary));
        }
        this.replicas = List.copyOf(copy);
        this.cleanup = cleanup;
        this.shared = shared;
    }

    /**
     * How the servers are provided.
     *
     * @return {@link ServerKind#DOCKER}, {@link ServerKind#LOCAL} or {@link ServerKind#EMBEDDED}
     */
    public ServerKind kind() {
        return kind;
    }

    /**
     * The primaries, in index order ({@code ds0} first).
     *
     * @return an unmodifiable list
     */
    public List<DatabaseServer> primaries() {
        return List.copyOf(primaries);
    }

    /**
     * One primary.
     *
     * @param index 0-based index of the primary
     * @return the primary {@code ds<index>}
     * @throws IndexOutOfBoundsException if there is no such primary
     */
    public DatabaseServer primary(int index) {
        return primaries.get(index);
    }

    /**
     * The replicas of one primary, in index order.
     *
     * @param primaryIndex 0-based index of the primary
     * @return an unmodifiable list, empty for a topology without replicas
     * @throws IndexOutOfBoundsException if there is no such primary
     */
    public List<DatabaseServer> replicasOf(int primaryIndex) {
        return List.copyOf(replicas.get(primaryIndex));
    }

    /**
     * The servers as DDM's {@code ddm.nodes.*} properties, as a user writes them in {@code application.yml}: every
     * primary is a node named like the server ({@code ddm.nodes.ds0.url}, {@code .username}, {@code .password}), its
     * replicas under it ({@code ddm.nodes.ds0.replicas.ds0-r0.url}, credentials inherited from the node). For a
     * {@code @SpringBootTest}: {@code topology.ddmNodeProperties().forEach((k, v) -> registry.add(k, () -> v))} in a
     * {@code @DynamicPropertySource} method.
     *
     * @return property names to values, in server order
     */
    public Map<String, String> ddmNodeProperties() {
        return ddmNodeProperties("");
    }

    /**
     * The servers as DDM's {@code ddm.nodes.*} properties, with Connector/J parameters on every URL.
     *
     * @param urlParameters appended to every server URL, e.g. {@code ?socketTimeout=5000}; {@code ""} for none
     * @return property names to values, in server order
     */
    public Map<String, String> ddmNodeProperties(String urlParameters) {
        Map<String, String> result = new LinkedHashMap<>();
        for (int i = 0; i < primaries.size(); i++) {
            DatabaseServer primary = primaries.get(i);
            String node = "ddm.nodes." + primary.name();
            result.put(node + ".url", primary.jdbcUrl() + urlParameters);
            result.put(node + ".username", primary.username());
            result.put(node + ".password", primary.password());
            for (DatabaseServer replica : replicas.get(i)) {
                result.put(node + ".replicas." + replica.name() + ".url", replica.jdbcUrl() + urlParameters);
            }
        }
        return result;
    }

    /**
     * All servers: each primary followed by its replicas.
     *
     * @return an unmodifiable list
     */
    public List<DatabaseServer> servers() {
        List<DatabaseServer> all = new ArrayList<>();
        for (int i = 0; i < primaries.size(); i++) {
            all.add(primaries.get(i));
            all.addAll(replicas.get(i));
        }
        return List.copyOf(all);
    }

    /**
     * Waits at most {@link #DEFAULT_REPLICATION_TIMEOUT} until replication has caught up, see
     * {@link #awaitReplication(Duration)}.
     *
     * @throws IllegalStateException if a replica has not caught up in time or replication broke
     */
    public void awaitReplication() {
        awaitReplication(DEFAULT_REPLICATION_TIMEOUT);
    }

    /**
     * Waits until every replica that can make progress (running, not frozen, replication not paused, primary running
     * and not frozen) has applied every transaction its primary had written when this method was called. Compares GTID
     * positions ({@code @@gtid_binlog_pos} / {@code @@gtid_slave_pos} on MariaDB, {@code GTID_SUBSET} of
     * {@code @@gtid_executed} on MySQL); it never just sleeps.
     *
     * @param timeout how long to wait for all replicas together
     * @throws IllegalStateException if a replica has not caught up in time (the message shows the positions and the
     *     replication threads' state) or replication broke
     */
    public void awaitReplication(Duration timeout) {
        requireOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < primaries.size(); i++) {
            ManagedServer primary = primaries.get(i);
            if (!primary.isRunning() || primary.isFrozen()) {
                continue;
            }
            List<ManagedServer> active = replicas.get(i).stream().filter(ManagedServer::canApply).toList();
            if (active.isEmpty()) {
                continue;
            }
            String target;
            try (Connection connection = primary.adminConnection()) {
                target = primary.flavor().primaryPosition(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read the GTID position of " + primary.name() + ": " + e.getMessage(), e);
            }
            for (ManagedServer replica : active) {
                awaitApplied(replica, target, deadline, timeout);
            }
        }
    }

    private static void awaitApplied(ManagedServer replica, String target, long deadline, Duration timeout) {
        Flavor flavor = replica.flavor();
        try (Connection connection = replica.adminConnection()) {
            int polls = 0;
            while (!flavor.hasApplied(connection, target)) {
                polls++;
                if (polls % 25 == 0 || System.nanoTime() > deadline) {
                    Flavor.ReplicationStatus status = flavor.replicationStatus(connection);
                    boolean broken = !status.applierRunning() && !replica.isReplicationPaused()
                            || !status.receiverRunning() && !status.receiverConnecting();
                    if (broken || System.nanoTime() > deadline) {
                        throw new IllegalStateException((broken ? "Replication is broken: " : "Replication did not catch up within "
                                + timeout.toMillis() + " ms: ") + replica.name() + " has applied "
                                + describe(flavor.replicaPosition(connection)) + " but its primary " + replica.primary().name()
                                + " has written " + describe(target) + "; " + status);
                    }
                }
                ManagedServer.sleep(20);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the replication state of " + replica.name() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(String position) {
        return position.isEmpty() ? "nothing" : "'" + position.replace("\n", "") + "'";
    }

    /**
     * Brings every server back to normal after a test played with failures: unfreezes frozen servers, starts stopped
     * ones (primaries first), resumes paused replication and waits for replication. Cheap when nothing is to do;
     * {@link RequiresDatabaseServers} calls it before each test class.
     */
    public void restore() {
        requireOpen();
        List<ManagedServer> ordered = new ArrayList<>(primaries);
        replicas.forEach(ordered::addAll);
        for (ManagedServer server : ordered) {
            server.unfreeze();
            server.start();
        }
        for (List<ManagedServer> replicasOfOnePrimary : replicas) {
            for (ManagedServer replica : replicasOfOnePrimary) {
                replica.resumeReplication();
            }
        }
        awaitReplication();
    }

    /**
     * Drops databases on every primary and waits until the replicas have dropped them too, so test classes can share
     * a topology. Calls {@link #restore()} first. System databases ({@code mysql}, {@code sys},
     * {@code information_schema}, {@code performance_schema}) are never dropped.
     *
     * @param databasePrefixes drop the databases whose names start with one of these prefixes (case-insensitive); no
     *     prefix at all drops every non-system database
     */
    public void resetData(String... databasePrefixes) {
        restore();
        List<String> prefixes = Arrays.stream(databasePrefixes).map(prefix -> prefix.toLowerCase(Locale.ROOT)).toList();
        for (ManagedServer primary : primaries) {
            try (Connection connection = primary.adminConnection(); Statement statement = connection.createStatement()) {
                List<String> victims = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SHOW DATABASES")) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        String lower = name.toLowerCase(Locale.ROOT);
                        if (!SYSTEM_DATABASES.contains(lower) && (prefixes.isEmpty() || prefixes.stream().anyMatch(lower::startsWith))) {
                            victims.add(name);
                        }
                    }
                }
                for (String victim : victims) {
                    statement.execute("DROP DATABASE IF EXISTS `" + victim.replace("`", "``") + "`");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot drop databases on " + primary.name() + ": " + e.getMessage(), e);
            }
        }
        awaitReplication();
    }

    /**
     * Stops every server of a topology obtained from {@link DatabaseServers#newTopology(int, int)} and deletes its
     * data. Idempotent.
     *
     * @throws IllegalStateException for a shared topology from {@link DatabaseServers#topology(int, int)}: it is
     *     stopped at JVM exit, other test classes still use it
     */
    @Override
    public void close() {
        if (shared) {
            throw new IllegalStateException("This topology is shared by all tests of the JVM and is stopped at JVM exit; "
                    + "only topologies from DatabaseServers.newTopology(...) may be closed");
        }
        destroy();
    }

    /** Stops everything for good: topology close and JVM exit. */
    synchronized void destroy() {
        if (closed) {
            return;
        }
        closed = true;
        List<ManagedServer> all = new ArrayList<>(primaries);
        replicas.forEach(all::addAll);
        List<Runnable> tasks = new ArrayList<>();
        for (ManagedServer server : all) {
            tasks.add(server::destroy);
        }
        try {
            Parallel.runAll(tasks);
        } catch (RuntimeException e) {
            LOG.warn("Could not stop every test server: {}", e.toString());
        }
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up after the test servers: {}", e.toString());
        }
        LOG.info("Stopped {} topology {}x{}", kind, primaries.size(), replicas.isEmpty() ? 0 : replicas.get(0).size());
    }

    boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This topology has been closed");
        }
    }

    @Override
    public String toString() {
        return kind + " topology " + servers();
    }
}
