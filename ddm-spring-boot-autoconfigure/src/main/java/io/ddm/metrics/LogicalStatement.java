package io.ddm.metrics;

import java.util.BitSet;

import com.alibaba.ttl.TransmittableThreadLocal;

/**
 * One statement the application runs through the DDM DataSource, while it runs: collects the shard databases
 * its physical statements touch.
 *
 * <p>The current statement lives in a {@link TransmittableThreadLocal}. ShardingSphere runs the physical
 * statements of one logical statement on the calling thread and, for the other data sources, on its executor
 * threads; its executor service is wrapped by {@code TtlExecutors}, which captures the caller's value when a task
 * is submitted and installs it on the worker thread while the task runs (the same mechanism that carries
 * {@code HintManager} to the workers). Workers therefore report to the very object the caller created, so this
 * class is thread-safe. Threads created while a statement runs do not inherit it.
 */
final class LogicalStatement {

    private static final TransmittableThreadLocal<LogicalStatement> CURRENT = new TransmittableThreadLocal<>() {

        @Override
        protected LogicalStatement childValue(LogicalStatement parentValue) {
            // A pool thread created during a statement must not keep it: only TTL's capture carries it to tasks.
            return null;
        }

    };

    private final StatementObserver observer;

    private final LogicalStatement previous;

    private final BitSet shards = new BitSet();

    private boolean ended;

    private LogicalStatement(StatementObserver observer, LogicalStatement previous) {
        this.observer = observer;
        this.previous = previous;
    }

    /**
     * Starts a statement on the calling thread. Always pair with {@link #end()} in a {@code finally} block.
     * @param observer where physical statements are reported
     * @return the statement
     */
    static LogicalStatement begin(StatementObserver observer) {
        LogicalStatement statement = new LogicalStatement(observer, CURRENT.get());
        CURRENT.set(statement);
        return statement;
    }

    /**
     * The statement running on this thread, the caller's or, on a ShardingSphere executor thread, the one that
     * submitted the task.
     * @return the statement, or {@code null} outside one
     */
    static LogicalStatement current() {
        return CURRENT.get();
    }

    /**
     * Ends the statement on the calling thread. Physical statements still running on other threads (ShardingSphere
     * stops waiting for them after the first failure) are recorded as physical statements but no longer change
     * the count of shards.
     * @return the number of distinct shard databases touched
     */
    int end() {
        if (this.previous != null) {
            CURRENT.set(this.previous);
        }
        else {
            CURRENT.remove();
        }
        synchronized (this) {
            this.ended = true;
            return this.shards.cardinality();
        }
    }

    void physicalStarted(String dataSourceName) {
        int shard = this.observer.shardOf(dataSourceName);
        if (shard >= 0) {
            synchronized (this) {
                if (!this.ended) {
                    this.shards.set(shard);
                }
            }
        }
    }

    void physicalFinished(String dataSourceName, boolean success, long nanos) {
        this.observer.physicalExecuted(dataSourceName, success, nanos);
    }

}
