package io.ddm.benchmarks;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;

/**
 * The same measurement as {@link PoolLayoutBenchmark}, interleaved ({@link InterleavedRounds}): all pools of all layouts
 * are open in one JVM and every round runs every variant (layout x access) for one short slice, in a new random order
 * each round. The report has the mean, p50 and p99 per operation.
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
            InterleavedRounds<Variant> variants = new InterleavedRounds<>();
            for (Layout layout : Layout.values()) {
                ShardPools layoutPools = ShardPools.open(layout, server);
                pools.put(layout, layoutPools);
                for (Access access : Access.values()) {
                    List<InterleavedRounds.Operation> operations = new ArrayList<>();
                    for (int thread = 0; thread < threads; thread++) {
                        ShardChooser chooser = new ShardChooser(access, thread);
                        operations.add(() -> {
                            if (layoutPools.pointSelect(chooser.nextShard(), chooser.nextId()).isEmpty()) {
                                throw new IllegalStateException("empty row");
                            }
                        });
                    }
                    variants.add(new Variant(layout, access), operations);
                }
            }
            return variants.run(executor, rounds, sliceMillis, warmupRounds, 42).stream()
                    .map((m) -> new Result(m.key().layout(), m.key().access(), m.threads(), m.operations(), m.opsPerSecond(),
                            m.meanMicros(), m.p50Micros(), m.p99Micros()))
                    .toList();
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

    /** A layout and an access pattern. */
    private record Variant(Layout layout, Access access) {
    }
}
