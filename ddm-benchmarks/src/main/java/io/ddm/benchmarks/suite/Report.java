package io.ddm.benchmarks.suite;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

import io.ddm.benchmarks.InterleavedRounds.Measurement;
import io.ddm.benchmarks.suite.BenchmarkSuite.Variant;
import io.ddm.benchmarks.suite.StartupComparison.Kind;
import io.ddm.benchmarks.suite.StartupComparison.Start;

/** The suite's results as Markdown: environment, one row per workload and contender, the ratios, the startup. */
public final class Report {

    private final BenchmarkSuite.Options options;

    private final Map<String, String> environment;

    private final String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

    private List<String> checks = List.of();

    private List<Measurement<Variant>> measurements = List.of();

    private Map<Kind, List<Start>> startups = Map.of();

    private Duration duration;

    Report(BenchmarkSuite.Options options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    void setChecks(List<String> checks) {
        this.checks = checks;
    }

    void setMeasurements(List<Measurement<Variant>> measurements) {
        this.measurements = measurements;
    }

    void setStartups(Map<Kind, List<Start>> startups) {
        this.startups = startups;
    }

    void setDuration(Duration duration) {
        this.duration = duration;
    }

    public List<Measurement<Variant>> measurements() {
        return this.measurements;
    }

    public Map<Kind, List<Start>> startups() {
        return this.startups;
    }

    /**
     * The measurement of one workload and contender.
     * @param workload the workload
     * @param contender the contender's name
     * @return the measurement, empty when that contender did not run
     */
    public Optional<Measurement<Variant>> find(Workload workload, String contender) {
        return this.measurements.stream().filter((m) -> m.key().workload() == workload && m.key().contender().equals(contender))
                .findFirst();
    }

    /**
     * The report.
     * @return Markdown
     */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# DDM benchmark suite: results\n\n");
        out.append("Run ").append(this.date);
        if (this.duration != null) {
            out.append(", ").append(this.duration.toSeconds()).append(" s in all");
        }
        out.append(". Options: `").append(this.options.commandLine()).append("`.\n\n");
        this.environment.forEach((name, value) -> out.append("- ").append(name).append(": ").append(value).append('\n'));
        out.append("\nEvery workload and contender ran interleaved in one JVM: ").append(this.options.warmupRounds())
                .append(" warm-up and ").append(this.options.rounds()).append(" measured rounds of ").append(this.options.sliceMillis())
                .append(" ms per variant, in a new random order each round. Each operation borrows a connection, prepares,")
                .append(" executes, reads and closes; p50/p99 are of single operations.\n\n");
        appendMeasurements(out);
        appendRatios(out);
        appendCpuDifferences(out);
        appendStartups(out);
        out.append("\nChecked before measuring:\n\n");
        this.checks.forEach((check) -> out.append("- ").append(check).append('\n'));
        return out.toString();
    }

