package io.ddm.benchmarks.suite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.ddm.test.servers.DatabaseTopology;

/**
 * The rows one contender's {@link Workload#POINT_DELETE} deletes, so that each timed operation is one DELETE of a row
 * that exists and nothing else. The rows (of random users) are loaded before the rounds straight into the physical
 * tables of {@code t_order_log} that DDM's formula names, where every contender routes them
 * ({@link BenchmarkData#loadLogRows}). Their {@code log_id}s come from the run's counter, so no other contender's pool
 * and no insert has them: a contender never deletes another's rows. Each delete takes the next row; a pool that runs
 * dry fails the run rather than let an operation delete nothing.
 */
public final class DeletePool {

    /**
     * Upper bound of one thread's deletes per second the pools are sized for: generous, about four times the
     * single-thread point insert rate of a full run on the suite's machine (a delete by key costs about what an insert
     * does).
     */
    static final int MAX_DELETES_PER_SECOND = 20_000;

    /** The most rows of one contender's pool, so that a long run does not load millions of rows per contender. */
    static final int MAX_ROWS = 500_000;

    private final String contender;

    private final List<LogRow> rows;

    private final AtomicInteger taken = new AtomicInteger();

    private DeletePool(String contender, List<LogRow> rows) {
        this.contender = contender;
        this.rows = List.copyOf(rows);
    }

    /**
     * Rows enough for one contender's deletes: every round, warm-up included, deleting for one slice at
     * {@value #MAX_DELETES_PER_SECOND} per second; at most {@value #MAX_ROWS}.
     * @param options the suite's options
     * @return rows per contender
     */
    static int rowsFor(BenchmarkSuite.Options options) {
        long rows = (long) (options.warmupRounds() + options.rounds()) * options.sliceMillis() * MAX_DELETES_PER_SECOND / 1_000;
        return (int) Math.min(rows, MAX_ROWS);
    }

    /**
     * Loads a contender's pool.
     * @param topology the servers, with the data loaded
     * @param data the data (number of users)
     * @param contender the contender's name, for the failure when the pool runs dry
     * @param rows rows to load, none for a run without {@link Workload#POINT_DELETE}
     * @param logIds the source of unique {@code log_id}s, shared by all contenders and inserts
     * @param seed seed of the rows' random users
     * @return the pool
     * @throws SQLException on a database error
     */
    static DeletePool load(DatabaseTopology topology, BenchmarkData data, String contender, int rows, AtomicLong logIds, long seed)
            throws SQLException {
        SplittableRandom random = new SplittableRandom(seed);
        List<LogRow> pool = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            pool.add(Workload.logRow(data, logIds, random));
        }
        BenchmarkData.loadLogRows(topology, pool);
        return new DeletePool(contender, pool);
    }

    /**
     * The next row to delete, which no one else deletes.
     * @return the row
     * @throws IllegalStateException when every row of the pool has been taken
     */
    LogRow take() {
        int next = this.taken.getAndIncrement();
        if (next >= this.rows.size()) {
            throw new IllegalStateException(this.contender + ": no row left to delete, all " + this.rows.size() + " rows loaded for "
                    + Workload.POINT_DELETE + " are deleted. The pool holds (warm-up + measured rounds) x slice x "
                    + MAX_DELETES_PER_SECOND + " deletes/s, at most " + MAX_ROWS + " rows: run fewer or shorter rounds");
        }
        return this.rows.get(next);
    }

}
