package io.ddm.benchmarks.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.benchmarks.suite.Contenders;
import io.ddm.benchmarks.suite.Environment;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The reliability suite: a mixed workload through DDM on real servers (2 nodes, each a primary with a replica, 4
 * shards of 2 tables) while a schedule kills, freezes and restarts primaries and replicas and saturates a pool
 * ({@link FaultPhase}). Counts statements per phase and failures by cause, times DDM's detection and recovery, and at
 * the end reads every physical table on the primaries to count acknowledged writes lost and writes duplicated.
 * Writes a Markdown report; exits with 1 when a write was lost or duplicated (or a transaction torn, or a row
 * misplaced), else 0.
 *
 * <p>Run: {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.reliability.ReliabilitySuite
 * [--duration 8m] [--name=value ...]} with the options of {@link ReliabilityOptions}.
 */
public final class ReliabilitySuite {

    private ReliabilitySuite() {
    }

    /**
     * Runs the suite on servers of its own and writes the report.
     * @param args options, see {@link ReliabilityOptions}
     * @throws Exception on a failure of a server or of the suite itself
     */
    public static void main(String[] args) throws Exception {
        // HikariCP logs every connection broken by a fault with its stack trace; the report counts them instead.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection", "error");
        ReliabilityOptions options = ReliabilityOptions.parse(args);
        boolean passed;
        try (DatabaseTopology topology = DatabaseServers.newTopology(2, 1)) {
            ReliabilityReport report = run(topology, options);
            String markdown = report.markdown();
            Path out = options.out();
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown);
            System.out.println(markdown);
            System.out.println("Written to " + out.toAbsolutePath());
            passed = report.passed();
        }
        System.exit(passed ? 0 : 1);
    }

    /**
     * Runs the schedule under the workload and audits the writes. Leaves every server running, with its data.
     * @param topology the servers: 2 primaries with a replica each
     * @param options the options
     * @return the report
     * @throws Exception on a failure of a server or of the suite itself
     */
    static ReliabilityReport run(DatabaseTopology topology, ReliabilityOptions options) throws Exception {
        Instant started = Instant.now();
        topology.resetData(ReliabilityData.SCHEMA + "_");
        Map<String, String> properties = new LinkedHashMap<>(ReliabilityData.tableProperties());
        properties.putAll(Contenders.nodeProperties(topology, options.poolSize(), options.urlParameters()));
        DdmProperties ddm = Contenders.bind(properties);
        Duration unit = options.unit();
        // Everything the run waits for, at most: warm-up, the phases, every grace, the saturation's own bound.
        Duration bound = options.duration().plus(ScheduleRunner.WARM_UP_TIME).plus(ScheduleRunner.DETECTION_GRACE
                .plus(ScheduleRunner.RECOVERY_GRACE).plus(Duration.ofSeconds(30)).multipliedBy(options.phases().size()));
        ReliabilityReport report = new ReliabilityReport(options, Environment.describe(topology), started);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(ddm)) {
            DdmView view = new DdmView(dataSource);
            if (!view.monitorsRunning()) {
                throw new IllegalStateException("DDM's primary and replica checks must be on for the suite");
            }
            report.setSettings(settings(ddm, view, topology, options));
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(ReliabilityData.CREATE_TABLE);
            }
            WriterLedger setup = new WriterLedger(options.threads());
            long[] anchor = anchor(dataSource, setup);
            topology.awaitReplication();

            Windows windows = new Windows();
            ShardProgress progress = new ShardProgress();
            MixedWorkload workload = new MixedWorkload(dataSource, options.threads(), windows, progress, options.seed());
            MonitorObserver observer = new MonitorObserver(view, topology, windows, progress, bound);
            ScheduleRunner runner = new ScheduleRunner(topology, view, dataSource, windows, progress, observer, workload,
                    anchor);
            log("%d threads, %s per time unit, phases %s", options.threads(), unit, options.phases().stream().map(FaultPhase::id).toList());
            workload.start(bound);
            List<Timeline> timelines;
            try {
                timelines = runner.run(options.phases(), unit);
            }
            finally {
                windows.close();
                report.setStopped(workload.stop(Duration.ofMinutes(2)));
                observer.close();
            }
            report.setRun(windows.all(), timelines, runner, workload.crash());
            log("restoring every server and waiting for replication");
            topology.restore();
            List<WriterLedger> ledgers = new ArrayList<>(workload.ledgers());
            ledgers.add(setup);
            report.setAudit(WriteAudit.run(topology, ledgers));
        }
        finally {
            topology.restore();
        }
        report.setFinished(Instant.now());
        return report;
    }

    /** The row the saturation reads: one acknowledged row of the setup writer in the saturated shard. */
    private static long[] anchor(DdmDataSource dataSource, WriterLedger setup) throws Exception {
        int user = 0;
        while (ReliabilityData.shardOf(ReliabilityData.userId(setup.writer(), user)) != ScheduleRunner.SATURATED_SHARD) {
            user++;
        }
        int seq = setup.newRow(user, 0);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(MixedWorkload.INSERT)) {
            insert.setLong(1, setup.id(seq));
            insert.setLong(2, setup.userId(seq));
            insert.setInt(3, setup.writer());
            insert.executeUpdate();
        }
        setup.settleRow(seq, WriterLedger.ACKNOWLEDGED);
        return new long[] {setup.userId(seq), setup.id(seq)};
    }

    private static Map<String, String> settings(DdmProperties ddm, DdmView view, DatabaseTopology topology, ReliabilityOptions options) {
        Map<String, String> result = new LinkedHashMap<>();
        DdmProperties.PrimaryHealth primaries = ddm.getPrimaryHealth();
        DdmProperties.ReplicaHealth replicas = ddm.getReadWriteSplitting().getHealth();
        result.put("primary checks (DDM defaults)", "every " + primaries.getInterval().toMillis() + " ms, timeout "
                + primaries.getTimeout().toMillis() + " ms; one failed check records an outage, one passed check ends it");
        result.put("replica checks (DDM defaults)", "every " + replicas.getInterval().toMillis() + " ms, timeout "
                + replicas.getTimeout().toMillis() + " ms; out of rotation after " + replicas.getFailureThreshold()
                + " failed checks, back after " + replicas.getSuccessThreshold() + " passed");
        String primary = topology.primary(0).name();
        result.put("pools", "maximum-pool-size " + options.poolSize() + " per server, so " + view.poolSize(primary, 0)
                + " connections per shard database pool; HikariCP defaults otherwise (connection-timeout "
                + view.connectionTimeoutMillis() + " ms)");
        result.put("Connector/J URL parameters", options.urlParameters().isEmpty() ? "none (no socketTimeout: a statement on a frozen"
                + " server waits until it resumes)" : "`" + options.urlParameters() + "`");
        result.put("workload", options.threads() + " threads, each operation on a fresh logical connection: 45% point reads"
                + " (replicas), 25% inserts, 15% updates, 15% transactions of 2-3 inserts and 1 update on one shard; no retries");
        return result;
    }

    static void log(String format, Object... args) {
        System.out.printf("# " + format + "%n", args);
    }

}
