package io.ddm.benchmarks.reliability;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A run of the suite as Markdown: environment and settings, the schedule, one row per window, detection, the audit. */
public final class ReliabilityReport {

    private final ReliabilityOptions options;

    private final Map<String, String> environment;

    private final Instant started;

    private Instant finished;

    private Map<String, String> settings = Map.of();

    private List<Window> windows = List.of();

    private List<Timeline> timelines = List.of();

    private long saturationHeld;

    private long saturationFailed;

    private int saturationThreads;

    private Throwable crash;

    private boolean stopped = true;

    private WriteAudit audit;

    ReliabilityReport(ReliabilityOptions options, Map<String, String> environment, Instant started) {
        this.options = options;
        this.environment = environment;
        this.started = started;
    }

    void setSettings(Map<String, String> settings) {
        this.settings = settings;
    }

    void setRun(List<Window> windows, List<Timeline> timelines, ScheduleRunner runner, Throwable crash) {
        this.windows = windows;
        this.timelines = timelines;
        this.saturationHeld = runner.saturationHeld();
        this.saturationFailed = runner.saturationFailed();
        this.saturationThreads = runner.saturationThreads();
        this.crash = crash;
    }

    void setStopped(boolean stopped) {
        this.stopped = stopped;
    }

    void setAudit(WriteAudit audit) {
        this.audit = audit;
    }

    void setFinished(Instant finished) {
        this.finished = finished;
    }

    WriteAudit audit() {
        return this.audit;
    }

    List<Window> windows() {
        return this.windows;
    }

    List<Timeline> timelines() {
        return this.timelines;
    }

    /** A failure of the workload itself, {@code null} for none. */
    Throwable crash() {
        return this.crash;
    }

    /**
     * Whether the run counts: the audit passed, and the workload neither crashed nor hung.
     * @return {@code true} when nothing acknowledged was lost or duplicated
     */
    public boolean passed() {
        return this.audit != null && this.audit.passed() && this.crash == null && this.stopped;
    }

