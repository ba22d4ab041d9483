package io.ddm.benchmarks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test so the benchmark harness cannot rot: every layout reads the right shard and sends the expected number of
 * {@code USE} statements, the interleaved rounds run one short round, and the JMH benchmarks run for 100 ms each in this
 * JVM. Measures nothing.
 */
class PoolLayoutBenchmarkTests {

    private static DatabaseServer server;

    @BeforeAll
    static void createShards() throws SQLException {
        server = DatabaseServers.topology(1, 0).primary(0);
        ShardDatabases.create(server);
        System.out.println(ShardDatabases.describe(server));
    }

    @Test
    void everyLayoutReadsTheRowOfTheRequestedShard() throws SQLException {
        for (Layout layout : Layout.values()) {
            try (ShardPools pools = ShardPools.open(layout, server)) {
                for (int shard = ShardDatabases.SHARDS - 1; shard >= 0; shard--) {
                    assertThat(pools.pointSelect(shard, 17)).as(layout.name())
                            .isEqualTo(ShardDatabases.rowName(ShardDatabases.NAMES.get(shard), 17));
                }
            }
        }
    }

    @Test
    void onlyTheSharedPoolSendsUseAndLocalSessionStateSkipsItOnTheSameShard() throws SQLException {
        assertThat(useStatements(Layout.PER_SHARD_POOLS, Access.ALTERNATING)).isZero();
        assertThat(useStatements(Layout.PER_SHARD_POOLS, Access.ONE_SHARD)).isZero();
        assertThat(useStatements(Layout.SHARED_POOL, Access.ALTERNATING)).isEqualTo(8);
        assertThat(useStatements(Layout.SHARED_POOL, Access.ONE_SHARD)).isEqualTo(8);
        assertThat(useStatements(Layout.SHARED_POOL_LOCAL_STATE, Access.ALTERNATING)).isEqualTo(8);
        assertThat(useStatements(Layout.SHARED_POOL_LOCAL_STATE, Access.ONE_SHARD)).isZero();
    }

    /** {@code USE} statements of 8 single-threaded point selects after one select on shard 0. */
    private static long useStatements(Layout layout, Access access) throws SQLException {
        try (ShardPools pools = ShardPools.open(layout, server)) {
            pools.pointSelect(0, 1);
            long before = ShardDatabases.changeDatabaseCount(server);
            for (int i = 1; i <= 8; i++) {
                pools.pointSelect((access == Access.ONE_SHARD) ? 0 : i % ShardDatabases.SHARDS, i);
            }
            return ShardDatabases.changeDatabaseCount(server) - before;
        }
    }

    @Test
    void interleavedRoundsMeasureEveryVariant() throws Exception {
        // 100 ms slices: a 20 ms slice once completed no operation for one variant on a machine with a load of 12 on
        // 2 cores (a pause longer than the slice), as the suite's smoke test had seen before.
        List<PoolLayoutRounds.Result> results = PoolLayoutRounds.run(server, 2, 1, 100, 1);
        assertThat(results).hasSize(Layout.values().length * Access.values().length);
        assertThat(results).allSatisfy((result) -> {
            assertThat(result.operations()).isPositive();
            assertThat(result.p99Micros()).isGreaterThanOrEqualTo(result.p50Micros()).isPositive();
        });
        assertThat(PoolLayoutRounds.table(2, results)).contains("SHARED_POOL_LOCAL_STATE", "ALTERNATING");
    }

    @Test
    void everyBenchmarkRuns() throws RunnerException {
        // One thread: every layout and access pattern. Four threads: every layout, one pattern (a 4-thread trial
        // costs about a second in a non-forked JMH run).
        Collection<RunResult> results = new ArrayList<>(runBriefly("oneThread", Access.values()));
        results.addAll(runBriefly("fourThreads", Access.ALTERNATING));
        assertThat(results).hasSize(Layout.values().length * (Access.values().length + 1));
        assertThat(results).allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());
    }

    private static Collection<RunResult> runBriefly(String method, Access... accesses) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(Pattern.quote(PoolLayoutBenchmark.class.getName() + "." + method) + "$")
                .param("access", Arrays.stream(accesses).map(Access::name).toArray(String[]::new))
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).run();
    }
}
