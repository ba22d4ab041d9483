package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.Failures;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica dies or freezes under read load with the defaults the README describes: HikariCP's 30 s
 * {@code connection-timeout}, DDM's default checks (every 2 s, 1 s timeout, 2 failures), and only the
 * {@code socketTimeout} the README asks for in the URL. No read waits for the pool's timeout: reads that were
 * running on the server when it failed fail with a connection error (or, frozen, after the socket timeout), and once
 * the replica is excluded every read succeeds, served by the node's primary.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaFailureWithDefaultsIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(ReplicaFailureWithDefaultsIntegrationTests.class);

    private static final String SCHEMA = "it_defaults";

    private static final int KEYS = 40;

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
    void killedReplica() throws Exception {
        fail(DatabaseServer::kill);
    }

    @Test
    void frozenReplica() throws Exception {
        fail(DatabaseServer::freeze);
    }

    private void fail(Consumer<DatabaseServer> failure) throws Exception {
        this.topology.resetData(SCHEMA);
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        DdmOnServers servers = new DdmOnServers(this.topology, SCHEMA, 4, "?socketTimeout=3000")
            .table("t_kv", "k", "mod-hash", null, null, null);
        try (DdmDataSource dataSource = servers.open()) {
            DdmOnServers.createKeyValues(dataSource, KEYS);
            this.topology.awaitReplication();
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            AtomicBoolean excluded = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong readsAfterExclusion = new AtomicLong();
            AtomicLong longestNanos = new AtomicLong();
            Map<String, Throwable> failedBeforeExclusion = new ConcurrentHashMap<>();
            Map<String, Throwable> failedAfterExclusion = new ConcurrentHashMap<>();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(threads.submit(() -> {
                    long n = 0;
                    while (running.get()) {
                        long k = n++ % KEYS;
                        boolean afterExclusion = excluded.get();
                        long start = System.nanoTime();
                        try (Connection connection = dataSource.getConnection();
                                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
                            select.setLong(1, k);
                            try (ResultSet rows = select.executeQuery()) {
                                assertThat(rows.next()).isTrue();
                            }
                            if (afterExclusion) {
                                readsAfterExclusion.incrementAndGet();
                            }
                        }
                        catch (Exception | AssertionError ex) {
                            (afterExclusion ? failedAfterExclusion : failedBeforeExclusion).putIfAbsent(Failures.describe(ex), ex);
                        }
                        longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                    return null;
                }));
            }
            try {
                Thread.sleep(1000);
                failure.accept(replica);
                DdmOnServers.await(() -> !monitor.isInRotation(replica.name()), () -> replica.name() + " excluded: " + monitor.states());
                excluded.set(true);
                DdmOnServers.await(() -> readsAfterExclusion.get() >= 400, () -> "400 reads after the exclusion");
            }
            finally {
                running.set(false);
                for (Future<?> reader : readers) {
                    reader.get(2, TimeUnit.MINUTES);
                }
                threads.shutdownNow();
            }
            logger.info("{}: failures before the exclusion {}, longest read {} ms", replica.name(), failedBeforeExclusion.keySet(),
                    TimeUnit.NANOSECONDS.toMillis(longestNanos.get()));
            assertThat(failedAfterExclusion).as("reads failed once %s was excluded", replica.name()).isEmpty();
            assertThat(failedBeforeExclusion.values()).as("reads failed on the failing replica before its exclusion")
                .allSatisfy((ex) -> {
                    assertThat(Failures.isConnectionFailure(ex)).as("a connection failure: %s", ex).isTrue();
                    assertThat(Failures.describe(ex)).as("not the pool's timeout").doesNotContain("gave no connection within");
                });
        }
    }

}
