package io.ddm.benchmarks.reliability;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The statements of one stretch of a phase (e.g. "kill primary ds0" while the fault holds, then after the restart):
 * outcomes per operation, failures by cause, latencies, and changes DDM's monitors recorded for servers that no
 * fault of the phase touched. An operation counts in the window in which it started. Thread-safe.
 */
final class Window {

    private final int index;

    private final String phase;

    private final String label;

    private final long startNanos;

    private volatile long endNanos;

    private final LongAdder[] succeeded = adders();

    private final LongAdder[] failed = adders();

    private final LongAdder inDoubt = new LongAdder();

    private final LongAdder staleReads = new LongAdder();

    private final LongAdder updateMisses = new LongAdder();

    private final Map<String, Cause> causes = new ConcurrentHashMap<>();

    private final Map<String, LongAdder> unexpectedMonitorChanges = new ConcurrentHashMap<>();

    private volatile long longestNanos;

    private String longestDescription = "-";

    private long[] latencies = new long[0];

    private boolean latenciesSorted = true;

    Window(int index, String phase, String label, long startNanos) {
        this.index = index;
        this.phase = phase;
        this.label = label;
        this.startNanos = startNanos;
    }

    private static LongAdder[] adders() {
        LongAdder[] result = new LongAdder[Operation.values().length];
        for (int i = 0; i < result.length; i++) {
            result[i] = new LongAdder();
        }
        return result;
    }

    int index() {
        return this.index;
    }

    String phase() {
        return this.phase;
    }

    String label() {
        return this.label;
    }

    void end(long nanos) {
        this.endNanos = nanos;
    }

    /** Seconds from its start to its end (or now, while open). */
    double seconds() {
        long end = (this.endNanos != 0) ? this.endNanos : System.nanoTime();
        return (end - this.startNanos) / 1e9;
    }

    /**
     * Counts a successful operation.
     * @param operation what it did
     * @param shard the shard it ran on
     * @param startedNanos when it started ({@link System#nanoTime()})
     * @param nanos how long it took
     */
    void succeeded(Operation operation, int shard, long startedNanos, long nanos) {
        this.succeeded[operation.ordinal()].increment();
        if (nanos > this.longestNanos) {
            longest(nanos, operation, shard, startedNanos, null);
        }
    }

    /**
     * Counts a failed operation.
     * @param operation what it did
     * @param shard the shard it ran on
     * @param startedNanos when it started
     * @param nanos how long it took to fail
     * @param cause why
     * @param doubtful whether it was a write that may have been applied
     */
    void failed(Operation operation, int shard, long startedNanos, long nanos, FailureCause cause, boolean doubtful) {
        this.failed[operation.ordinal()].increment();
        if (doubtful) {
            this.inDoubt.increment();
        }
        this.causes.computeIfAbsent(operation.plural() + "|" + cause.key(), (key) -> new Cause(operation, cause)).add(doubtful);
        if (nanos > this.longestNanos) {
            longest(nanos, operation, shard, startedNanos, cause);
        }
    }

    void staleRead() {
        this.staleReads.increment();
    }

    void updateMiss() {
        this.updateMisses.increment();
    }

    void unexpectedMonitorChange(String change) {
        this.unexpectedMonitorChanges.computeIfAbsent(change, (key) -> new LongAdder()).increment();
    }

    private synchronized void longest(long nanos, Operation operation, int shard, long startedNanos, FailureCause cause) {
        if (nanos > this.longestNanos) {
            this.longestNanos = nanos;
            this.longestDescription = String.format(Locale.ROOT, "%s on shard %d, %.1f s into the window%s",
                    operation.name().toLowerCase(Locale.ROOT), shard, (startedNanos - this.startNanos) / 1e9,
                    (cause != null) ? ", failed: " + cause.key() : "");
        }
    }

    /** Adds one thread's latencies of this window, once it stopped. */
    synchronized void addLatencies(long[] nanos, int count) {
        int previous = this.latencies.length;
        this.latencies = Arrays.copyOf(this.latencies, previous + count);
        System.arraycopy(nanos, 0, this.latencies, previous, count);
        this.latenciesSorted = false;
    }

    long succeeded(Operation operation) {
        return this.succeeded[operation.ordinal()].sum();
    }

    long failed(Operation operation) {
        return this.failed[operation.ordinal()].sum();
    }

    long succeeded() {
        return Arrays.stream(this.succeeded).mapToLong(LongAdder::sum).sum();
    }

    long failed() {
        return Arrays.stream(this.failed).mapToLong(LongAdder::sum).sum();
    }

    long inDoubt() {
        return this.inDoubt.sum();
    }

    long staleReads() {
        return this.staleReads.sum();
    }

    long updateMisses() {
        return this.updateMisses.sum();
    }

    /** Failures by operation and cause, most frequent first. */
    List<Cause> causes() {
        return this.causes.values().stream().sorted((a, b) -> Long.compare(b.count(), a.count())).toList();
    }

    /** Changes of DDM's monitors for servers no fault of this phase touched, e.g. {@code ds0-r0 out of rotation}. */
    Map<String, Long> unexpectedMonitorChanges() {
        Map<String, Long> result = new TreeMap<>();
        this.unexpectedMonitorChanges.forEach((change, count) -> result.put(change, count.sum()));
        return result;
    }

    double longestMillis() {
        return this.longestNanos / 1e6;
    }

    synchronized String longestDescription() {
        return this.longestDescription;
    }

    /**
     * A percentile of the operations' latencies (successful or not).
     * @param percentile e.g. 99
     * @return milliseconds, NaN without operations
     */
    synchronized double percentileMillis(double percentile) {
        if (this.latencies.length == 0) {
            return Double.NaN;
        }
        if (!this.latenciesSorted) {
            Arrays.sort(this.latencies);
            this.latenciesSorted = true;
        }
        int rank = (int) Math.ceil(percentile / 100 * this.latencies.length) - 1;
        return this.latencies[Math.max(0, Math.min(this.latencies.length - 1, rank))] / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s / %s: %d ok, %d failed in %.1f s", this.phase, this.label, succeeded(), failed(),
                seconds());
    }

    /** The failures of one operation with one cause. */
    static final class Cause {

        private final Operation operation;

        private final FailureCause cause;

        private final LongAdder count = new LongAdder();

        private final LongAdder doubtful = new LongAdder();

        Cause(Operation operation, FailureCause cause) {
            this.operation = operation;
            this.cause = cause;
        }

        void add(boolean inDoubt) {
            this.count.increment();
            if (inDoubt) {
                this.doubtful.increment();
            }
        }

        Operation operation() {
            return this.operation;
        }

        String key() {
            return this.cause.key();
        }

        String example() {
            return this.cause.example();
        }

        long count() {
            return this.count.sum();
        }

        long inDoubt() {
            return this.doubtful.sum();
        }

    }

}
