package io.ddm.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import io.ddm.benchmarks.suite.BenchmarkData;
import io.ddm.benchmarks.suite.Contenders;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.datasource.StatementListener;
import io.ddm.datasource.StatementListener.ListenedStatement;
import io.ddm.metrics.DdmMetrics;
import io.ddm.metrics.StatementMetricsHook;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What DDM's statement metrics add to one statement on the thread that runs it, without the statement itself: the calls
 * a point select through the fast path makes with metrics on - the statement listener told of a prepared statement, of
 * one execution begun and ended, and the execution hook ShardingSphere's way around its one physical statement - against
 * a {@link SimpleMeterRegistry}, as the suite's {@code ddm+metrics} contender; and the hook alone outside a statement,
 * which is what every physical statement pays with metrics off (ShardingSphere loads the hook as a service either way).
 *
 * <p>The statement's time between begin and end is not part of it: the suite measures whole statements. The listener is
 * the one {@link DdmMetrics} sets on a DDM data source over the suite's topology (local servers from
 * {@code ddm-test-support}), so its tables and servers are the suite's. Nine rounds of 1 s after 3 s of warm-up, on
 * one thread and on as many threads as the machine has cores (the timers are shared by all threads, as in an
 * application); median and range in nanoseconds per statement and thread. Run with
 * {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.MetricsCostBenchmark}.
 */
public final class MetricsCostBenchmark {

    private static final String POINT_SELECT = "SELECT order_id, user_id, status, amount FROM t_order WHERE user_id = ? AND order_id = ?";

    private static final int ROUNDS = 9;

    private MetricsCostBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     * @param args none
     * @throws Exception when the servers or DDM fail
     */
    public static void main(String[] args) throws Exception {
        DatabaseTopology topology = DatabaseServers.topology(2, 1);
        new BenchmarkData(100).load(topology);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(Contenders.bind(Contenders.ddmProperties(topology, Map.of())))) {
            new DdmMetrics(dataSource).bindTo(new SimpleMeterRegistry());
            StatementListener listener = dataSource.getStatementListener();
            String physical = dataSource.getPhysicalDataSources().pools().get(1).dataSourceName();
            Runnable statement = () -> statement(listener, physical);
            Runnable hookAlone = () -> hook(physical);
            measure(statement, 1, 3_000);
            measure(hookAlone, 1, 3_000);
            int cores = Runtime.getRuntime().availableProcessors();
            for (int threads : (cores > 1) ? new int[] {1, cores} : new int[] {1}) {
                report("metrics on, per statement, " + threads + " thread(s)", statement, threads);
                report("metrics off, the hook per physical statement, " + threads + " thread(s)", hookAlone, threads);
            }
        }
    }

    private static void statement(StatementListener listener, String physical) {
        ListenedStatement listened = listener.statementCreated(POINT_SELECT);
        try {
            StatementListener.listened(listened, null, false, () -> {
                hook(physical);
                return null;
            });
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void hook(String physical) {
        StatementMetricsHook hook = new StatementMetricsHook();
        hook.start(physical, POINT_SELECT, null, null, true);
        hook.finishSuccess();
    }

    private static void report(String what, Runnable operation, int threads) throws InterruptedException {
        double[] nanos = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            nanos[round] = measure(operation, threads, 1_000);
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%s: %.0f ns (median of %d rounds of 1 s; %.0f-%.0f)%n", what, nanos[ROUNDS / 2], ROUNDS, nanos[0],
                nanos[ROUNDS - 1]);
    }

    /** Nanoseconds per operation and thread, each thread repeating it for about the given time; the mean of the threads. */
    private static double measure(Runnable operation, int threads, long millis) throws InterruptedException {
        double[] nanos = new double[threads];
        Thread[] running = new Thread[threads];
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running[t] = new Thread(() -> nanos[thread] = repeat(operation, deadline));
            running[t].start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        return Arrays.stream(nanos).average().orElseThrow();
    }

    private static double repeat(Runnable operation, long deadline) {
        long count = 0;
        long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 1_000; i++) {
                operation.run();
            }
            count += 1_000;
            now = System.nanoTime();
        }
        while (now < deadline);
        return (now - start) / (double) count;
    }

}
