package io.ddm.benchmarks.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Threads that hold the connections of one shard's primary pool with long statements, as a slow report or a batch
 * job of the same application would: each runs, over and over, a transaction (so the read goes to the primary) of
 * one {@code SELECT SLEEP(n)} on an anchor row of the shard, through DDM. More threads than the pool has connections,
 * so the pool stays exhausted and the workload's statements on that shard queue behind them.
 */
final class PoolSaturation implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();

    private final AtomicLong held = new AtomicLong();

    private final AtomicLong failed = new AtomicLong();

    private volatile boolean running = true;

    /**
     * Starts the threads.
     * @param dataSource DDM's data source
     * @param userId the anchor row's user (its shard is the one saturated)
     * @param id the anchor row's id
     * @param threadCount how many threads
     * @param sleep how long each statement holds its connection
     * @param bound the longest the threads run, whatever happens
     */
    PoolSaturation(DataSource dataSource, long userId, long id, int threadCount, Duration sleep, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        String sql = "SELECT SLEEP(" + sleep.toMillis() / 1000.0 + ") FROM " + ReliabilityData.TABLE + " WHERE user_id = ? AND id = ?";
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> {
                while (this.running && System.nanoTime() < deadline) {
                    hold(dataSource, sql, userId, id);
                }
            }, "reliability-saturation-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
            thread.start();
        }
    }

    private void hold(DataSource dataSource, String sql, long userId, long id) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setLong(1, userId);
                select.setLong(2, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rows.getObject(1);
                    }
                }
            }
            connection.commit();
            this.held.incrementAndGet();
        }
        catch (SQLException | RuntimeException ex) {
            this.failed.incrementAndGet();
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                this.running = false;
            }
        }
    }

    /** Statements that held a connection for their whole sleep. */
    long held() {
        return this.held.get();
    }

    /** Statements that failed (e.g. got no connection in time). */
    long failed() {
        return this.failed.get();
    }

    /** Stops the threads once their statement returns, waiting for at most a minute. */
    @Override
    public void close() {
        this.running = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        for (Thread thread : this.threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
