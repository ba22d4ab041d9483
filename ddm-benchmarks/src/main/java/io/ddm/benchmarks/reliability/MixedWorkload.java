package io.ddm.benchmarks.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

/**
 * The workload: threads of point reads, inserts, updates and multi-statement transactions through DDM's data source,
 * each operation on a fresh logical connection (borrow, prepare, execute, close), as an application with
 * {@code JdbcTemplate} does. Each thread writes only its own rows ({@link ReliabilityData}) and keeps a
 * {@link WriterLedger} of what it was told; a write counts as acknowledged only when {@code executeUpdate} or
 * {@code commit} returned normally. Mix: 45% reads, 25% inserts, 15% updates, 15% transactions.
 *
 * <p>Bounded: the threads stop when asked, and in any case at a deadline given at start.
 */
final class MixedWorkload {

    static final String INSERT = "INSERT INTO " + ReliabilityData.TABLE + " (id, user_id, writer, v) VALUES (?, ?, ?, 0)";

    static final String SELECT = "SELECT v FROM " + ReliabilityData.TABLE + " WHERE user_id = ? AND id = ?";

    static final String UPDATE = "UPDATE " + ReliabilityData.TABLE + " SET v = v + 1 WHERE user_id = ? AND id = ?";

    private final DataSource dataSource;

    private final Windows windows;

    private final ShardProgress progress;

    private final List<WriterLedger> ledgers = new ArrayList<>();

    private final List<Thread> threads = new ArrayList<>();

    private final long seed;

    private final AtomicReference<Throwable> crash = new AtomicReference<>();

    /** The window of each thread's current operation, -1 before its first. */
    private final AtomicIntegerArray windowOfThread;

    private volatile boolean running = true;

    MixedWorkload(DataSource dataSource, int threads, Windows windows, ShardProgress progress, long seed) {
        this.dataSource = dataSource;
        this.windows = windows;
        this.progress = progress;
        this.seed = seed;
        this.windowOfThread = new AtomicIntegerArray(threads);
        for (int t = 0; t < threads; t++) {
            this.ledgers.add(new WriterLedger(t));
            this.windowOfThread.set(t, -1);
        }
    }

    /**
     * Starts the threads.
     * @param bound the longest they run, whatever happens
     */
    void start(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (WriterLedger ledger : this.ledgers) {
            Thread thread = new Thread(() -> run(ledger, deadline), "reliability-writer-" + ledger.writer());
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    /**
     * Stops the threads after their current operation.
     * @param wait how long to wait for them
     * @return whether all stopped
     */
    boolean stop(Duration wait) throws InterruptedException {
        this.running = false;
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread thread : this.threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return this.threads.stream().noneMatch(Thread::isAlive);
    }

    List<WriterLedger> ledgers() {
        return this.ledgers;
    }

    /**
     * Whether every thread's current operation started in a window (or a later one): none is still running an
     * operation of an earlier window, which a fault injected now would count there.
     * @param window the window
     * @return {@code true} once all moved on
     */
    boolean allIn(Window window) {
        for (int t = 0; t < this.windowOfThread.length(); t++) {
            if (this.windowOfThread.get(t) < window.index()) {
                return false;
            }
        }
        return true;
    }

    /** A failure of the workload itself (not of a statement), which makes the run meaningless. */
    Throwable crash() {
        return this.crash.get();
    }

    private void run(WriterLedger ledger, long deadline) {
        Random random = new Random(this.seed * 31 + ledger.writer());
        Latencies latencies = new Latencies();
        try {
            while (this.running && System.nanoTime() < deadline) {
                Window window = this.windows.current();
                if (window == null) {
                    Thread.sleep(1);
                    continue;
                }
                this.windowOfThread.set(ledger.writer(), window.index());
                int dice = random.nextInt(100);
                long started = System.nanoTime();
                if (dice < 45) {
                    read(ledger, random, window, started);
                }
                else if (dice < 70) {
                    insert(ledger, random, window, started);
                }
                else if (dice < 85) {
                    update(ledger, random, window, started);
                }
                else {
                    transaction(ledger, random, window, started);
                }
                latencies.add(window.index(), System.nanoTime() - started);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Throwable ex) {
            this.crash.compareAndSet(null, ex);
        }
        finally {
            latencies.flushTo(this.windows.all());
        }
    }

    private void read(WriterLedger ledger, Random random, Window window, long started) {
        int seq = ledger.anyAcknowledged(random);
        if (seq == 0) {
            insert(ledger, random, window, started);
            return;
        }
        int shard = ReliabilityData.shardOf(ledger.userId(seq));
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setLong(1, ledger.userId(seq));
            select.setLong(2, ledger.id(seq));
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    // Replication has not brought the row to the replica yet (the audit tells whether it is lost).
                    window.staleRead();
                }
            }
            window.succeeded(Operation.READ, shard, started, System.nanoTime() - started);
        }
        catch (SQLException | RuntimeException ex) {
            window.failed(Operation.READ, shard, started, System.nanoTime() - started, FailureCause.of(ex), false);
        }
    }

