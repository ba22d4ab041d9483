package io.ddm.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs benchmark variants interleaved: every round runs every variant for one short slice, in a new random order each
 * round, so background load on a shared machine hits all variants alike instead of whichever one happens to run at
 * that time. Every operation is timed ({@link System#nanoTime()}), so a {@link Measurement} has the mean, p50 and p99
 * per operation as well as the throughput over the measured slices, and the throughput of each measured round: since
 * every round runs every variant once, two variants' throughputs of the same round form a pair, and ratios of pairs
 * are far less noisy than ratios of totals. The CPU time of the threads running the operations is measured too
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()} at each thread's start and end of a slice): what one operation costs
 * the calling thread, less sensitive than throughput to what else the machine runs, but blind to other threads (a
 * library's executor, the garbage collector, the compiler) and to time spent waiting.
 *
 * @param <K> what identifies a variant (e.g. a layout and an access pattern)
 */
public final class InterleavedRounds<K> {

    private final List<Variant<K>> variants = new ArrayList<>();

    /**
     * Adds a variant.
     * @param key what identifies it in the results
     * @param operations one operation per thread; each thread repeats its operation until the end of the slice
     * @return this
     */
    public InterleavedRounds<K> add(K key, List<? extends Operation> operations) {
        this.variants.add(new Variant<>(key, List.copyOf(operations)));
        return this;
    }

    /**
     * Runs the rounds.
     * @param executor runs the threads of a variant; needs as many threads as the variant with the most
     * @param rounds measured rounds
     * @param sliceMillis time per variant and round
     * @param warmupRounds rounds run first and not measured
     * @param seed seed of the random order of the variants
     * @return one measurement per variant, in the order they were added
     * @throws InterruptedException when interrupted
     */
    public List<Measurement<K>> run(ExecutorService executor, int rounds, int sliceMillis, int warmupRounds, long seed)
            throws InterruptedException {
        List<Variant<K>> order = new ArrayList<>(this.variants);
        Random random = new Random(seed);
        for (int round = 0; round < warmupRounds + rounds; round++) {
            Collections.shuffle(order, random);
            for (Variant<K> variant : order) {
                variant.runSlice(executor, sliceMillis * 1_000_000L, round >= warmupRounds);
            }
        }
        return this.variants.stream().map(Variant::measurement).toList();
    }

    /** What one thread of a variant repeats. */
    @FunctionalInterface
    public interface Operation {

        /**
         * Runs the operation once and checks its result.
         * @throws Exception on a database error or a wrong result
         */
        void run() throws Exception;

    }

    /**
     * The measurement of one variant.
     * @param key the variant
     * @param threads the number of threads
     * @param operations measured operations of all threads
     * @param opsPerSecond operations of all threads per second of measured wall time
     * @param meanMicros mean time of one operation
     * @param p50Micros median time of one operation
     * @param p99Micros 99th percentile of the time of one operation
     * @param roundOpsPerSecond operations of all threads per second of each measured round, in round order: index
     * {@code r} of two variants is the same round
     * @param cpuMicros CPU time of the operations' threads per operation, over the measured slices ({@code NaN} where the
     * JVM does not measure thread CPU time)
     * @param <K> what identifies the variant
     */
    public record Measurement<K>(K key, int threads, long operations, double opsPerSecond, double meanMicros, double p50Micros,
            double p99Micros, double[] roundOpsPerSecond, double cpuMicros) {

        /** Copies the rounds, so that a measurement cannot change. */
        public Measurement {
            roundOpsPerSecond = roundOpsPerSecond.clone();
        }

        /**
         * Operations of all threads per second of each measured round.
         * @return a copy, in round order
         */
        @Override
        public double[] roundOpsPerSecond() {
            return this.roundOpsPerSecond.clone();
        }

    }

    /**
     * What one thread of a variant did in one slice.
     * @param times the time of each operation
     * @param cpuNanos the thread's CPU time in the slice, -1 where not measured
     */
    private record ThreadSlice(long[] times, long cpuNanos) {
    }

    /** One variant: its threads' operations, and the operation times and throughput of the measured rounds. */
    private static final class Variant<K> {

        private final K key;

        private final List<? extends Operation> operations;

        private final List<long[]> samples = new ArrayList<>();

        private final List<Double> roundOpsPerSecond = new ArrayList<>();

        private long count;

        private long wallNanos;

        private long cpuNanos;

        Variant(K key, List<? extends Operation> operations) {
            this.key = key;
            this.operations = operations;
        }

        void runSlice(ExecutorService executor, long sliceNanos, boolean measured) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + sliceNanos;
            List<Future<ThreadSlice>> futures = new ArrayList<>();
            for (Operation operation : this.operations) {
                futures.add(executor.submit(() -> runUntil(operation, deadline)));
            }
            List<long[]> slice = new ArrayList<>();
            long sliceCpuNanos = 0;
            for (Future<ThreadSlice> future : futures) {
                try {
                    ThreadSlice thread = future.get();
                    slice.add(thread.times());
                    sliceCpuNanos = (sliceCpuNanos < 0 || thread.cpuNanos() < 0) ? -1 : sliceCpuNanos + thread.cpuNanos();
                }
                catch (ExecutionException ex) {
                    throw new IllegalStateException(this.key + " failed", ex.getCause());
                }
            }
            long end = System.nanoTime();
            if (measured) {
                long sliceCount = slice.stream().mapToLong((times) -> times.length).sum();
                this.samples.addAll(slice);
                this.count += sliceCount;
                this.wallNanos += end - start;
                this.cpuNanos = (this.cpuNanos < 0 || sliceCpuNanos < 0) ? -1 : this.cpuNanos + sliceCpuNanos;
                this.roundOpsPerSecond.add(sliceCount * 1e9 / (end - start));
            }
        }

        private static ThreadSlice runUntil(Operation operation, long deadline) throws Exception {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean cpuMeasured = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
            long cpuStart = cpuMeasured ? threads.getCurrentThreadCpuTime() : 0;
            long[] times = new long[1024];
            int count = 0;
            long now = System.nanoTime();
            while (now < deadline) {
                operation.run();
                long after = System.nanoTime();
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = after - now;
                now = after;
            }
            long cpuNanos = cpuMeasured ? threads.getCurrentThreadCpuTime() - cpuStart : -1;
            return new ThreadSlice(Arrays.copyOf(times, count), cpuNanos);
        }

        Measurement<K> measurement() {
            long[] all = new long[(int) this.count];
            int position = 0;
            for (long[] times : this.samples) {
                System.arraycopy(times, 0, all, position, times.length);
                position += times.length;
            }
            Arrays.sort(all);
            double mean = (all.length == 0) ? Double.NaN : Arrays.stream(all).average().orElse(Double.NaN) / 1_000.0;
            double opsPerSecond = (this.wallNanos == 0) ? Double.NaN : this.count * 1e9 / this.wallNanos;
            double cpuMicros = (this.count == 0 || this.cpuNanos < 0) ? Double.NaN : this.cpuNanos / 1_000.0 / this.count;
            return new Measurement<>(this.key, this.operations.size(), this.count, opsPerSecond, mean, percentile(all, 0.50),
                    percentile(all, 0.99), this.roundOpsPerSecond.stream().mapToDouble(Double::doubleValue).toArray(), cpuMicros);
        }

        private static double percentile(long[] sorted, double fraction) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1_000.0;
        }

    }

}
