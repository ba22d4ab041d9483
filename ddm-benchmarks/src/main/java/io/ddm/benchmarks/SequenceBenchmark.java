package io.ddm.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import io.ddm.keygen.DdmSequences;
import io.ddm.keygen.SequenceKeyGenerateAlgorithm;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.topology.Server;

/**
 * What DDM's sequences ({@code key-generator.type: sequence}) cost: values per second handed out from memory, by 1
 * and 2 threads, and the time of one block reservation on a real server (one {@code UPDATE ... LAST_INSERT_ID()}
 * and one {@code SELECT LAST_INSERT_ID()} on the sequence's own connection).
 *
 * <p>It starts a local server with {@code ddm-test-support} and calls DDM's key generator as ShardingSphere does.
 * From memory: blocks of 10,000,000 values, so that a measured second is almost never a block fetch; 7 rounds of
 * 1 s per thread count after a 1 s warm-up, median reported. Block fetch: blocks of 1 value, so that every value is a
 * reservation; 3,000 of them after 300 for warm-up, median and 99th percentile reported. Run with
 * {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.SequenceBenchmark}.
 */
public final class SequenceBenchmark {

    private static final String DATABASE = "bench_sequence";

    private SequenceBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     * @param args none
     * @throws Exception when the server fails
     */
    public static void main(String[] args) throws Exception {
        DatabaseServer database = DatabaseServers.topology(1, 0).primary(0);
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        Server server = new Server(database.name(), database.name(), Server.Role.PRIMARY, database.jdbcUrl(), database.username(),
                database.password(), 1, Map.of());
        Map<String, String> columns = Map.of("t_memory", "id", "t_fetch", "id");
        try (DdmSequences memory = DdmSequences.create(() -> server, DATABASE, columns, 10_000_000, Duration.ofSeconds(5));
                DdmSequences fetch = DdmSequences.create(() -> server, DATABASE, columns, 1, Duration.ofSeconds(5))) {
            SequenceKeyGenerateAlgorithm fromMemory = generator(memory, "t_memory");
            rounds(fromMemory, 1, Duration.ofSeconds(1));
            for (int threads = 1; threads <= 2; threads++) {
                long[] rates = new long[7];
                for (int round = 0; round < rates.length; round++) {
                    rates[round] = rounds(fromMemory, threads, Duration.ofSeconds(1));
                }
                Arrays.sort(rates);
                System.out.printf(Locale.ROOT, "from memory, %d thread(s): %,d values/s (median of %d rounds of 1 s; min %,d, max %,d)%n",
                        threads, rates[rates.length / 2], rates.length, rates[0], rates[rates.length - 1]);
            }
            SequenceKeyGenerateAlgorithm fetching = generator(fetch, "t_fetch");
            for (int i = 0; i < 300; i++) {
                fetching.generateKeys(null, 1);
            }
            long[] micros = new long[3000];
            for (int i = 0; i < micros.length; i++) {
                long start = System.nanoTime();
                fetching.generateKeys(null, 1);
                micros[i] = (System.nanoTime() - start) / 1000;
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "block fetch: median %d us, p99 %d us (%d reservations)%n", micros[micros.length / 2],
                    micros[micros.length * 99 / 100], micros.length);
        }
        finally {
            try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
            catch (SQLException ex) {
                // the server is stopped with the JVM anyway
            }
        }
    }

    private static SequenceKeyGenerateAlgorithm generator(DdmSequences sequences, String name) {
        SequenceKeyGenerateAlgorithm result = new SequenceKeyGenerateAlgorithm();
        result.init(SequenceKeyGenerateAlgorithm.properties(sequences.key(), name));
        return result;
    }

    /** Values handed out by the threads together in the given time, per second. */
    private static long rounds(SequenceKeyGenerateAlgorithm generator, int threads, Duration time) throws InterruptedException {
        LongAdder values = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + time.toNanos();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                long count = 0;
                try {
                    start.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < 1000; i++) {
                        generator.generateKeys(null, 1);
                    }
                    count += 1000;
                }
                values.add(count);
            });
            thread.start();
            running.add(thread);
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        return values.sum() * 1_000_000_000L / Math.max(1, System.nanoTime() - began);
    }

}