    private void insert(WriterLedger ledger, Random random, Window window, long started) {
        int seq = ledger.newRow(random.nextInt(ReliabilityData.USERS_PER_THREAD), 0);
        int shard = ReliabilityData.shardOf(ledger.userId(seq));
        boolean acknowledged = false;
        Exception failure = null;
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bindInsert(insert, ledger, seq);
            insert.executeUpdate();
            acknowledged = true;
        }
        catch (SQLException | RuntimeException ex) {
            failure = ex;
        }
        long nanos = System.nanoTime() - started;
        if (acknowledged) {
            // Even if closing failed afterwards: executeUpdate returned, the write is acknowledged.
            ledger.settleRow(seq, WriterLedger.ACKNOWLEDGED);
            window.succeeded(Operation.INSERT, shard, started, nanos);
            this.progress.succeeded(shard, started);
        }
        else {
            FailureCause cause = FailureCause.of(failure);
            ledger.settleRow(seq, cause.mayHaveApplied() ? WriterLedger.IN_DOUBT : WriterLedger.FAILED);
            window.failed(Operation.INSERT, shard, started, nanos, cause, cause.mayHaveApplied());
        }
    }

    private void update(WriterLedger ledger, Random random, Window window, long started) {
        int seq = ledger.anyAcknowledged(random);
        if (seq == 0) {
            insert(ledger, random, window, started);
            return;
        }
        int shard = ReliabilityData.shardOf(ledger.userId(seq));
        int updated = -1;
        Exception failure = null;
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setLong(1, ledger.userId(seq));
            update.setLong(2, ledger.id(seq));
            updated = update.executeUpdate();
        }
        catch (SQLException | RuntimeException ex) {
            failure = ex;
        }
        long nanos = System.nanoTime() - started;
        if (updated >= 0) {
            if (updated == 0) {
                // An acknowledged row not found on its primary: the audit will count it lost.
                window.updateMiss();
            }
            else {
                ledger.increment(seq, WriterLedger.ACKNOWLEDGED);
            }
            window.succeeded(Operation.UPDATE, shard, started, nanos);
            this.progress.succeeded(shard, started);
        }
        else {
            FailureCause cause = FailureCause.of(failure);
            if (cause.mayHaveApplied()) {
                ledger.increment(seq, WriterLedger.IN_DOUBT);
            }
            window.failed(Operation.UPDATE, shard, started, nanos, cause, cause.mayHaveApplied());
        }
    }

    /** 2 or 3 rows of one user and the update of the user's latest acknowledged row, in one local transaction. */
    private void transaction(WriterLedger ledger, Random random, Window window, long started) {
        int user = random.nextInt(ReliabilityData.USERS_PER_THREAD);
        int target = ledger.latestOf(user);
        int number = ledger.newTransaction();
        int[] rows = new int[2 + random.nextInt(2)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = ledger.newRow(user, number);
        }
        int shard = ReliabilityData.shardOf(ledger.userId(rows[0]));
        boolean committing = false;
        boolean committed = false;
        boolean updated = false;
        Exception failure = null;
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (int seq : rows) {
                        bindInsert(insert, ledger, seq);
                        insert.executeUpdate();
                    }
                }
                if (target != 0) {
                    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                        update.setLong(1, ledger.userId(target));
                        update.setLong(2, ledger.id(target));
                        updated = update.executeUpdate() == 1;
                    }
                    if (!updated) {
                        window.updateMiss();
                    }
                }
                committing = true;
                connection.commit();
                committed = true;
            }
            finally {
                if (!committed) {
                    rollbackQuietly(connection);
                }
            }
        }
        catch (SQLException | RuntimeException ex) {
            failure = ex;
        }
        long nanos = System.nanoTime() - started;
        byte outcome;
        if (committed) {
            outcome = WriterLedger.ACKNOWLEDGED;
            window.succeeded(Operation.TRANSACTION, shard, started, nanos);
            this.progress.succeeded(shard, started);
        }
        else {
            FailureCause cause = FailureCause.of(failure);
            boolean doubtful = committing && cause.mayHaveApplied();
            outcome = doubtful ? WriterLedger.IN_DOUBT : WriterLedger.FAILED;
            window.failed(Operation.TRANSACTION, shard, started, nanos, cause, doubtful);
        }
        for (int seq : rows) {
            ledger.settleRow(seq, outcome);
        }
        ledger.settleTransaction(number, outcome);
        if (updated) {
            ledger.increment(target, outcome);
        }
    }

    private static void bindInsert(PreparedStatement insert, WriterLedger ledger, int seq) throws SQLException {
        insert.setLong(1, ledger.id(seq));
        insert.setLong(2, ledger.userId(seq));
        insert.setInt(3, ledger.writer());
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        }
        catch (SQLException | RuntimeException ex) {
            // The transaction failed already; the rollback's own failure (a dead connection) adds nothing.
        }
    }

    /** One thread's latencies by window, handed to the windows when the thread stops. */
    private static final class Latencies {

        private long[][] byWindow = new long[16][];

        private int[] counts = new int[16];

        void add(int window, long nanos) {
            if (window >= this.byWindow.length) {
                this.byWindow = Arrays.copyOf(this.byWindow, Math.max(window + 1, this.byWindow.length * 2));
                this.counts = Arrays.copyOf(this.counts, this.byWindow.length);
            }
            long[] values = this.byWindow[window];
            if (values == null) {
                values = new long[1024];
                this.byWindow[window] = values;
            }
            else if (this.counts[window] == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
                this.byWindow[window] = values;
            }
            values[this.counts[window]++] = nanos;
        }

        void flushTo(List<Window> windows) {
            for (Window window : windows) {
                int index = window.index();
                if (index < this.byWindow.length && this.byWindow[index] != null) {
                    window.addLatencies(this.byWindow[index], this.counts[index]);
                }
            }
        }

    }

}