    private void appendMeasurements(StringBuilder out) {
        out.append("## Throughput and latency\n\n");
        out.append("CPU µs/op: CPU time of the threads that ran the operations, per operation (not other threads: ShardingSphere's")
                .append(" executor for statements over several shards, the garbage collector, the compiler).\n\n");
        out.append("| workload | threads | contender | ops/s | p50 µs | p99 µs | operations | CPU µs/op |\n");
        out.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (Measurement<Variant> m : this.measurements) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.1f | %.1f | %d | %.1f |%n", m.key().workload().description(),
                    m.threads(), m.key().contender(), m.opsPerSecond(), m.p50Micros(), m.p99Micros(), m.operations(), m.cpuMicros()));
        }
    }

    private void appendCpuDifferences(StringBuilder out) {
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {BenchmarkSuite.DDM, "direct", "DDM - direct"});
        columns.add(new String[] {BenchmarkSuite.DDM_METRICS, BenchmarkSuite.DDM, "metrics on - off"});
        columns.add(new String[] {BenchmarkSuite.DDM, "shardingsphere", "DDM - ShardingSphere"});
        columns.removeIf((column) -> !measured(column[0]) || !measured(column[1]));
        if (columns.isEmpty()) {
            return;
        }
        out.append("\n## CPU per operation\n\n");
        out.append("Differences of CPU µs/op (above): what one operation costs the calling thread more (negative: less) than with")
                .append(" the second contender. Less sensitive than throughput to other load on the machine.\n\n");
        StringBuilder header = new StringBuilder("| workload |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String[] column : columns) {
            header.append(' ').append(column[2]).append(" µs |");
            rule.append("---:|");
        }
        out.append(header).append('\n').append(rule).append('\n');
        for (Workload workload : this.options.workloads()) {
            out.append("| ").append(workload.description()).append(" |");
            for (String[] column : columns) {
                out.append(' ').append(compare(workload, column[0], column[1],
                        (a, b) -> String.format(Locale.ROOT, "%+.1f", a.cpuMicros() - b.cpuMicros()))).append(" |");
            }
            out.append('\n');
        }
    }

    private void appendRatios(StringBuilder out) {
        // First over second, and the column's title.
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {BenchmarkSuite.DDM, "direct", "DDM / direct"});
        columns.add(new String[] {BenchmarkSuite.DDM_METRICS, "direct", "DDM+metrics / direct"});
        columns.add(new String[] {BenchmarkSuite.DDM, "shardingsphere", "DDM / ShardingSphere"});
        columns.add(new String[] {BenchmarkSuite.DDM_FAST_PATH_OFF, "shardingsphere", "fast path off / ShardingSphere"});
        columns.add(new String[] {BenchmarkSuite.DDM_METRICS, BenchmarkSuite.DDM, "metrics on / off"});
        columns.add(new String[] {BenchmarkSuite.DDM_FAST_PATH_OFF, BenchmarkSuite.DDM, "fast path off / on"});
        columns.add(new String[] {BenchmarkSuite.DDM_PREVIOUS_DEFAULTS, BenchmarkSuite.DDM, "previous defaults / DDM"});
        this.options.ddmVariants().keySet()
            .forEach((variant) -> columns.add(new String[] {variant, BenchmarkSuite.DDM, variant + " / DDM"}));
        columns.removeIf((column) -> !measured(column[0]) || !measured(column[1]));
        out.append("\n## Ratios\n\n");
        out.append("Time ratios are p50 latency of the first over the second (above 1: the first is slower); throughput ratios are")
                .append(" ops/s of the first over the second (below 1: the first is slower). Throughput ratios are paired by round:")
                .append(" every round runs every workload and contender once, so each measured round gives one ratio of the two")
                .append(" contenders' ops/s in that round; shown is the median of these per-round ratios with the lower and upper")
                .append(" quartile in parentheses, e.g. `0.91 (0.88-0.94)`. p50 ratios are of all measured operations.\n\n");
        StringBuilder header = new StringBuilder("| workload |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String[] column : columns) {
            header.append(' ').append(column[2]).append(" p50 | ").append(column[2]).append(" ops/s |");
            rule.append("---:|---:|");
        }
        out.append(header).append('\n').append(rule).append('\n');
        for (Workload workload : this.options.workloads()) {
            out.append("| ").append(workload.description()).append(" |");
            for (String[] column : columns) {
                out.append(' ').append(ratio(workload, column[0], column[1], Measurement::p50Micros)).append(" | ")
                        .append(pairedRatio(workload, column[0], column[1])).append(" |");
            }
            out.append('\n');
        }
    }

    private boolean measured(String contender) {
        return this.measurements.stream().anyMatch((m) -> m.key().contender().equals(contender));
    }

    /**
     * A ratio of two contenders' measurements of a workload.
     * @param workload the workload
     * @param first the numerator's contender
     * @param second the denominator's contender
     * @param value what is compared
     * @return e.g. {@code 1.23}, or {@code -} when one did not run
     */
    String ratio(Workload workload, String first, String second, ToDoubleFunction<Measurement<Variant>> value) {
        return compare(workload, first, second,
                (a, b) -> String.format(Locale.ROOT, "%.2f", value.applyAsDouble(a) / value.applyAsDouble(b)));
    }

    /**
     * The throughput ratio of two contenders for a workload, paired by round: every round ran both once, so the ratio
     * of their ops/s in the same round is free of what changed between rounds (other load on the machine).
     * @param workload the workload
     * @param first the numerator's contender
     * @param second the denominator's contender
     * @return the median of the per-round ratios with the lower and upper quartile, e.g. {@code 0.91 (0.88-0.94)}, or
     * {@code -} when one did not run
     */
    String pairedRatio(Workload workload, String first, String second) {
        return compare(workload, first, second, (a, b) -> {
            double[] numerators = a.roundOpsPerSecond();
            double[] denominators = b.roundOpsPerSecond();
            double[] ratios = IntStream.range(0, Math.min(numerators.length, denominators.length))
                    .mapToDouble((round) -> numerators[round] / denominators[round]).sorted().toArray();
            if (ratios.length == 0) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", quantile(ratios, 0.50), quantile(ratios, 0.25), quantile(ratios, 0.75));
        });
    }

    /** A comparison of two contenders' measurements of a workload, or {@code -} when one did not run. */
    private String compare(Workload workload, String first, String second,
            BiFunction<Measurement<Variant>, Measurement<Variant>, String> comparison) {
        Optional<Measurement<Variant>> a = find(workload, first);
        Optional<Measurement<Variant>> b = find(workload, second);
        if (a.isEmpty() || b.isEmpty()) {
            return "-";
        }
        return comparison.apply(a.get(), b.get());
    }

    private void appendStartups(StringBuilder out) {
        if (this.startups.isEmpty()) {
            return;
        }
        out.append("\n## Startup and heap\n\n");
        out.append("A minimal Spring Boot application (auto-configuration, no web server), started in a fresh JVM per measurement,")
                .append(" the kinds alternating; ready = from `SpringApplication.run` to the result of a first query; heap =")
                .append(" used after startup and `System.gc()`. Medians, with the range.\n\n");
        out.append("| application | starts | ready ms | JVM uptime when ready ms | heap after GC MiB |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        this.startups.forEach((kind, starts) -> out.append(String.format(Locale.ROOT, "| %s (%s) | %d | %s | %s | %s |%n", kind,
                starts.get(0).dataSourceClass(), starts.size(), summary(starts, Start::readyMillis, 1),
                summary(starts, (s) -> s.uptimeMillis(), 1), summary(starts, (s) -> s.heapBytes() / (1024.0 * 1024), 1))));
        List<Start> ddm = this.startups.get(Kind.DDM);
        out.append('\n');
        for (Kind other : List.of(Kind.PLAIN_DATASOURCE, Kind.SHARDINGSPHERE_DRIVER)) {
            List<Start> starts = this.startups.get(other);
            if (ddm != null && starts != null) {
                out.append(String.format(Locale.ROOT, "DDM / %s: ready %.2f, heap %.2f (%+.1f MiB).%n", other,
                        median(ddm, Start::readyMillis) / median(starts, Start::readyMillis),
                        median(ddm, (s) -> s.heapBytes()) / median(starts, (s) -> s.heapBytes()),
                        (median(ddm, (s) -> s.heapBytes()) - median(starts, (s) -> s.heapBytes())) / (1024.0 * 1024)));
            }
        }
    }

    private static String summary(List<Start> starts, ToDoubleFunction<Start> value, int decimals) {
        double min = starts.stream().mapToDouble(value).min().orElse(Double.NaN);
        double max = starts.stream().mapToDouble(value).max().orElse(Double.NaN);
        String format = "%." + decimals + "f (%." + decimals + "f–%." + decimals + "f)";
        return String.format(Locale.ROOT, format, median(starts, value), min, max);
    }

    static double median(List<Start> starts, ToDoubleFunction<Start> value) {
        return quantile(starts.stream().mapToDouble(value).sorted().toArray(), 0.50);
    }

    /**
     * A quantile of sorted values, interpolated linearly between the two nearest (so the 0.5 quantile of an even
     * number of values is the mean of the middle two).
     * @param sorted the values, ascending
     * @param fraction the quantile, {@code 0} to {@code 1}
     * @return the quantile, NaN when there are no values
     */
    static double quantile(double[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        if (position == below) {
            return sorted[below];
        }
        return sorted[below] + (position - below) * (sorted[below + 1] - sorted[below]);
    }

}
