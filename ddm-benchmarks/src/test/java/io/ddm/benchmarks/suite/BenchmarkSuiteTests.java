package io.ddm.benchmarks.suite;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

import io.ddm.benchmarks.InterleavedRounds.Measurement;
import io.ddm.benchmarks.suite.BenchmarkSuite.Variant;
import io.ddm.benchmarks.suite.StartupComparison.Kind;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test so the suite cannot rot: the whole suite on a small data set, one 20 ms round per variant and one start of
 * each application. Every contender must return the same rows and write to the same physical tables (the suite checks
 * that before measuring and fails otherwise), every workload must run for every contender, and the report must show
 * them all. Measures nothing.
 */
class BenchmarkSuiteTests {

    @Test
    void everyWorkloadRunsForEveryContenderWithTheSameResults() throws Exception {
        DatabaseTopology topology = DatabaseServers.topology(2, 1);
        // One warm-up slice per variant and 100 ms slices: every variant must complete an operation in its slice, and a
        // 20 ms slice without warm-up once saw none for a 16-thread variant on a busy machine (a pause longer than it).
        BenchmarkSuite.Options options = BenchmarkSuite.Options.parse("--rounds=1", "--slice-ms=100", "--warmup-rounds=1", "--users=100",
                "--startup-runs=1");
        Report report = BenchmarkSuite.run(topology, options);

        List<String> contenders = report.measurements().stream().map((m) -> m.key().contender()).distinct().toList();
        assertThat(contenders).contains("direct", BenchmarkSuite.DDM, BenchmarkSuite.DDM_METRICS, "shardingsphere");
        assertThat(report.measurements()).hasSize(Workload.values().length * contenders.size());
        assertThat(report.measurements()).allSatisfy((m) -> {
            assertThat(m.operations()).as(m.key().toString()).isPositive();
            assertThat(m.p99Micros()).as(m.key().toString()).isGreaterThanOrEqualTo(m.p50Micros()).isPositive();
            assertThat(m.roundOpsPerSecond()).as(m.key().toString()).hasSize(1);
            assertThat(m.roundOpsPerSecond()[0]).as(m.key().toString()).isPositive();
            assertThat(m.cpuMicros()).as(m.key().toString()).isPositive();
        });
        assertThat(report.startups().get(Kind.DDM)).singleElement()
                .satisfies((start) -> assertThat(start.dataSourceClass()).isEqualTo("io.ddm.datasource.DdmDataSource"));
        assertThat(report.startups().get(Kind.SHARDINGSPHERE_DRIVER)).singleElement()
                .satisfies((start) -> assertThat(start.dataSourceClass()).isEqualTo("com.zaxxer.hikari.HikariDataSource"));
        assertThat(report.startups().get(Kind.PLAIN_DATASOURCE)).singleElement()
                .satisfies((start) -> assertThat(start.dataSourceClass()).isEqualTo("com.zaxxer.hikari.HikariDataSource"));

        String markdown = report.markdown();
        for (Workload workload : Workload.values()) {
            assertThat(markdown).contains("| " + workload.description() + " | " + workload.threads() + " | shardingsphere |");
            // The ratios' row: DDM / direct p50, then its throughput ratio paired by round, with its quartiles.
            assertThat(markdown).containsPattern("\\| " + Pattern.quote(workload.description())
                    + " \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d-\\d+\\.\\d\\d\\) \\|");
        }
        assertThat(markdown).contains("DDM / direct p50", "DDM / ShardingSphere p50", "metrics on / off p50", "DDM / PLAIN_DATASOURCE",
                "DDM / SHARDINGSPHERE_DRIVER",
                "shardingsphere wrote 33 rows, each to the physical table of DDM's formula",
                "shardingsphere deleted 17 of them by sharding key, each exactly its row");
    }

    @Test
    void throughputRatiosAreTheMedianAndQuartilesOfTheRoundsRatios() {
        Report report = new Report(BenchmarkSuite.Options.parse("--rounds=3", "--workloads=POINT_SELECT"), Map.of());
        // Per round 0.5, 1.5 and 2.0; the totals' ratio would be 400 / 300.
        report.setMeasurements(List.of(measurement("direct", 1.0, 100, 100, 100), measurement(BenchmarkSuite.DDM, 2.0, 50, 150, 200)));

        assertThat(report.pairedRatio(Workload.POINT_SELECT, BenchmarkSuite.DDM, "direct")).isEqualTo("1.50 (1.00-1.75)");
        assertThat(report.ratio(Workload.POINT_SELECT, BenchmarkSuite.DDM, "direct", Measurement::p50Micros)).isEqualTo("2.00");
        assertThat(report.pairedRatio(Workload.POINT_SELECT, BenchmarkSuite.DDM, "shardingsphere")).isEqualTo("-");
        assertThat(report.markdown()).contains("| workload | DDM / direct p50 | DDM / direct ops/s |\n",
                "| point select by sharding key | 2.00 | 1.50 (1.00-1.75) |\n");
    }

    @Test
    void cpuDifferencesAreOfTheCpuTimePerOperation() {
        Report report = new Report(BenchmarkSuite.Options.parse("--rounds=3", "--workloads=POINT_SELECT"), Map.of());
        // CPU µs/op: direct 1.0 (from its p50 in this fixture), DDM 2.0.
        report.setMeasurements(List.of(measurement("direct", 1.0, 100, 100, 100), measurement(BenchmarkSuite.DDM, 2.0, 50, 150, 200)));

        assertThat(report.markdown()).contains("| point select by sharding key | 1 | ddm | 133 | 2.0 | 2.0 | 1000 | 2.0 |\n",
                "| workload | DDM - direct µs |\n", "| point select by sharding key | +1.0 |\n");
    }

    @Test
    void stockShardingSphereYamlHasEveryDataSourceAndTheInlineRouting() throws Exception {
        String yaml = Contenders.shardingSphereYaml(DatabaseServers.topology(2, 1));
        assertThat(yaml).doesNotContain("{{");
        assertThat(yaml.lines().filter((line) -> line.contains("dataSourceClassName: com.zaxxer.hikari.HikariDataSource")))
                .hasSize(BenchmarkData.SHARDS * 2);
        assertThat(yaml).contains("actualDataNodes: bench_0.t_order_${0..3},bench_1.t_order_${4..7},", "bench_7.t_order_log_${28..31}",
                "algorithm-expression: " + BenchmarkData.DATABASE_EXPRESSION,
                "algorithm-expression: t_order_" + BenchmarkData.TABLE_EXPRESSION);
    }

    private static Measurement<Variant> measurement(String contender, double p50Micros, double... roundOpsPerSecond) {
        return new Measurement<>(new Variant(Workload.POINT_SELECT, contender), 1, 1_000, DoubleStream.of(roundOpsPerSecond).average()
                .orElseThrow(), p50Micros, p50Micros, p50Micros, roundOpsPerSecond, p50Micros);
    }

}