    /**
     * The report.
     * @return Markdown
     */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# DDM reliability suite: results\n\n");
        out.append("Run ").append(DateTimeFormatter.ISO_INSTANT.format(this.started.atOffset(ZoneOffset.UTC)));
        if (this.finished != null) {
            out.append(", ").append(Duration.between(this.started, this.finished).toSeconds()).append(" s in all");
        }
        out.append(" (phases ").append(String.format(Locale.ROOT, "%.0f", this.windows.stream().mapToDouble(Window::seconds).sum()))
                .append(" s). Options: `").append(this.options.commandLine()).append("`.\n\n");
        out.append("**").append(verdict()).append("**\n\n");
        this.environment.forEach((name, value) -> out.append("- ").append(name).append(": ").append(value).append('\n'));
        this.settings.forEach((name, value) -> out.append("- ").append(name).append(": ").append(value).append('\n'));
        appendSchedule(out);
        appendWindows(out);
        appendFailures(out);
        appendDetection(out);
        appendAudit(out);
        return out.toString();
    }

    private String verdict() {
        if (this.audit == null) {
            return "No audit: the run did not finish.";
        }
        String result = String.format(Locale.ROOT, "Acknowledged writes lost: %d. Writes duplicated: %d. Transactions torn: %d.",
                this.audit.lost(), this.audit.duplicated(), this.audit.tornTransactions());
        if (this.crash != null) {
            result += " The workload crashed: " + this.crash;
        }
        if (!this.stopped) {
            result += " Workload threads did not stop within 2 minutes of the end.";
        }
        return result + (passed() ? " PASSED." : " FAILED.");
    }

    private void appendSchedule(StringBuilder out) {
        out.append("\n## Schedule\n\n");
        out.append(String.format(Locale.ROOT, "Time unit %.1f s (the duration over the phases' units). A fault is held one unit, longer"
                + " (up to %d s more) until DDM has recorded it; then undone, and the phase runs one more unit, longer (up to %d s"
                + " more) until DDM has recorded the recovery and the workload wrote on the node's shards again. Before the first"
                + " phase, a warm-up of up to %d s.%n%n", this.options.unit().toMillis() / 1000.0,
                ScheduleRunner.DETECTION_GRACE.toSeconds(), ScheduleRunner.RECOVERY_GRACE.toSeconds(),
                ScheduleRunner.WARM_UP_TIME.toSeconds()));
        out.append("| # | phase | what |\n|---:|---|---|\n");
        for (int i = 0; i < this.options.phases().size(); i++) {
            FaultPhase phase = this.options.phases().get(i);
            String what = phase.description();
            if (phase == FaultPhase.SATURATE_POOL && this.saturationThreads > 0) {
                what += String.format(Locale.ROOT, " (%d threads; %d statements held their connection %d s, %d failed)",
                        this.saturationThreads, this.saturationHeld, ScheduleRunner.SATURATION_SLEEP.toSeconds(), this.saturationFailed);
            }
            out.append("| ").append(i + 1).append(" | ").append(phase.id()).append(" | ").append(what).append(" |\n");
        }
    }

    private void appendWindows(StringBuilder out) {
        out.append("\n## Statements per phase\n\n");
        out.append("Each fault phase in four windows: the fault injected but not yet recorded by DDM; recorded; undone (restart"
                + " or resume issued) but the recovery not yet recorded (or, for a primary, not yet written on); recovered. ");
        out.append("Operations counted in the window in which they started; ok / failed. A transaction is one operation of 4 or 5"
                + " statements. In doubt: writes whose `executeUpdate` or `commit` failed with a connection error (they may or"
                + " may not be stored; the audit tells). Stale: reads that found no row because the replica had not applied it"
                + " yet. Latencies are of whole operations, failed ones included.\n\n");
        out.append("| phase | window | s | reads | inserts | updates | transactions | in doubt | stale reads | ops/s | p99 ms"
                + " | longest ms |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        long[] totals = new long[2];
        for (Window window : this.windows) {
            StringBuilder row = new StringBuilder();
            row.append(String.format(Locale.ROOT, "| %s | %s | %.1f |", window.phase(), window.label(), window.seconds()));
            for (Operation operation : Operation.values()) {
                row.append(String.format(Locale.ROOT, " %d / %d |", window.succeeded(operation), window.failed(operation)));
            }
            long operations = window.succeeded() + window.failed();
            row.append(String.format(Locale.ROOT, " %d | %d | %.0f | %s | %.0f |", window.inDoubt(), window.staleReads(),
                    operations / Math.max(0.001, window.seconds()), millis(window.percentileMillis(99)), window.longestMillis()));
            out.append(row).append('\n');
            totals[0] += window.succeeded();
            totals[1] += window.failed();
        }
        out.append(String.format(Locale.ROOT, "%nIn all: %d operations succeeded, %d failed.%n", totals[0], totals[1]));
        out.append("\nThe longest operation of each window:\n\n| phase | window | longest ms | what |\n|---|---|---:|---|\n");
        for (Window window : this.windows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s |%n", window.phase(), window.label(), window.longestMillis(),
                    window.longestDescription()));
        }
        long misses = this.windows.stream().mapToLong(Window::updateMisses).sum();
        if (misses > 0) {
            out.append(String.format(Locale.ROOT, "%nUpdates of an acknowledged row that matched no row on its primary: %d.%n", misses));
        }
    }

    private void appendFailures(StringBuilder out) {
        out.append("\n## Failures by cause\n\n");
        Map<String, String> examples = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("| phase | window | operation | cause | count | in doubt |\n|---|---|---|---|---:|---:|\n");
        for (Window window : this.windows) {
            for (Window.Cause cause : window.causes()) {
                table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d |%n", window.phase(), window.label(),
                        cause.operation().plural(), escape(cause.key()), cause.count(), cause.inDoubt()));
                examples.putIfAbsent(cause.key(), cause.example());
            }
        }
        if (examples.isEmpty()) {
            out.append("No operation failed.\n");
            return;
        }
        out.append(table);
        out.append("\nOne message of each cause:\n\n");
        examples.forEach((key, example) -> out.append("- ").append(escape(key)).append(": `").append(example.replace('`', '\''))
                .append("`\n"));
    }

    private void appendDetection(StringBuilder out) {
        out.append("\n## Detection and recovery\n\n");
        out.append("Milliseconds, measured by polling DDM every ").append(MonitorObserver.POLL_MILLIS).append(" ms: from the fault to"
                + " DDM recording it (primary outage recorded, replica out of rotation, pool with waiting threads); how long the"
                + " restart or resume took (a restart returns once the server accepts connections); from issuing it to DDM"
                + " recording the recovery; and to the first write that succeeded on every shard of the node (primaries). Flaps:"
                + " the fault recorded again after it was first recorded. `-`: did not happen within the phase.\n\n");
        out.append("| phase | fault | recorded after | restart/resume took | recovered after | written again after | flaps |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Timeline timeline : this.timelines) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", timeline.phase().id(), timeline.fault()
                    + ((timeline.error != null) ? " (undo failed: " + escape(timeline.error) + ")" : ""),
                    millis(Timeline.millis(timeline.injected, timeline.detected)),
                    millis(Timeline.millis(timeline.undoIssued, timeline.up)),
                    millis(Timeline.millis(timeline.undoIssued, timeline.recovered)),
                    (timeline.shards().length == 0) ? "n/a" : millis(Timeline.millis(timeline.undoIssued, timeline.firstWrite)),
                    (timeline.phase() == FaultPhase.SATURATE_POOL) ? "n/a" : Integer.toString(timeline.flaps)));
        }
        out.append("\nMonitor changes for servers that no fault of the phase touched (false alarms): ");
        StringBuilder changes = new StringBuilder();
        for (Window window : this.windows) {
            window.unexpectedMonitorChanges().forEach((change, count) -> changes.append(changes.isEmpty() ? "" : "; ")
                    .append(window.phase()).append(" / ").append(window.label()).append(": ").append(change).append(" ").append(count)
                    .append((count == 1) ? " time" : " times"));
        }
        out.append(changes.isEmpty() ? "none" : changes).append(".\n");
    }

    private void appendAudit(StringBuilder out) {
        out.append("\n## Writes, audited on the primaries\n\n");
        if (this.audit == null) {
            out.append("Not audited: the run did not finish.\n");
            return;
        }
        out.append("After the last phase, every server running and replication caught up, every physical table of `")
                .append(ReliabilityData.TABLE).append("` on both primaries read with plain JDBC and held against what each writer was"
                + " told.\n\n| | |\n|---|---:|\n");
        this.audit.lines().forEach((label, value) -> out.append("| ").append(label).append(" | ").append(value).append(" |\n"));
        if (!this.audit.lostExamples().isEmpty()) {
            out.append("\nLost, for example: ").append(String.join(", ", this.audit.lostExamples())).append(".\n");
        }
        out.append('\n').append(verdict()).append('\n');
    }

    private static String millis(double value) {
        return (value < 0 || Double.isNaN(value)) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

}
