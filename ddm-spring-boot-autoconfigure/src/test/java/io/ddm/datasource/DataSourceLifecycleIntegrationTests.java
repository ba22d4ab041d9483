package io.ddm.datasource;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.ddm.config.DdmProperties;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Closing a DDM data source, and a start that fails part-way, release everything it had started: ShardingSphere's
 * data source, the shard pools, the check connections, the monitors, the worker id lease and all their threads.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataSourceLifecycleIntegrationTests {

    private static final String SCHEMA = "it_lifecycle";

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @Test
    void closeStopsEveryThreadTheDataSourceStarted() throws Exception {
        long shardingSphereThreads = shardingSphereThreads();
        DdmProperties properties = properties();
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties)) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)",
                    "INSERT INTO t_kv (k, v) VALUES (1, 'one')", "SELECT * FROM t_kv");
            DdmOnServers.await(() -> dataSource.getReplicaMonitor().orElseThrow().states().values().stream()
                .allMatch((state) -> state.consecutiveSuccesses() > 0), () -> "replica checks ran");
            assertThat(threadsOf(SCHEMA)).as("threads while running")
                .anySatisfy((name) -> assertThat(name).startsWith("ddm-primary-monitor"))
                .anySatisfy((name) -> assertThat(name).startsWith("ddm-replica-monitor"))
                .anySatisfy((name) -> assertThat(name).startsWith("ddm-server-check"));
        }
        awaitNoThreadsOf(SCHEMA, shardingSphereThreads);
    }

    @Test
    void aStartThatFailsAfterOpeningThePoolsLeavesNothingRunning() {
        long shardingSphereThreads = shardingSphereThreads();
        DdmProperties properties = properties();
        // ShardingSphere rejects it when it starts, after DDM has opened every pool.
        properties.getProps().put("max-connections-size-per-query", "not a number");
        assertThatException().isThrownBy(() -> DdmDataSourceFactory.create(properties))
            .withMessageContaining("max-connections-size-per-query");
        awaitNoThreadsOf(SCHEMA, shardingSphereThreads);
    }

    private DdmProperties properties() {
        DdmProperties properties = new DdmOnServers(this.topology, SCHEMA, 4, "?connectTimeout=5000&socketTimeout=60000")
            .table("t_kv", "k", "mod-hash", null, null, null)
            .properties();
        properties.getReadWriteSplitting().setReadYourWritesWindow(Duration.ofSeconds(1));
        properties.getReadWriteSplitting().getHealth().setInterval(Duration.ofMillis(200));
        return properties;
    }

    private static void awaitNoThreadsOf(String schema, long shardingSphereThreadsBefore) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threadsOf(schema).isEmpty() || shardingSphereThreads() > shardingSphereThreadsBefore) {
            if (System.nanoTime() > deadline) {
                assertThat(threadsOf(schema)).as("threads of '%s' left running", schema).isEmpty();
                assertThat(shardingSphereThreads()).as("ShardingSphere's threads").isLessThanOrEqualTo(shardingSphereThreadsBefore);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** Threads named after the schema: DDM's monitors and checks, and HikariCP's threads of its pools. */
    private static List<String> threadsOf(String schema) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter((name) -> name.contains(schema))
            .toList();
    }

    private static long shardingSphereThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .filter((thread) -> thread.getName().toLowerCase(Locale.ROOT).contains("shardingsphere"))
            .count();
    }

}
