package io.ddm.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.ddm.benchmarks.InterleavedRounds;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The benchmark suite: DDM against direct JDBC and stock ShardingSphere-JDBC on real servers (2 nodes, each with a
 * replica, 8 shards, 4 tables per shard), every workload and contender interleaved in one JVM
 * ({@link InterleavedRounds}), then the startup comparison in fresh JVMs. Writes a Markdown report.
 *
 * <p>Run: {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.suite.BenchmarkSuite [--name=value ...]}
 * with the options of {@link Options}.
 */
public final class BenchmarkSuite {

    /** The contender the ratios are about. */
    static final String DDM = "ddm";

    /** DDM with its Micrometer instrumentation bound. */
    static final String DDM_METRICS = "ddm+metrics";

    /** DDM with its fast path off: every statement through ShardingSphere. */
    static final String DDM_FAST_PATH_OFF = "ddm-fast-path-off";

    /** DDM with the Connector/J settings it used before it set the suite's findings as defaults. */
    static final String DDM_PREVIOUS_DEFAULTS = "ddm-previous-defaults";

    /**
     * Connector/J's own values of the settings DDM now defaults differently (see {@code PhysicalDataSources}): given
     * explicitly, as a user would, they restore DDM's previous behaviour, because a user's setting always wins.
     */
    static final Map<String, String> PREVIOUS_DEFAULTS = Map.of("rewriteBatchedStatements", "false", "cachePrepStmts", "false");

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite and writes the report.
     * @param args options {@code --name=value}, see {@link Options}
     * @throws Exception on a failure of a server, a contender or a check
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Instant started = Instant.now();
        DatabaseTopology topology = DatabaseServers.topology(2, 1);
        Report report = run(topology, options);
        report.setDuration(Duration.between(started, Instant.now()));
        String markdown = report.markdown();
        Path out = options.out();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    /**
     * Loads the data, opens the contenders, checks them, measures every workload and the startup.
     * @param topology the servers
     * @param options the options
     * @return the report
     * @throws Exception on a failure of a server, a contender or a check
     */
    public static Report run(DatabaseTopology topology, Options options) throws Exception {
        BenchmarkData data = new BenchmarkData(options.users());
        log("loading %d orders into %d shards on %s", data.users() * BenchmarkData.ORDERS_PER_USER, BenchmarkData.SHARDS, topology);
        data.load(topology);
        Report report = new Report(options, Environment.describe(topology));
        List<Contender> contenders = new ArrayList<>();
        Path directory = Files.createTempDirectory("ddm-benchmarks");
        Path yaml = directory.resolve("stock-shardingsphere.yaml");
        try {
            Files.writeString(yaml, Contenders.shardingSphereYaml(topology));
            open(topology, options, yaml, contenders);
            AtomicLong logIds = new AtomicLong();
            report.setChecks(ContenderCheck.run(contenders, data, topology, logIds));
            List<DeletePool> deletes = deletePools(topology, options, data, contenders, logIds);
            InterleavedRounds<Variant> rounds = new InterleavedRounds<>();
            int maxThreads = 1;
            for (Workload workload : options.workloads()) {
                maxThreads = Math.max(maxThreads, workload.threads());
                for (int c = 0; c < contenders.size(); c++) {
                    Contender contender = contenders.get(c);
                    rounds.add(new Variant(workload, contender.name()), workload.operations(contender, data, logIds, deletes.get(c), c));
                }
            }
            log("%d variants x (%d + %d) rounds x %d ms", options.workloads().size() * contenders.size(), options.warmupRounds(),
                    options.rounds(), options.sliceMillis());
            ExecutorService executor = Executors.newFixedThreadPool(maxThreads);
            try {
                report.setMeasurements(rounds.run(executor, options.rounds(), options.sliceMillis(), options.warmupRounds(), 42));
            }
            finally {
                executor.shutdownNow();
                contenders.forEach(Contender::close);
                contenders.clear();
            }
            if (options.startupRuns() > 0) {
                log("startup: %d fresh JVMs of each application", options.startupRuns() + ((options.startupRuns() > 1) ? 1 : 0));
                report.setStartups(StartupComparison.run(topology, options.startupRuns(), yaml));
            }
        }
        finally {
            contenders.forEach(Contender::close);
            Files.deleteIfExists(yaml);
            Files.deleteIfExists(directory);
        }
        return report;
    }

    private static void open(DatabaseTopology topology, Options options, Path shardingSphereYaml, List<Contender> contenders)
            throws SQLException, IOException {
        LogicalContender ddm = Contenders.ddm(DDM, Contenders.ddmProperties(topology, Map.of()), false);
        contenders.add(Contenders.direct(topology, Contenders.driverProperties(ddm)));
        contenders.add(ddm);
        contenders.add(Contenders.ddm(DDM_METRICS, Contenders.ddmProperties(topology, Map.of()), true));
        contenders.add(Contenders.ddm(DDM_FAST_PATH_OFF, Contenders.ddmProperties(topology, Map.of("ddm.fast-path.enabled", "false")),
                false));
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        if (options.previousDefaults() && !PREVIOUS_DEFAULTS.isEmpty()) {
            variants.put(DDM_PREVIOUS_DEFAULTS, PREVIOUS_DEFAULTS);
        }
        variants.putAll(options.ddmVariants());
        for (Map.Entry<String, Map<String, String>> variant : variants.entrySet()) {
            Map<String, String> properties = Contenders.ddmProperties(topology, driverSettings(topology, variant.getValue()));
            contenders.add(Contenders.ddm(variant.getKey(), properties, false));
        }
        contenders.add(Contenders.shardingSphere(shardingSphereYaml));
    }

