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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.integration.DdmOnServers;
import io.ddm.datasource.ShardUnavailableException;
import io.ddm.metrics.DdmMetrics;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.ddm.integration.DdmOnServers.comSelect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server of node ds1 dies (killed: connections refused) or hangs (SIGSTOP: TCP accepted, nothing answers) under
 * a steady load of writes and reads on both nodes, counted per phase of the outage. A primary: once DDM records
 * the outage, the node's writes fail at once with an exception naming node and shard, its reads keep being served
 * by its replica, and the other node's statements all succeed. A replica: once excluded, no statement fails.
 * After the server returns everything works again without a new data source, and every acknowledged write is
 * found exactly once, on the primary and on its replica (keys and checksums per shard).
 *
 * <p>4 shards: keys with {@code k % 4} in 0-1 live on node ds0, 2-3 on node ds1 (the one that fails).
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerOutageIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(ServerOutageIntegrationTests.class);

    private static final String SCHEMA = "it_primary";

    private static final int SHARDS = 4;

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @Test
    void killedPrimaryFailsItsNodesWritesFastWhileTheOtherNodeWorksAndRecoversAfterRestart() throws Exception {
        outage(true, DatabaseServer::kill, DatabaseServer::start);
    }

    @Test
    void frozenPrimaryIsBoundedBySocketTimeoutThenFailsFastAndRecoversAfterItResumes() throws Exception {
        outage(true, DatabaseServer::freeze, DatabaseServer::unfreeze);
    }

    @Test
    void killedReplicaCostsNoStatementOnceExcludedAndLosesNoWrite() throws Exception {
        outage(false, DatabaseServer::kill, DatabaseServer::start);
    }

    @Test
    void frozenReplicaCostsNoStatementOnceExcludedAndLosesNoWrite() throws Exception {
        outage(false, DatabaseServer::freeze, DatabaseServer::unfreeze);
    }

    private void outage(boolean primary, Consumer<DatabaseServer> fail, Consumer<DatabaseServer> recover) throws Exception {
        this.topology.resetData(SCHEMA);
        DatabaseServer server = primary ? this.topology.primary(1) : this.topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties())) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
            // DDL through DDM returns once the replicas have applied it: the load's first reads, served by the replicas,
            // find the table (they failed with "Table 'it_primary_1.t_kv' doesn't exist" while it did not wait).
            for (int shard = 0; shard < SHARDS; shard++) {
                DatabaseServer replica = this.topology.replicasOf(shard / 2).get(0);
                assertThat(keys(replica, SCHEMA + "_" + shard)).as("t_kv of shard %s on %s", shard, replica.name()).isEmpty();
            }
            PrimaryHealthMonitor primaries = dataSource.getPrimaryMonitor().orElseThrow();
            ReplicaHealthMonitor replicas = dataSource.getReplicaMonitor().orElseThrow();
            BooleanSupplier serving = primary ? () -> primaries.isAvailable("ds1") : () -> replicas.isInRotation(server.name());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new DdmMetrics(dataSource).bindTo(registry);
            String servingGauge = primary ? "ddm.primary.available" : "ddm.replica.in.rotation";
            String outagesCounter = primary ? "ddm.primary.outages" : "ddm.replica.exclusions";
            assertThat(registry.get(servingGauge).tag("server", server.name()).gauge().value()).as("before").isEqualTo(1);
            try (Load load = new Load(dataSource, 4)) {
                load.phase(Phase.BASELINE);
                load.awaitOperations(Phase.BASELINE, 400);

                load.phase(Phase.UNDETECTED);
                load.awaitEveryThreadIn(Phase.UNDETECTED);
                long failedAt = System.nanoTime();
                fail.accept(server);
                DdmOnServers.await(() -> !serving.getAsBoolean(), () -> server.name() + " recorded down");
                logger.info("{}: recorded down {} ms after the outage began", server.name(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt));
                // Reads of ds1 go to its primary while its only replica is out; a dead primary cannot be asked.
                long primarySelects = primary ? 0 : comSelect(this.topology.primary(1));
                load.phase(Phase.DOWN);
                load.awaitOperations(Phase.DOWN, 400);
                assertThat(primaries.isAvailable("ds0")).as("the other node").isTrue();
                if (!primary) {
                    assertThat(comSelect(this.topology.primary(1)) - primarySelects)
                        .as("reads of node ds1 served by its primary while its only replica is excluded").isGreaterThan(50);
                    // A hung replica keeps failing its checks without piling up check threads: at most one per server
                    // runs at a time, bounded by the check timeout.
                    int failures = replicas.states().get(server.name()).consecutiveFailures();
                    DdmOnServers.await(() -> replicas.states().get(server.name()).consecutiveFailures() >= failures + 5,
                            () -> "5 more failed checks: " + replicas.states());
                    assertThat(checkThreads()).as("server check threads").isLessThanOrEqualTo(4);
                }
                assertThat(registry.get(servingGauge).tag("server", server.name()).gauge().value()).as("while down").isZero();
                assertThat(registry.get(servingGauge).tag("server", primary ? "ds0" : "ds0-r0").gauge().value())
                    .as("the other node's while down").isEqualTo(1);

                load.phase(Phase.RECOVERING);
                recover.accept(server);
                DdmOnServers.await(serving, () -> server.name() + " serving again");
                long serverSelects = primary ? 0 : comSelect(server);
                load.phase(Phase.RECOVERED);
                assertThat(registry.get(servingGauge).tag("server", server.name()).gauge().value()).as("back").isEqualTo(1);
                assertThat(registry.get(outagesCounter).tag("server", server.name()).functionCounter().count()).isEqualTo(1);
                load.awaitOperations(Phase.RECOVERED, 400);
                if (!primary) {
                    assertThat(comSelect(server) - serverSelects).as("reads served by the re-admitted replica").isGreaterThan(50);
                }
                load.stop();
                logger.info("{}: per phase {}", server.name(), load.summary());

                for (Phase phase : Phase.values()) {
                    assertThat(load.failures(phase, 0)).as("failed statements of node ds0 in phase %s: %s", phase,
                            load.firstFailure(phase, 0)).isZero();
                }
                assertThat(load.failures(Phase.BASELINE, 1)).as("node ds1 before the outage").isZero();
                assertThat(load.failures(Phase.RECOVERED, 1)).as("node ds1 after it came back: %s",
                        load.firstFailure(Phase.RECOVERED, 1)).isZero();
                assertThat(load.readFailures(Phase.DOWN, 1)).as("reads of node ds1, served by its replica or primary: %s",
                        load.firstFailure(Phase.DOWN, 1)).isZero();
                if (!primary) {
                    assertThat(load.failures(Phase.DOWN, 1)).as("node ds1 once its replica is excluded: %s",
                            load.firstFailure(Phase.DOWN, 1)).isZero();
                    assertThat(load.failures(Phase.RECOVERING, 1)).as("node ds1 while its replica comes back: %s",
                            load.firstFailure(Phase.RECOVERING, 1)).isZero();
                }
                else {
                    assertThat(load.writes(Phase.DOWN, 1)).as("writes tried on node ds1 while down").isPositive();
                    assertThat(load.writeFailures(Phase.DOWN, 1)).as("writes of node ds1 while down all fail")
                        .isEqualTo(load.writes(Phase.DOWN, 1));
                    for (Throwable failure : load.downFailures) {
                        ShardUnavailableException unavailable = findCause(failure, ShardUnavailableException.class);
                        assertThat((Object) unavailable).as("failure names the shard: %s", failure).isNotNull();
                        assertThat(unavailable.getNode()).isEqualTo("ds1");
                        assertThat(unavailable.getShard()).isIn(2, 3);
                        // "is down since": refused by the recorded outage, not after waiting the pool's connection-timeout
                        // ("gave no connection within"); how long it took is logged, not asserted.
                        assertThat(unavailable.getMessage()).contains("node 'ds1'", "Shard " + unavailable.getShard(), "is down since");
                    }
                }
            }
            this.topology.awaitReplication();
            assertEveryAcknowledgedWriteIsStoredOnce(dataSource, this.lastLoadWrites);
        }
    }

    private Load.Writes lastLoadWrites;

    private void assertEveryAcknowledgedWriteIsStoredOnce(DdmDataSource dataSource, Load.Writes writes) throws SQLException {
        for (int node = 0; node < 2; node++) {
            List<DatabaseServer> servers = new ArrayList<>();
            servers.add(this.topology.primary(node));
            servers.addAll(this.topology.replicasOf(node));
            for (int shard = node * 2; shard < node * 2 + 2; shard++) {
                Set<Long> acknowledged = writes.acknowledged(shard);
                Set<Long> attempted = writes.attempted(shard);
                String checksum = null;
                for (DatabaseServer server : servers) {
                    Set<Long> stored = keys(server, SCHEMA + "_" + shard);
                    assertThat(stored).as("every acknowledged write of shard %s on %s", shard, server.name())
                        .containsAll(acknowledged);
                    // A write that failed may still have been applied (the connection broke after the server got it),
                    // but nothing is stored that was never written.
                    assertThat(attempted).as("keys stored in shard %s on %s were all written", shard, server.name())
                        .containsAll(stored);
                    String serverChecksum = checksum(server, SCHEMA + "_" + shard);
                    if (checksum == null) {
                        checksum = serverChecksum;
                    }
                    assertThat(serverChecksum).as("checksum of shard %s on %s equals the primary's", shard, server.name())
                        .isEqualTo(checksum);
                }
                logger.info("shard {}: {} writes acknowledged, {} attempted, checksum {}", shard, acknowledged.size(),
                        attempted.size(), checksum);
            }
        }
        long total = 0;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t_kv")) {
            rows.next();
            total = rows.getLong(1);
        }
        assertThat(total).as("rows through DDM").isGreaterThanOrEqualTo(writes.acknowledgedCount());
    }

    private static Set<Long> keys(DatabaseServer server, String database) throws SQLException {
        Set<Long> result = new TreeSet<>();
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT k FROM t_kv")) {
            while (rows.next()) {
                assertThat(result.add(rows.getLong(1))).as("key %s stored once", rows.getLong(1)).isTrue();
            }
        }
        return result;
    }

    private static String checksum(DatabaseServer server, String database) throws SQLException {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(k, ':', v))), 0) FROM t_kv")) {
            rows.next();
            return rows.getLong(1) + "/" + rows.getLong(2);
        }
    }

    private DdmProperties properties() {
        // A statement stuck on a frozen server gives up after 3 s; connectTimeout alone would not bound it.
        DdmProperties properties = new DdmOnServers(this.topology, SCHEMA, SHARDS, "?connectTimeout=2000&socketTimeout=3000")
            .table("t_kv", "k", "mod-hash", null, null, null)
            .properties();
        properties.getPrimaryHealth().setInterval(Duration.ofMillis(300));
        properties.getPrimaryHealth().setTimeout(Duration.ofMillis(500));
        properties.getReadWriteSplitting().getHealth().setInterval(Duration.ofMillis(300));
        properties.getReadWriteSplitting().getHealth().setTimeout(Duration.ofMillis(500));
        return properties;
    }

    private static long checkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().startsWith("ddm-server-check-" + SCHEMA + "-"))
            .count();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    enum Phase {

        /** Before the load is told a phase. */
        WARMUP,

        /** All servers up. */
        BASELINE,

        /** The primary has failed, DDM has not recorded it yet: its statements may fail any way. */
        UNDETECTED,

        /** Recorded down: its writes fail fast, naming the node. */
        DOWN,

        /** Coming back, not yet recorded available. */
        RECOVERING,

        /** Recorded available again. */
        RECOVERED

    }

    /**
     * Inserts of new keys and point selects of acknowledged ones, alternating over both nodes, from a few threads,
     * each statement on a fresh logical connection; counted by the phase in which it started and the node of its
     * key. Bounded: stops when asked, and in any case after 5 minutes.
     */
    private final class Load implements AutoCloseable {

        private final ExecutorService threads;

        private final List<Future<?>> workers = new ArrayList<>();

        private final Map<Phase, AtomicLong[]> counts = new EnumMap<>(Phase.class);

        private final Map<Phase, AtomicReference<Throwable>[]> firstFailures = new EnumMap<>(Phase.class);

        private final List<Throwable> downFailures = java.util.Collections.synchronizedList(new ArrayList<>());

        private final AtomicLong slowestDownFailureNanos = new AtomicLong();

        private final Phase[] current;

        private final Writes writes = new Writes();

        private volatile Phase phase = Phase.WARMUP;

        private volatile boolean running = true;

        /** Index of the counters: node * 4 + (write ? 2 : 0) + (failed ? 1 : 0). */
        @SuppressWarnings("unchecked")
        Load(DdmDataSource dataSource, int threadCount) {
            for (Phase each : Phase.values()) {
                AtomicLong[] perKind = new AtomicLong[8];
                for (int i = 0; i < perKind.length; i++) {
                    perKind[i] = new AtomicLong();
                }
                this.counts.put(each, perKind);
                this.firstFailures.put(each, new AtomicReference[] { new AtomicReference<>(), new AtomicReference<>() });
            }
            ServerOutageIntegrationTests.this.lastLoadWrites = this.writes;
            this.current = new Phase[threadCount];
            this.threads = Executors.newFixedThreadPool(threadCount);
            for (int t = 0; t < threadCount; t++) {
                int thread = t;
                this.workers.add(this.threads.submit(() -> run(dataSource, thread)));
            }
        }

        private void run(DdmDataSource dataSource, int thread) {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            long sequence = 0;
            while (this.running && System.nanoTime() < end) {
                Phase started = this.phase;
                this.current[thread] = started;
                sequence++;
                // Keys of thread t: t * 10^9 + sequence; k % 4 cycles over the shards of both nodes, four writes (one
                // per shard) then four reads.
                long key = thread * 1_000_000_000L + sequence;
                int shard = (int) (key % SHARDS);
                int node = shard / 2;
                boolean write = (sequence / SHARDS) % 2 == 0;
                long startedAt = System.nanoTime();
                try {
                    if (write) {
                        this.writes.attempt(shard, key);
                        insert(dataSource, key);
                        this.writes.acknowledge(shard, key);
                    }
                    else {
                        Long previous = this.writes.anyAcknowledged(shard);
                        String value = (previous != null) ? read(dataSource, previous) : null;
                        // A replica may not have applied the write yet (null): a stale read, not a failure.
                        if (value != null && !value.equals("v" + previous)) {
                            throw new IllegalStateException("k=" + previous + " read " + value);
                        }
                    }
                    count(started, node, write, false);
                }
                catch (SQLException | RuntimeException ex) {
                    count(started, node, write, true);
                    this.firstFailures.get(started)[node].compareAndSet(null, ex);
                    if (started == Phase.DOWN && node == 1) {
                        this.downFailures.add(ex);
                        this.slowestDownFailureNanos.accumulateAndGet(System.nanoTime() - startedAt, Math::max);
                    }
                }
            }
        }

        private void count(Phase started, int node, boolean write, boolean failed) {
            this.counts.get(started)[node * 4 + (write ? 2 : 0) + (failed ? 1 : 0)].incrementAndGet();
        }

        private static void insert(DdmDataSource dataSource, long key) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO t_kv (k, v) VALUES (?, ?)")) {
                insert.setLong(1, key);
                insert.setString(2, "v" + key);
                insert.executeUpdate();
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

        void phase(Phase phase) {
            this.phase = phase;
        }

        void awaitOperations(Phase phase, long count) {
            DdmOnServers.await(() -> total(phase) >= count, () -> count + " statements in phase " + phase + ": " + summary());
        }

        void awaitEveryThreadIn(Phase phase) {
            DdmOnServers.await(() -> java.util.Arrays.stream(this.current).allMatch((each) -> each == phase),
                    () -> "every thread in phase " + phase);
        }

        private long total(Phase phase) {
            long result = 0;
            for (AtomicLong each : this.counts.get(phase)) {
                result += each.get();
            }
            return result;
        }

        long failures(Phase phase, int node) {
            return readFailures(phase, node) + writeFailures(phase, node);
        }

        long readFailures(Phase phase, int node) {
            return this.counts.get(phase)[node * 4 + 1].get();
        }

        long writeFailures(Phase phase, int node) {
            return this.counts.get(phase)[node * 4 + 3].get();
        }

        long writes(Phase phase, int node) {
            return this.counts.get(phase)[node * 4 + 2].get() + writeFailures(phase, node);
        }

        Throwable firstFailure(Phase phase, int node) {
            return this.firstFailures.get(phase)[node].get();
        }

        Duration slowestDownFailure() {
            return Duration.ofNanos(this.slowestDownFailureNanos.get());
        }

        String summary() {
            StringBuilder result = new StringBuilder();
            for (Phase each : Phase.values()) {
                AtomicLong[] c = this.counts.get(each);
                result.append(String.format("%n  %-10s ds0 reads %d (%d failed) writes %d (%d failed) | ds1 reads %d (%d failed)"
                        + " writes %d (%d failed)", each, c[0].get() + c[1].get(), c[1].get(), c[2].get() + c[3].get(), c[3].get(),
                        c[4].get() + c[5].get(), c[5].get(), c[6].get() + c[7].get(), c[7].get()));
            }
            return result.append(String.format("%n  slowest failure while down: %d ms",
                    slowestDownFailure().toMillis())).toString();
        }

        void stop() throws Exception {
            this.running = false;
            for (Future<?> worker : this.workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            this.running = false;
            this.threads.shutdownNow();
        }

        /** Keys written, by shard: every attempt, and the acknowledged ones. */
        private static final class Writes {

            private final Map<Integer, Set<Long>> attempted = new ConcurrentHashMap<>();

            private final Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();

            private final Map<Integer, Long> lastAcknowledged = new ConcurrentHashMap<>();

            void attempt(int shard, long key) {
                this.attempted.computeIfAbsent(shard, (s) -> ConcurrentHashMap.newKeySet()).add(key);
            }

            void acknowledge(int shard, long key) {
                this.acknowledged.computeIfAbsent(shard, (s) -> ConcurrentHashMap.newKeySet()).add(key);
                this.lastAcknowledged.put(shard, key);
            }

            Long anyAcknowledged(int shard) {
                return this.lastAcknowledged.get(shard);
            }

            Set<Long> attempted(int shard) {
                return new TreeSet<>(this.attempted.getOrDefault(shard, Set.of()));
            }

            Set<Long> acknowledged(int shard) {
                return new TreeSet<>(this.acknowledged.getOrDefault(shard, Set.of()));
            }

            long acknowledgedCount() {
                return this.acknowledged.values().stream().mapToLong(Set::size).sum();
            }

        }

    }

}
