package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddm.datasource.DdmDataSource;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read rotation changes while 16 threads read: the two replicas of one node are excluded and re-admitted every
 * ~100 ms, in every combination. No read raises an exception, and each read is served (as {@code @@port} tells)
 * by the primary or by a replica that was in rotation at some moment while the read ran.
 */
@RequiresDatabaseServers(primaries = 1, replicasPerPrimary = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadRotationFlappingIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(ReadRotationFlappingIntegrationTests.class);

    private static final String SCHEMA = "it_flap";

    private static final int READERS = 16;

    private static final long ROWS = 64;

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @Test
    void everyReadIsServedByAReplicaInRotationOrThePrimaryWhileTheRotationFlaps() throws Exception {
        this.topology.resetData(SCHEMA);
        DdmOnServers servers = new DdmOnServers(this.topology, SCHEMA, 2, "?connectTimeout=5000&socketTimeout=60000")
            .table("t_kv", "k", "mod-hash", null, null, null);
        // Only the first check runs: the rotation changes only when the test says so.
        servers.properties().getReadWriteSplitting().getHealth().setInterval(Duration.ofHours(1));
        try (DdmDataSource dataSource = servers.open()) {
            DdmOnServers.createKeyValues(dataSource, ROWS);
            this.topology.awaitReplication();
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> monitor.states().values().stream().allMatch((state) -> state.consecutiveSuccesses() > 0),
                    () -> "first checks passed: " + monitor.states());
            Map<Integer, String> serverByPort = new HashMap<>();
            DatabaseServer primary = this.topology.primary(0);
            serverByPort.put(primary.port(), primary.name());
            List<String> replicas = new ArrayList<>();
            for (DatabaseServer replica : this.topology.replicasOf(0)) {
                serverByPort.put(replica.port(), replica.name());
                replicas.add(replica.name());
            }

            List<Change> history = Collections.synchronizedList(new ArrayList<>());
            List<Read> reads = Collections.synchronizedList(new ArrayList<>());
            Map<String, Throwable> failures = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(READERS);
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readers.add(threads.submit(() -> read(dataSource, running, reads, failures)));
            }
            try {
                Set<String> inRotation = new HashSet<>(replicas);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                while (System.nanoTime() < end) {
                    Thread.sleep(100);
                    Set<String> next = new HashSet<>();
                    int pick = ThreadLocalRandom.current().nextInt(4);
                    for (int i = 0; i < replicas.size(); i++) {
                        if ((pick & (1 << i)) != 0) {
                            next.add(replicas.get(i));
                        }
                    }
                    long before = System.nanoTime();
                    for (String replica : replicas) {
                        monitor.setExcluded(replica, next.contains(replica) ? null : "flapping test");
                    }
                    history.add(new Change(before, System.nanoTime(), Set.copyOf(inRotation), Set.copyOf(next)));
                    inRotation = next;
                }
            }
            finally {
                running.set(false);
                for (Future<?> reader : readers) {
                    reader.get(2, TimeUnit.MINUTES);
                }
                threads.shutdownNow();
                replicas.forEach((replica) -> monitor.setExcluded(replica, null));
            }
            assertThat(failures).as("reads that raised an exception").isEmpty();
            assertThat(history).as("rotation changes").hasSizeGreaterThan(30);
            Map<String, Integer> servedBy = new HashMap<>();
            synchronized (reads) {
                for (Read read : reads) {
                    String server = serverByPort.get(read.port());
                    assertThat(server).as("server of port %s", read.port()).isNotNull();
                    servedBy.merge(server, 1, Integer::sum);
                    if (!server.equals(primary.name())) {
                        assertThat(inRotationDuring(history, Set.copyOf(replicas), read.start(), read.end()))
                            .as("replicas in rotation while a read ran that %s served", server).contains(server);
                    }
                }
            }
            logger.info("{} reads over {} rotation changes, served by {}", reads.size(), history.size(), servedBy);
            assertThat(servedBy).as("servers that served reads").containsKeys(primary.name(), replicas.get(0), replicas.get(1));
        }
    }

    private static void read(DdmDataSource dataSource, AtomicBoolean running, List<Read> reads, Map<String, Throwable> failures) {
        while (running.get()) {
            long k = ThreadLocalRandom.current().nextLong(ROWS);
            long start = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement("SELECT @@port, v FROM t_kv WHERE k = ?")) {
                select.setLong(1, k);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).as("row %s", k).isTrue();
                    assertThat(rows.getString(2)).isEqualTo("v" + k);
                    reads.add(new Read(start, System.nanoTime(), rows.getInt(1)));
                }
            }
            catch (Exception | AssertionError ex) {
                failures.putIfAbsent(ex.getClass().getName() + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Every replica that was in rotation at some moment between start and end. */
    private static Set<String> inRotationDuring(List<Change> history, Set<String> initial, long start, long end) {
        Set<String> result = new HashSet<>();
        Set<String> before = initial;
        synchronized (history) {
            for (Change change : history) {
                if (change.end() <= start) {
                    before = change.after();
                }
                else if (change.start() <= end) {
                    result.addAll(change.before());
                    result.addAll(change.after());
                }
            }
        }
        result.addAll(before);
        return result;
    }

    private record Change(long start, long end, Set<String> before, Set<String> after) {
    }

    private record Read(long start, long end, int port) {
    }

}