    /** The rows each contender's {@link Workload#POINT_DELETE} deletes, loaded now; empty pools when it does not run. */
    private static List<DeletePool> deletePools(DatabaseTopology topology, Options options, BenchmarkData data,
            List<Contender> contenders, AtomicLong logIds) throws SQLException {
        int rows = options.workloads().contains(Workload.POINT_DELETE) ? DeletePool.rowsFor(options) : 0;
        if (rows > 0) {
            log("loading %d rows to delete for each of %d contenders", rows, contenders.size());
        }
        List<DeletePool> result = new ArrayList<>();
        for (int c = 0; c < contenders.size(); c++) {
            // Seeds of their own: the workloads' threads use c * 1,000 + thread.
            result.add(DeletePool.load(topology, data, contenders.get(c).name(), rows, logIds, -1 - c));
        }
        return result;
    }

    /** Connector/J properties as every node's {@code pool.data-source-properties} (the replicas inherit them). */
    private static Map<String, String> driverSettings(DatabaseTopology topology, Map<String, String> driverProperties) {
        Map<String, String> result = new LinkedHashMap<>();
        topology.primaries().forEach((primary) -> driverProperties.forEach((name, value) -> result
                .put("ddm.nodes." + primary.name() + ".pool.data-source-properties." + name, value)));
        return result;
    }

    static void log(String format, Object... args) {
        System.out.printf("# " + format + "%n", args);
    }

    /**
     * One workload run by one contender.
     * @param workload the workload
     * @param contender the contender's name
     */
    public record Variant(Workload workload, String contender) {

        @Override
        public String toString() {
            return this.workload + " by " + this.contender;
        }

    }

    /**
     * The suite's options, {@code --name=value}.
     * @param rounds measured rounds ({@code --rounds}, default 10)
     * @param sliceMillis time of one variant in one round ({@code --slice-ms}, default 500)
     * @param warmupRounds rounds run first and not measured ({@code --warmup-rounds}, default 2)
     * @param users users of the data, 20 orders each ({@code --users}, default 2,000)
     * @param startupRuns measured starts of each application, 0 for none ({@code --startup-runs}, default 5)
     * @param workloads the workloads ({@code --workloads=POINT_SELECT,RANGE}, default all)
     * @param previousDefaults whether DDM with its previous Connector/J defaults runs too ({@code --previous-defaults},
     * default true)
     * @param out the report file ({@code --out}, default {@code benchmark-results.md} next to the benchmarks jar)
     * @param ddmVariants more DDM contenders, to try driver settings: {@code --variant.NAME=prop=value,prop=value} adds
     * contender {@code NAME} with these Connector/J properties on every pool
     */
    public record Options(int rounds, int sliceMillis, int warmupRounds, int users, int startupRuns, List<Workload> workloads,
            boolean previousDefaults, Path out, Map<String, Map<String, String>> ddmVariants) {

        private static final String VARIANT = "variant.";

        /**
         * Parses the command line.
         * @param args {@code --name=value} arguments
         * @return the options
         */
        public static Options parse(String... args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("Expected --name=value, got " + arg);
                }
                values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            Options result = new Options(Integer.parseInt(values.getOrDefault("rounds", "10")),
                    Integer.parseInt(values.getOrDefault("slice-ms", "500")),
                    Integer.parseInt(values.getOrDefault("warmup-rounds", "2")),
                    Integer.parseInt(values.getOrDefault("users", Integer.toString(BenchmarkData.DEFAULT_USERS))),
                    Integer.parseInt(values.getOrDefault("startup-runs", "5")),
                    values.containsKey("workloads")
                            ? Arrays.stream(values.get("workloads").split(",")).map(Workload::valueOf).toList()
                            : List.of(Workload.values()),
                    Boolean.parseBoolean(values.getOrDefault("previous-defaults", "true")),
                    values.containsKey("out") ? Path.of(values.get("out")) : defaultOut(), variants(values));
            values.keySet().removeAll(List.of("rounds", "slice-ms", "warmup-rounds", "users", "startup-runs", "workloads",
                    "previous-defaults", "out"));
            values.keySet().removeIf((name) -> name.startsWith(VARIANT));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("Unknown options " + values.keySet());
            }
            return result;
        }

        private static Map<String, Map<String, String>> variants(Map<String, String> values) {
            Map<String, Map<String, String>> result = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                if (name.startsWith(VARIANT)) {
                    Map<String, String> properties = new LinkedHashMap<>();
                    for (String setting : value.split(",")) {
                        properties.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
                    }
                    result.put(name.substring(VARIANT.length()), properties);
                }
            });
            return result;
        }

        private static Path defaultOut() {
            try {
                Path location = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return location.getParent().resolve("benchmark-results.md");
            }
            catch (Exception ex) {
                return Path.of("benchmark-results.md");
            }
        }

        /**
         * The options as a command line, for the report.
         * @return {@code --rounds=10 ...}
         */
        String commandLine() {
            return "--rounds=" + this.rounds + " --slice-ms=" + this.sliceMillis + " --warmup-rounds=" + this.warmupRounds
                    + " --users=" + this.users + " --startup-runs=" + this.startupRuns + " --previous-defaults=" + this.previousDefaults
                    + this.ddmVariants.entrySet().stream().map((variant) -> " --" + VARIANT + variant.getKey() + "="
                            + variant.getValue().entrySet().stream().map(Object::toString).collect(Collectors.joining(",")))
                            .collect(Collectors.joining());
        }

    }

}
