package io.ddm.benchmarks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;

/**
 * The same measurement as {@link PoolLayoutBenchmark}, interleaved: all pools of all layouts are open in one JVM and
 * every round runs every variant (layout x access) for one short slice, in a new random order each round. Background
 * load on a shared machine then hits all variants alike, instead of whichever JMH trial happens to run at that time.
 * Every operation is timed ({@link System#nanoTime()}), so the report has the mean, p50 and p99 per operation.
 *
 * <p>Run: {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.PoolLayoutRounds [rounds] [slice-ms]
 * [warm-up-rounds] [threads,...]}, defaults {@value #DEFAULT_ROUNDS} {@value #DEFAULT_SLICE_MILLIS}
 * {@value #DEFAULT_WARMUP_ROUNDS} 1,4.
 */
public final class PoolLayoutRounds {

    static final int DEFAULT_ROUNDS = 15;

    static final int DEFAULT_SLICE_MILLIS = 250;

    static final int DEFAULT_WARMUP_ROUNDS = 3;

    private PoolLayoutRounds() {
    }

    /**
     * Runs the rounds and prints one table per thread count.
     * @param args optional: rounds, slice in ms, warm-up rounds, comma-separated thread counts
     * @throws Exception on a database error or an interrupted run
     */
    public static void main(String[] args) throws Exception {
        int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
        int sliceMillis = (args.length > 1) ? Integer.parseInt(args[1]) : DEFAULT_SLICE_MILLIS;
        int warmupRounds = (args.length > 2) ? Integer.parseInt(args[2]) : DEFAULT_WARMUP_ROUNDS;
        int[] threadCounts = (args.length > 3) ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4};
        DatabaseServer server = DatabaseServers.topology(1, 0).primary(0);
        ShardDatabases.ensure(server);
        System.out.println("# " + ShardDatabases.describe(server));
        System.out.printf("# %d warm-up + %d measured rounds, %d ms per variant and round, pools of %d connections%n", warmupRounds,
                rounds, sliceMillis, ShardPools.POOL_SIZE);
        for (int threads : threadCounts) {
            List<Result> results = run(server, threads, rounds, sliceMillis, warmupRounds);
            System.out.println();
            System.out.println(table(threads, results));
        }
    }

    /**
     * Runs every variant interleaved with a number of threads.
     * @param server the server with {@link ShardDatabases}
     * @param threads benchmark threads, at most {@link ShardPools#POOL_SIZE} so that no thread waits for a connection
     * @param rounds measured rounds
     * @param sliceMillis time per variant and round
     * @param warmupRounds rounds run first and not measured
     * @return the results, layouts x accesses
     * @throws SQLException on a database error
     * @throws InterruptedException when interrupted
     */
    public static List<Result> run(DatabaseServer server, int threads, int rounds, int sliceMillis, int warmupRounds)
            throws SQLException, InterruptedException {
        if (threads < 1 || threads > ShardPools.POOL_SIZE) {
            throw new IllegalArgumentException("threads must be 1 to " + ShardPools.POOL_SIZE + ": " + threads);
        }
        Map<Layout, ShardPools> pools = new EnumMap<>(Layout.class);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (Layout layout : Layout.values()) {
                pools.put(layout, ShardPools.open(layout, server));
            }
            List<Variant> variants = new ArrayList<>();
            for (Layout layout : Layout.values()) {
                for (Access access : Access.values()) {
                    variants.add(new Variant(layout, access, threads));
                }
            }
            Random order = new Random(42);
            for (int round = 0; round < warmupRounds + rounds; round++) {
                Collections.shuffle(variants, order);
                for (Variant variant : variants) {
                    variant.runSlice(pools.get(variant.layout), executor, sliceMillis * 1_000_000L, round >= warmupRounds);
                }
            }
            List<Result> results = new ArrayList<>();
            for (Layout layout : Layout.values()) {
                for (Access access : Access.values()) {
                    variants.stream().filter((v) -> v.layout == layout && v.access == access).findFirst()
                            .ifPresent((v) -> results.add(v.result()));
                }
            }
            return results;
        }
        finally {
            executor.shutdownNow();
            pools.values().forEach(ShardPools::close);
        }
    }

    static String table(int threads, List<Result> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%d thread(s)%n", threads));
        table.append(String.format(Locale.ROOT, "%-24s %-12s %10s %10s %10s %10s %10s %12s%n", "layout", "access", "ops/s", "mean us",
                "p50 us", "p99 us", "ops", "vs per-shard"));
        for (Result result : results) {
            Result baseline = results.stream().filter((r) -> r.layout() == Layout.PER_SHARD_POOLS && r.access() == result.access())
                    .findFirst().orElse(result);
            table.append(String.format(Locale.ROOT, "%-24s %-12s %10.0f %10.1f %10.1f %10.1f %10d %+11.1f%n", result.layout(),
                    result.access(), result.opsPerSecond(), result.meanMicros(), result.p50Micros(), result.p99Micros(),
                    result.operations(), result.meanMicros() - baseline.meanMicros()));
        }
        return table.toString();
    }

    /**
     * The measurement of one variant.
     * @param layout the layout
     * @param access the access pattern
     * @param threads the number of threads
     * @param operations measured operations of all threads
     * @param opsPerSecond operations of all threads per second of measured wall time
     * @param meanMicros mean time of one operation
     * @param p50Micros median time of one operation
     * @param p99Micros 99th percentile of the time of one operation
     */
    public record Result(Layout layout, Access access, int threads, long operations, double opsPerSecond, double meanMicros,
            double p50Micros, double p99Micros) {
    }

    /** One layout and access pattern: its threads' choosers and the operation times of the measured rounds. */
    private static final class Variant {

        private final Layout layout;

        private final Access access;

        private final ShardChooser[] choosers;

        private final List<long[]> samples = new ArrayList<>();

        private long operations;

        private long wallNanos;

        Variant(Layout layout, Access access, int threads) {
            this.layout = layout;
            this.access = access;
            this.choosers = new ShardChooser[threads];
            for (int thread = 0; thread < threads; thread++) {
                this.choosers[thread] = new ShardChooser(access, thread);
            }
        }

        void runSlice(ShardPools pools, ExecutorService executor, long sliceNanos, boolean measured) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + sliceNanos;
            List<Future<long[]>> futures = new ArrayList<>();
            for (ShardChooser chooser : this.choosers) {
                futures.add(executor.submit(() -> runUntil(pools, chooser, deadline)));
            }
            List<long[]> slice = new ArrayList<>();
            for (Future<long[]> future : futures) {
                try {
                    slice.add(future.get());
                }
                catch (ExecutionException ex) {
                    throw new IllegalStateException(this.layout + " " + this.access + " failed", ex.getCause());
                }
            }
            long end = System.nanoTime();
            if (measured) {
                this.samples.addAll(slice);
                this.operations += slice.stream().mapToLong((times) -> times.length).sum();
                this.wallNanos += end - start;
            }
        }

        private static long[] runUntil(ShardPools pools, ShardChooser chooser, long deadline) throws SQLException {
            long[] times = new long[4096];
            int count = 0;
            long now = System.nanoTime();
            while (now < deadline) {
                String row = pools.pointSelect(chooser.nextShard(), chooser.nextId());
                long after = System.nanoTime();
                if (row.isEmpty()) {
                    throw new IllegalStateException("empty row");
                }
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = after - now;
                now = after;
            }
            return Arrays.copyOf(times, count);
        }

        Result result() {
            long[] all = new long[(int) this.operations];
            int position = 0;
            for (long[] times : this.samples) {
                System.arraycopy(times, 0, all, position, times.length);
                position += times.length;
            }
            Arrays.sort(all);
            double mean = (all.length == 0) ? Double.NaN : Arrays.stream(all).average().orElse(Double.NaN) / 1_000.0;
            double opsPerSecond = (this.wallNanos == 0) ? Double.NaN : this.operations * 1e9 / this.wallNanos;
            return new Result(this.layout, this.access, this.choosers.length, this.operations, opsPerSecond, mean,
                    percentile(all, 0.50), percentile(all, 0.99));
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
