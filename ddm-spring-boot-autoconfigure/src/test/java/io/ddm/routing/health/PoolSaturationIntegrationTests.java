package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import java.util.concurrent.atomic.AtomicReference;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.PhysicalPool;
import io.ddm.health.DdmHealthContributor;
import io.ddm.health.ServerProbe.PoolStatistics;
import io.ddm.integration.DdmOnServers;
import io.ddm.metrics.DdmMetrics;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy server is never a dead one. With {@code maximum-pool-size: 4} on nodes holding 2 shards each (2 connections
 * per shard pool) and DDM's default check settings, 5 threads keep one shard's primary pool and its replica pool
 * saturated with 2.5 s statements, each shard in turn, while 4 other threads read and write every other shard: no
 * statement of any shard fails, no outage is recorded, no replica leaves the read rotation, and health stays UP
 * while reporting the saturation (threads waiting, the longest wait) in its details and metrics.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolSaturationIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(PoolSaturationIntegrationTests.class);

    private static final String SCHEMA = "it_busy";

    private static final int SHARDS = 4;

    private static final int HOLDERS = 5;

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @Test
    void saturatingEachShardsPoolsInTurnFailsNoStatementAndRecordsNoOutage() throws Exception {
        this.topology.resetData(SCHEMA);
        DdmOnServers servers = new DdmOnServers(this.topology, SCHEMA, SHARDS, "?connectTimeout=5000&socketTimeout=60000")
            .table("t_kv", "k", "mod-hash", null, null, null);
        DdmProperties properties = servers.properties();
        properties.getNodes().values().forEach((node) -> node.getPool().put("maximum-pool-size", "4"));
        try (DdmDataSource dataSource = servers.open()) {
            DdmOnServers.createKeyValues(dataSource, 40);
            this.topology.awaitReplication();
            assertThat(dataSource.getPhysicalDataSources().pools()).allSatisfy(
                    (pool) -> assertThat(pool.dataSource().getMaximumPoolSize()).as(pool.dataSourceName()).isEqualTo(2));
            PrimaryHealthMonitor primaries = dataSource.getPrimaryMonitor().orElseThrow();
            ReplicaHealthMonitor replicas = dataSource.getReplicaMonitor().orElseThrow();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new DdmMetrics(dataSource).bindTo(registry);
            DdmHealthContributor health = new DdmHealthContributor(dataSource, properties.getHealth().getTimeout());
            for (int busy = 0; busy < SHARDS; busy++) {
                saturate(dataSource, busy, health, registry);
                assertThat(primaries.outages("ds0") + primaries.outages("ds1")).as("outages after saturating shard %s", busy).isZero();
                assertThat(replicas.states().values()).as("replicas after saturating shard %s", busy)
                    .allSatisfy((state) -> assertThat(state.exclusions()).as(state.replica()).isZero());
            }
        }
    }

    /** Saturates one shard's primary and replica pools for at least 3 checks while the other shards take load. */
    private void saturate(DdmDataSource dataSource, int busy, DdmHealthContributor health, SimpleMeterRegistry registry)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong statements = new AtomicLong();
        AtomicLong sawSaturation = new AtomicLong();
        Map<String, AtomicReference<Throwable>> failures = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(2 * HOLDERS + 4);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int i = 0; i < HOLDERS; i++) {
                // In a transaction: the primary's pool. Outside: the replica's.
                workers.add(threads.submit(() -> hold(dataSource, busy, true, running, statements, failures)));
                workers.add(threads.submit(() -> hold(dataSource, busy, false, running, statements, failures)));
            }
            for (int i = 0; i < 4; i++) {
                int thread = i;
                workers.add(threads.submit(() -> load(dataSource, busy, thread, running, statements, failures)));
            }
            String node = (busy < 2) ? "ds0" : "ds1";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Three check intervals (2 s) at least, and until health has shown the saturation.
            long minimum = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
            while (System.nanoTime() < minimum || sawSaturation.get() == 0) {
                assertThat(System.nanoTime()).as("saturation of shard %s reported in time", busy).isLessThan(deadline);
                Health nodeHealth = ((HealthIndicator) health.getContributor(node)).health();
                assertThat(nodeHealth.getStatus()).as("node %s while shard %s is saturated: %s", node, busy, nodeHealth)
                    .isEqualTo(Status.UP);
                @SuppressWarnings("unchecked")
                Map<String, Object> primary = (Map<String, Object>) nodeHealth.getDetails().get("primary");
                PoolStatistics pool = (PoolStatistics) primary.get("pool");
                if (pool.saturated() && pool.waiting() > 0 && pool.longestWaitMillis() > 0
                        && longestWait(registry, dataSource, busy) > 0) {
                    sawSaturation.incrementAndGet();
                }
                Thread.sleep(250);
            }
        }
        finally {
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            threads.shutdownNow();
        }
        logger.info("shard {} saturated: {} statements", busy, statements.get());
        assertThat(failures).as("failed statements while shard %s is saturated", busy).isEmpty();
        assertThat(statements.get()).as("statements while shard %s is saturated", busy).isPositive();
    }

    private static double longestWait(SimpleMeterRegistry registry, DdmDataSource dataSource, int shard) {
        double longest = 0;
        for (PhysicalPool pool : dataSource.getPhysicalDataSources().pools()) {
            if (pool.shard() == shard) {
                longest = Math.max(longest, registry.get("ddm.pool.wait.longest").tag("server", pool.server().name())
                    .tag("database", pool.database()).timeGauge().value(TimeUnit.MILLISECONDS));
            }
        }
        return longest;
    }

    private static void hold(DdmDataSource dataSource, int shard, boolean primary, AtomicBoolean running, AtomicLong statements,
            Map<String, AtomicReference<Throwable>> failures) {
        while (running.get()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(!primary);
                try (PreparedStatement statement = connection.prepareStatement("SELECT SLEEP(2.5), v FROM t_kv WHERE k = ?")) {
                    statement.setLong(1, shard);
                    try (ResultSet rows = statement.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                    }
                }
                if (primary) {
                    connection.commit();
                }
                statements.incrementAndGet();
            }
            catch (SQLException | RuntimeException | AssertionError ex) {
                failures.computeIfAbsent("shard " + shard + (primary ? " primary" : " replica") + " holder",
                        (key) -> new AtomicReference<>(ex));
            }
        }
    }

    private static void load(DdmDataSource dataSource, int busy, int thread, AtomicBoolean running, AtomicLong statements,
            Map<String, AtomicReference<Throwable>> failures) {
        long n = 0;
        while (running.get()) {
            long k = 40 + busy * 100_000_000L + thread * 1_000_000L + n;
            int shard = (int) (k % SHARDS);
            n++;
            if (shard == busy) {
                continue;
            }
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t_kv (k, v) VALUES (?, ?)")) {
                    insert.setLong(1, k);
                    insert.setString(2, "v" + k);
                    insert.executeUpdate();
                }
                try (PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
                    select.setLong(1, k % 40);
                    try (ResultSet rows = select.executeQuery()) {
                        assertThat(rows.next()).as("row %s", k % 40).isTrue();
                    }
                }
                statements.addAndGet(2);
            }
            catch (SQLException | RuntimeException | AssertionError ex) {
                failures.computeIfAbsent("shard " + shard, (key) -> new AtomicReference<>(ex));
            }
        }
    }

}
