package io.ddm.benchmarks;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Per-query cost of DDM's pool layout: one HikariCP pool per shard database ({@link Layout#PER_SHARD_POOLS}) versus
 * one pool per server whose connections switch database with {@code setCatalog} ({@link Layout#SHARED_POOL},
 * {@link Layout#SHARED_POOL_LOCAL_STATE}), for each {@link Access} pattern, with 1 and 4 threads.
 *
 * <p>Each fork starts a real server with {@code ddm-test-support} ({@code DatabaseServers.topology(1, 0)}, stopped
 * when the fork exits) and creates the {@link ShardDatabases}. Run with
 * {@code java -jar ddm-benchmarks/target/benchmarks.jar PoolLayout} (18 trials of 2 x 1 s warm-up and 5 x 2 s measurement,
 * about 5 minutes); results are in {@code POOL-LAYOUT.md}. {@link PoolLayoutRounds} measures the same variants
 * interleaved, which suits a noisy machine better.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PoolLayoutBenchmark {

    /**
     * Point select with one thread.
     * @param pools the pools of the layout
     * @param cursor the thread's shard and key choice
     * @return the row's name
     * @throws SQLException on a database error
     */
    @Benchmark
    @Threads(1)
    public String oneThread(Pools pools, Cursor cursor) throws SQLException {
        return pools.shardPools.pointSelect(cursor.nextShard(), cursor.nextId());
    }

    /**
     * Point select with four threads at once (on a 2-core machine the server and the client share the cores).
     * @param pools the pools of the layout
     * @param cursor the thread's shard and key choice
     * @return the row's name
     * @throws SQLException on a database error
     */
    @Benchmark
    @Threads(4)
    public String fourThreads(Pools pools, Cursor cursor) throws SQLException {
        return pools.shardPools.pointSelect(cursor.nextShard(), cursor.nextId());
    }

    /** The server, its shard databases and the pools of one layout, shared by all threads of a trial. */
    @State(Scope.Benchmark)
    public static class Pools {

        /** The pool layout under test. */
        @Param({"PER_SHARD_POOLS", "SHARED_POOL", "SHARED_POOL_LOCAL_STATE"})
        public Layout layout;

        /** Which shards the operations read. */
        @Param({"ONE_SHARD", "ALTERNATING", "RANDOM"})
        public Access access;

        ShardPools shardPools;

        /**
         * Starts the server (once per JVM), creates the shard databases if needed and opens the pools.
         * @throws SQLException on a database error
         */
        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            DatabaseServer server = DatabaseServers.topology(1, 0).primary(0);
            ShardDatabases.ensure(server);
            this.shardPools = ShardPools.open(this.layout, server);
        }

        /** Closes the pools; the server stops when the JVM exits. */
        @TearDown(Level.Trial)
        public void tearDown() {
            if (this.shardPools != null) {
                this.shardPools.close();
            }
        }
    }

    /** One thread's choice of shard and primary key per operation. */
    @State(Scope.Thread)
    public static class Cursor {

        private ShardChooser chooser;

        /**
         * Takes the access pattern of the trial and the thread's index.
         * @param pools the trial's pools
         * @param thread the thread's index
         */
        @Setup(Level.Trial)
        public void setUp(Pools pools, ThreadParams thread) {
            this.chooser = new ShardChooser(pools.access, thread.getThreadIndex());
        }

        int nextShard() {
            return this.chooser.nextShard();
        }

        long nextId() {
            return this.chooser.nextId();
        }
    }
}
