package io.ddm.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.ddm.benchmarks.InterleavedRounds.Operation;

/**
 * The suite's workloads. Each thread of a workload repeats one operation with its own random keys and checks the
 * result, so a contender that returned wrong rows would fail the run rather than look fast.
 */
public enum Workload {

    /** One order by sharding key and primary key, from the shard's replica. */
    POINT_SELECT("point select by sharding key", 1),

    /** The same with 16 threads. */
    POINT_SELECT_16_THREADS("point select by sharding key, 16 threads", 16),

    /** One row inserted (auto-commit), on the shard's primary. */
    POINT_INSERT("point insert", 1),

    /** The same with 16 threads. */
    POINT_INSERT_16_THREADS("point insert, 16 threads", 16),

    /**
     * One order updated by sharding key and primary key (auto-commit), on the shard's primary: the update of
     * {@link #READ_WRITE_MIX}, on a random order; it must update one row.
     */
    POINT_UPDATE("update by sharding key", 1),

    /**
     * One row of {@code t_order_log} deleted by sharding key and primary key (auto-commit), on the shard's primary; it
     * must delete one row. So that every timed operation is one honest DELETE of a row that exists, and no insert, the
     * rows come from the contender's {@link DeletePool}, loaded before the rounds straight into the physical tables
     * DDM's formula names: enough for every round (warm-up included) deleting for a whole slice at
     * {@value DeletePool#MAX_DELETES_PER_SECOND} per second, at most {@value DeletePool#MAX_ROWS}, with {@code log_id}s
     * that no other contender and no insert has. Each operation deletes the pool's next row; when none is left the run
     * fails, rather than delete nothing.
     */
    POINT_DELETE("delete by sharding key", 1),

    /** 1,000 rows of random users (all 32 tables) as one JDBC batch in one transaction. */
    BATCH_INSERT("batched insert of 1,000 rows, one transaction", 1),

    /** 10 orders of one user by an order id range: one shard, one table. */
    RANGE("single-shard range query, 10 rows", 1),

    /** {@code COUNT(*)} by status over all 32 tables. */
    SCATTER_GROUP_BY("scatter COUNT(*) GROUP BY status", 1),

    /** The 10 largest orders over all 32 tables. */
    ORDER_BY_LIMIT("cross-shard ORDER BY amount DESC LIMIT 10", 1),

    /** 80% point selects (replicas), 20% updates (primaries), 16 threads. */
    READ_WRITE_MIX("read/write 80/20, 16 threads", 16);

    /** Rows of one batch. */
    public static final int BATCH_ROWS = 1_000;

    /** Rows of the range query. */
    static final int RANGE_ROWS = 10;

    /** Rows of the ORDER BY ... LIMIT query. */
    static final int LIMIT = 10;

    private final String description;

    private final int threads;

    Workload(String description, int threads) {
        this.description = description;
        this.threads = threads;
    }

    public String description() {
        return this.description;
    }

    public int threads() {
        return this.threads;
    }

    /**
     * The operations of this workload's threads for one contender.
     * @param contender the contender
     * @param data the data (number of users)
     * @param logIds the source of unique {@code log_id}s, shared by all contenders
     * @param deletes the rows this contender's {@link #POINT_DELETE} deletes
     * @param seed seed of the threads' random keys
     * @return one operation per thread
     */
    public List<Operation> operations(Contender contender, BenchmarkData data, AtomicLong logIds, DeletePool deletes, long seed) {
        List<Operation> result = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            result.add(operation(contender, data, logIds, deletes, new SplittableRandom(seed * 1_000 + thread)));
        }
        return result;
    }

    private Operation operation(Contender contender, BenchmarkData data, AtomicLong logIds, DeletePool deletes,
            SplittableRandom random) {
        long totalOrders = (long) data.users() * BenchmarkData.ORDERS_PER_USER;
        return switch (this) {
            case POINT_SELECT, POINT_SELECT_16_THREADS -> () -> pointSelect(contender, data, random);
            case POINT_INSERT, POINT_INSERT_16_THREADS -> () -> contender.insert(logRow(data, logIds, random));
            case POINT_UPDATE -> () -> pointUpdate(contender, data, random);
            case POINT_DELETE -> () -> {
                LogRow row = deletes.take();
                check(contender.delete(row.userId(), row.logId()) == 1, contender, "delete");
            };
            case BATCH_INSERT -> () -> {
                List<LogRow> rows = new ArrayList<>(BATCH_ROWS);
                for (int i = 0; i < BATCH_ROWS; i++) {
                    rows.add(logRow(data, logIds, random));
                }
                contender.insertBatch(rows);
            };
            case RANGE -> () -> {
                long user = 1 + random.nextInt(data.users());
                long from = user * 100 + random.nextInt(BenchmarkData.ORDERS_PER_USER - RANGE_ROWS + 1);
                check(contender.range(user, from, from + RANGE_ROWS - 1).size() == RANGE_ROWS, contender, "range");
            };
            case SCATTER_GROUP_BY -> () -> check(contender.countByStatus().values().stream().mapToLong(Long::longValue).sum()
                    == totalOrders, contender, "count by status");
            case ORDER_BY_LIMIT -> () -> check(contender.largestOrders(LIMIT).size() == LIMIT, contender, "largest orders");
            case READ_WRITE_MIX -> () -> {
                if (random.nextInt(5) > 0) {
                    pointSelect(contender, data, random);
                }
                else {
                    pointUpdate(contender, data, random);
                }
            };
        };
    }

    private static void pointSelect(Contender contender, BenchmarkData data, SplittableRandom random) throws Exception {
        long user = 1 + random.nextInt(data.users());
        long order = user * 100 + random.nextInt(BenchmarkData.ORDERS_PER_USER);
        Order found = contender.pointSelect(user, order);
        check(found != null && found.orderId() == order, contender, "point select");
    }

    private static void pointUpdate(Contender contender, BenchmarkData data, SplittableRandom random) throws Exception {
        long user = 1 + random.nextInt(data.users());
        check(contender.touch(user, user * 100 + random.nextInt(BenchmarkData.ORDERS_PER_USER)) == 1, contender, "update");
    }

    /** A new row of a random user, with the next unique {@code log_id}. */
    static LogRow logRow(BenchmarkData data, AtomicLong logIds, SplittableRandom random) {
        return new LogRow(logIds.incrementAndGet(), 1 + random.nextInt(data.users()), random.nextInt(100_000));
    }

    private static void check(boolean correct, Contender contender, String what) {
        if (!correct) {
            throw new IllegalStateException(contender.name() + ": wrong result of " + what);
        }
    }

}
