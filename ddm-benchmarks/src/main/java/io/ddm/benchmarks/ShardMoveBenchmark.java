package io.ddm.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.move.MoveDescriptor;
import io.ddm.move.MoveSettings;
import io.ddm.move.MoveState;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.DatabaseServers;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * What moving a shard costs the application: the copy rate (rows per second of the snapshot copy), how long the
 * switch paused the moving shard's statements, and the latency of writes to the moving shard before, during and around
 * the switch, against a steady write load.
 *
 * <p>Three local servers without replicas ({@code ddm-test-support}); 4 shards on ds0 and ds1, ds2 empty; shard 1 holds
 * {@value #ROWS} rows of {@code t_kv}. {@value #WRITERS} threads increment random rows of shard 1 through DDM
 * (autocommit {@code UPDATE ... WHERE k = ?}) from 10 s before the move (5 s of warm-up, 5 s of baseline) until
 * 3 s after it; each write's latency is kept with its start time. Run with
 * {@code java -cp ddm-benchmarks/target/benchmarks.jar io.ddm.benchmarks.ShardMoveBenchmark}.
 */
public final class ShardMoveBenchmark {

    private static final String SCHEMA = "bench_move";

    private static final int ROWS = 200_000;

    private static final int WRITERS = 4;

    private ShardMoveBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     * @param args none
     * @throws Exception when a server fails
     */
    public static void main(String[] args) throws Exception {
        DatabaseTopology topology = DatabaseServers.topology(3, 0);
        topology.resetData(SCHEMA);
        Map<String, String> properties = new LinkedHashMap<>(topology.ddmNodeProperties());
        properties.put("ddm.schema", SCHEMA);
        properties.put("ddm.shards", "4");
        properties.put("ddm.create-shard-databases", "true");
        properties.put("ddm.key-generator.worker-id", "1");
        properties.put("ddm.placement.ds0", "0,1");
        properties.put("ddm.placement.ds1", "2,3");
        properties.put("ddm.tables.t_kv.database-sharding.column", "k");
        properties.put("ddm.tables.t_kv.database-sharding.algorithm", "mod-hash");
        DdmProperties bound = new Binder(new MapConfigurationPropertySource(properties)).bind("ddm", DdmProperties.class).get();
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(bound);
                ShardMoves moves = new ShardMoves(dataSource, MoveSettings.DEFAULTS)) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t_kv (k BIGINT PRIMARY KEY, n INT NOT NULL, v VARCHAR(40) NOT NULL)");
            }
            DatabaseServer source = topology.primary(0);
            try (Connection connection = source.connection(SCHEMA + "_1"); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO t_kv SELECT seq * 4 + 1, 0, CONCAT('value of ', seq) FROM seq_0_to_" + (ROWS - 1));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Thread writer = new Thread(() -> write(dataSource, running, samples), "writer-" + i);
                writers.add(writer);
                writer.start();
            }
            // 5 s of warm-up (JIT, pools, buffer pool), then 5 s of baseline.
            Thread.sleep(5000);
            samples.clear();
            Thread.sleep(5000);
            long moveStart = System.nanoTime();
            ShardMove move = moves.start(1, "ds2");
            Map<MoveState, Long> reached = new java.util.EnumMap<>(MoveState.class);
            while (!move.descriptor().state().isFinal()) {
                reached.putIfAbsent(move.descriptor().state(), System.nanoTime());
                Thread.sleep(5);
            }
            long moveEnd = System.nanoTime();
            reached.putIfAbsent(MoveState.DONE, moveEnd);
            long copyEnd = reached.getOrDefault(MoveState.CATCHING_UP, moveEnd);
            long switchStart = reached.getOrDefault(MoveState.SWITCHING, moveEnd);
            MoveDescriptor done = move.descriptor();
            Thread.sleep(3000);
            running.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
            if (done.state() != MoveState.DONE) {
                throw new IllegalStateException("The move did not finish: " + done);
            }
            double copySeconds = (copyEnd - moveStart) / 1e9;
            System.out.printf(Locale.ROOT, "move of %,d rows: %.1f s in all, copy %.1f s (%,.0f rows/s), switch phase %.2f s,"
                    + " statements of the shard paused %d ms%n", done.rowsTotal(), (moveEnd - moveStart) / 1e9, copySeconds,
                    done.rowsTotal() / copySeconds, (moveEnd - switchStart) / 1e9, done.writesPausedMillis());
            System.out.printf(Locale.ROOT, "phases: catching up %.2f s, verifying %.2f s%n",
                    (reached.getOrDefault(MoveState.VERIFYING, moveEnd) - copyEnd) / 1e9,
                    (switchStart - reached.getOrDefault(MoveState.VERIFYING, switchStart)) / 1e9);
            report("before the move", samples, Long.MIN_VALUE, moveStart);
            report("during the move", samples, moveStart, moveEnd);
            report("switch phase (from SWITCHING to DONE, +-100 ms)", samples, switchStart - 100_000_000, moveEnd + 100_000_000);
            report("after the move", samples, moveEnd, Long.MAX_VALUE);
        }
        finally {
            topology.resetData(SCHEMA);
        }
    }

    private static void write(DdmDataSource dataSource, AtomicBoolean running, List<long[]> samples) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            long k = random.nextInt(ROWS) * 4L + 1;
            long start = System.nanoTime();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("UPDATE t_kv SET n = n + 1 WHERE k = ?")) {
                statement.setLong(1, k);
                statement.executeUpdate();
            }
            catch (java.sql.SQLException ex) {
                throw new IllegalStateException("A write to the moving shard failed", ex);
            }
            samples.add(new long[] { start, System.nanoTime() - start });
        }
    }

    private static void report(String label, List<long[]> samples, long from, long to) {
        List<Long> micros = new ArrayList<>();
        synchronized (samples) {
            for (long[] sample : samples) {
                if (sample[0] >= from && sample[0] < to) {
                    micros.add(sample[1] / 1000);
                }
            }
        }
        Collections.sort(micros);
        if (micros.isEmpty()) {
            System.out.printf(Locale.ROOT, "%s: no writes%n", label);
            return;
        }
        System.out.printf(Locale.ROOT, "%s: %,d writes, p50 %,d us, p99 %,d us, max %,d us%n", label, micros.size(),
                micros.get(micros.size() / 2), micros.get(Math.min(micros.size() - 1, micros.size() * 99 / 100)),
                micros.get(micros.size() - 1));
    }

}
