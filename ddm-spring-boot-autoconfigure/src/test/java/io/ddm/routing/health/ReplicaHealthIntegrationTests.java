package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.ddm.algorithm.ShardingFunction;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replica outages under a steady read load on real servers: two nodes with one replica each, so a node whose
 * replica is excluded has no replica left and must read from its primary. Reads are counted per phase of the
 * outage; once the monitor reports the replica excluded no read fails, and once it reports it back the replica
 * serves reads again (counted with {@code Com_select} on the servers).
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaHealthIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaHealthIntegrationTests.class);

    private static final String SCHEMA = "it_replica";

    /** Keys 0..KEYS-1: even keys live on shard 0 (node ds0), odd keys on shard 1 (node ds1). */
    private static final int KEYS = 20;

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private DatabaseTopology topology;

    @BeforeAll
    void createTable(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData(SCHEMA);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null))) {
            execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
            StringBuilder insert = new StringBuilder("INSERT INTO t_kv (k, v) VALUES ");
            for (int k = 0; k < KEYS; k++) {
                insert.append((k > 0) ? ", " : "").append('(').append(k).append(", 'v").append(k).append("')");
            }
            execute(dataSource, insert.toString());
        }
        topology.awaitReplication();
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @AfterAll
    void restoreAll() {
        this.topology.restore();
    }

    @Test
    void killedReplicaIsExcludedItsNodeReadsFromThePrimaryAndItIsReadmittedAfterRestart() throws Exception {
        outage(DatabaseServer::kill, DatabaseServer::start);
    }

    @Test
    void frozenReplicaIsExcludedAndReadmittedAfterItResumes() throws Exception {
        outage(DatabaseServer::freeze, DatabaseServer::unfreeze);
    }

    @Test
    void stoppedReplicaIsExcludedByTheChecksAndItsNodeReadsFromThePrimaryWithoutFailures() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        DatabaseServer primary = this.topology.primary(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            // No reads meanwhile: only the checks can notice.
            long stoppedAt = System.nanoTime();
            replica.stop();
            awaitState(monitor, replica.name(), false);
            logger.info("{}: excluded by the checks {} ms after it stopped ({})", replica.name(),
                    Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(), monitor.states().get(replica.name()).reason());
            assertThat(monitor.isInRotation(this.topology.replicasOf(1).get(0).name())).as("the other node's replica").isTrue();
            long primarySelects = comSelect(primary);
            for (int k = 0; k < KEYS; k += 2) {
                assertThat(read(dataSource, k)).as("k=%s on node ds0", k).isEqualTo("v" + k);
            }
            // comSelect's own query counts once.
            assertThat(comSelect(primary) - primarySelects - 1).as("reads served by ds0's primary").isEqualTo(KEYS / 2);
        }
    }

    private void outage(Consumer<DatabaseServer> fail, Consumer<DatabaseServer> recover) throws Exception {
        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        DatabaseServer primary = this.topology.primary(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null));
                ReadLoad load = new ReadLoad(dataSource, 4)) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            awaitState(monitor, replica.name(), true);
            load.phase(Phase.BASELINE);
            load.awaitReads(Phase.BASELINE, 200);

            load.phase(Phase.UNDETECTED);
            // Reads still running from the baseline would fail with the outage but count as baseline reads.
            load.awaitEveryThreadIn(Phase.UNDETECTED);
            long failedAt = System.nanoTime();
            fail.accept(replica);
            awaitState(monitor, replica.name(), false);
            Duration detection = Duration.ofNanos(System.nanoTime() - failedAt);
            logger.info("{}: excluded {} ms after the outage began ({})", replica.name(), detection.toMillis(),
                    monitor.states().get(replica.name()).reason());
            long primarySelects = comSelect(primary);
            load.phase(Phase.EXCLUDED);
            load.awaitReads(Phase.EXCLUDED, 300);
            // A hung server keeps failing its checks without piling up check threads: at most one per replica is
            // stuck on it, bounded by the check timeout.
            int failures = monitor.states().get(replica.name()).consecutiveFailures();
            await(() -> monitor.states().get(replica.name()).consecutiveFailures() >= failures + 5,
                    () -> "5 more failed checks: " + monitor.states());
            assertThat(checkThreads()).as("replica check threads").isLessThanOrEqualTo(4);
            assertThat(comSelect(primary) - primarySelects).as("reads of node ds0 served by its primary").isGreaterThan(50);

            load.phase(Phase.RECOVERING);
            recover.accept(replica);
            awaitState(monitor, replica.name(), true);
            long replicaSelects = comSelect(replica);
            load.phase(Phase.READMITTED);
            load.awaitReads(Phase.READMITTED, 300);
            assertThat(comSelect(replica) - replicaSelects).as("reads served by the re-admitted replica").isGreaterThan(50);
            load.stop();

            logger.info("{}: reads per phase {}, failed per phase {}", replica.name(), load.reads, load.failures);
            assertThat(load.failures(Phase.BASELINE)).as("failed reads before the outage").isZero();
            assertThat(load.failures(Phase.EXCLUDED)).as("failed reads once the replica is excluded").isZero();
            assertThat(load.failures(Phase.READMITTED)).as("failed reads once the replica is back").isZero();
        }
    }

    @Test
    void replicaWithStoppedReplicationIsExcludedForLagAndReadmittedAfterCatchingUp() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(Duration.ofSeconds(2)))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            await(() -> monitor.states().get(replica.name()).replicationLag() != null,
                    () -> "lag read while replicating: " + monitor.states());
            assertThat(monitor.isInRotation(replica.name())).isTrue();

            replica.pauseReplication();
            // k = 101 is odd: shard 1 on node ds1, whose replica does not apply it.
            execute(dataSource, "INSERT INTO t_kv (k, v) VALUES (101, 'fresh')");
            awaitState(monitor, replica.name(), false);
            ReplicaState excluded = monitor.states().get(replica.name());
            assertThat(excluded.replicationStopped()).as("SQL thread stopped: %s", excluded).isTrue();
            assertThat(read(dataSource, 101)).as("read while the lagging replica is excluded: from the primary").isEqualTo("fresh");

            replica.resumeReplication();
            this.topology.awaitReplication();
            awaitState(monitor, replica.name(), true);
            ReplicaState back = monitor.states().get(replica.name());
            assertThat(back.replicationLag()).as("lag after catching up: %s", back).isLessThanOrEqualTo(Duration.ofSeconds(2));
            long replicaSelects = comSelect(replica);
            for (int i = 0; i < 20; i++) {
                assertThat(read(dataSource, 101)).isEqualTo("fresh");
            }
            assertThat(comSelect(replica) - replicaSelects).as("reads served by the caught-up replica").isGreaterThanOrEqualTo(20);
        }
    }

    private DdmProperties properties(Duration maxReplicaLag) {
        DdmProperties properties = new DdmProperties();
        properties.setSchema(SCHEMA);
        properties.setShards(2);
        properties.setCreateShardDatabases(true);
        properties.getKeyGenerator().setWorkerId(1);
        // Fail fast: a read stuck on a frozen replica gives up after 3 s, a borrow from a dead one after 2 s.
        String parameters = "?connectTimeout=2000&socketTimeout=3000";
        for (int i = 0; i < this.topology.primaries().size(); i++) {
            DatabaseServer primary = this.topology.primary(i);
            DdmProperties.Node node = new DdmProperties.Node();
            node.setUrl(primary.jdbcUrl() + parameters);
            node.setUsername(primary.username());
            node.setPassword(primary.password());
            node.getPool().put("maximum-pool-size", "16");
            node.getPool().put("connection-timeout", "2000");
            for (DatabaseServer replica : this.topology.replicasOf(i)) {
                DdmProperties.Replica settings = new DdmProperties.Replica();
                settings.setUrl(replica.jdbcUrl() + parameters);
                node.getReplicas().put(replica.name(), settings);
            }
            properties.getNodes().put(primary.name(), node);
        }
        DdmProperties.Table table = new DdmProperties.Table();
        DdmProperties.Sharding sharding = new DdmProperties.Sharding();
        sharding.setColumn("k");
        sharding.setAlgorithm(ShardingFunction.MOD_HASH);
        table.setDatabaseSharding(sharding);
        properties.getTables().put("t_kv", table);
        DdmProperties.ReplicaHealth health = properties.getReadWriteSplitting().getHealth();
        health.setInterval(Duration.ofMillis(300));
        health.setTimeout(Duration.ofMillis(500));
        properties.getReadWriteSplitting().setMaxReplicaLag(maxReplicaLag);
        return properties;
    }

    private static long checkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith("ddm-replica-check-" + SCHEMA))
            .count();
    }

    private static void awaitState(ReplicaHealthMonitor monitor, String replica, boolean inRotation) {
        await(() -> monitor.isInRotation(replica) == inRotation,
                () -> replica + " " + (inRotation ? "in" : "out of") + " rotation; states " + monitor.states());
    }

    private static void await(BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not reached within " + DEADLINE.toSeconds() + " s: " + description.get());
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

    private static String read(DdmDataSource dataSource, long key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            select.setLong(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void execute(DdmDataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long comSelect(DatabaseServer server) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            rows.next();
            return rows.getLong(2);
        }
    }

    enum Phase {

        /** Before the outage. */
        WARMUP,

        /** Both replicas healthy, monitor has checked them. */
        BASELINE,

        /** The replica is down but not yet reported excluded: reads may fail. */
        UNDETECTED,

        /** Reported excluded: no read may fail. */
        EXCLUDED,

        /** The replica is coming back, not yet re-admitted. */
        RECOVERING,

        /** Reported back in rotation. */
        READMITTED

    }

    /**
     * Point selects on keys of both shards from a few threads, each read on a fresh logical connection (as a
     * pooled application would), counted by the phase in which it started.
     */
    private static final class ReadLoad implements AutoCloseable {

        private final ExecutorService threads;

        private final List<Future<?>> workers = new ArrayList<>();

        private final Map<Phase, AtomicLong> reads = new EnumMap<>(Phase.class);

        private final Map<Phase, AtomicLong> failures = new EnumMap<>(Phase.class);

        private final AtomicReferenceArray<Phase> current;

        private volatile Phase phase = Phase.WARMUP;

        private volatile boolean running = true;

        ReadLoad(DdmDataSource dataSource, int threadCount) {
            for (Phase each : Phase.values()) {
                this.reads.put(each, new AtomicLong());
                this.failures.put(each, new AtomicLong());
            }
            this.current = new AtomicReferenceArray<>(threadCount);
            this.threads = Executors.newFixedThreadPool(threadCount);
            for (int t = 0; t < threadCount; t++) {
                int offset = t;
                this.workers.add(this.threads.submit(() -> {
                    long key = offset;
                    // Bounded: stops when asked, and in any case after 5 minutes.
                    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                    while (this.running && System.nanoTime() < end) {
                        Phase started = this.phase;
                        this.current.set(offset, started);
                        key = (key + 1) % KEYS;
                        try {
                            String value = read(dataSource, key);
                            if (!("v" + key).equals(value)) {
                                throw new IllegalStateException("k=" + key + " read " + value);
                            }
                        }
                        catch (SQLException | RuntimeException ex) {
                            this.failures.get(started).incrementAndGet();
                            logger.debug("Read of k={} failed in phase {}: {}", key, started, ex.getMessage());
                        }
                        this.reads.get(started).incrementAndGet();
                    }
                }));
            }
        }

        void phase(Phase phase) {
            this.phase = phase;
        }

        void awaitReads(Phase phase, long count) {
            await(() -> this.reads.get(phase).get() >= count, () -> count + " reads in phase " + phase + ": " + this.reads);
        }

        void awaitEveryThreadIn(Phase phase) {
            await(() -> {
                for (int i = 0; i < this.current.length(); i++) {
                    if (this.current.get(i) != phase) {
                        return false;
                    }
                }
                return true;
            }, () -> "every thread reading in phase " + phase + ": " + this.current);
        }

        long failures(Phase phase) {
            return this.failures.get(phase).get();
        }

        void stop() throws Exception {
            this.running = false;
            for (Future<?> worker : this.workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            this.running = false;
            this.threads.shutdownNow();
        }

    }

}
