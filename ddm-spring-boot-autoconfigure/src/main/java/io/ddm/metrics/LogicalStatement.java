package io.ddm.metrics;

import java.util.BitSet;

import com.alibaba.ttl.TransmittableThreadLocal;

/**
 * One statement the application runs through the DDM DataSource, while it runs: collects the shard databases
 * its physical statements touch.
 *
 * <p>The current statement is held by a per-thread {@link Slot} in a {@link TransmittableThreadLocal}: a thread sets
 * its slot once and then only changes what the slot points to, so beginning and ending a statement writes one field
 * instead of adding the thread-local to, and removing it from, TTL's per-thread registry each time. ShardingSphere runs
 * the physical statements of one logical statement on the calling thread and, for the other data sources, on its
 * executor threads; its executor service is wrapped by {@code TtlExecutors}, which captures the caller's value when a
 * task is submitted and installs it on the worker thread while the task runs (the same mechanism that carries
 * {@code HintManager} to the workers). The capture is a new slot holding the statement current at submission
 * ({@link TransmittableThreadLocal#copy}), so a worker reports to the very object the caller created even when it
 * finishes after the caller moved on to its next statement; this class is thread-safe. Threads created while a
 * statement runs do not inherit it.
 */
final class LogicalStatement {

    private static final TransmittableThreadLocal<Slot> CURRENT = new TransmittableThreadLocal<>() {

        @Override
        public Slot copy(Slot parentValue) {
            // What a task submitted now runs in: the statement current now, whatever the caller runs later; outside a
            // statement, nothing (no slot to allocate for every task a thread submits between its statements).
            return (parentValue != null && parentValue.statement != null) ? new Slot(parentValue.statement) : null;
        }

        @Override
        protected Slot childValue(Slot parentValue) {
            // A pool thread created during a statement must not keep it: only TTL's capture carries it to tasks.
            return null;
        }

    };

    private final StatementObserver observer;

    /** The slot of the thread that began the statement. */
    private final Slot slot;

    private final LogicalStatement previous;

    /** The first shard database touched, or -1. */
    private int firstShard = -1;

    /** The other shard databases touched, once there is one: most statements touch one. */
    private BitSet otherShards;

    private boolean ended;

    private LogicalStatement(StatementObserver observer, Slot slot, LogicalStatement previous) {
        this.observer = observer;
        this.slot = slot;
        this.previous = previous;
    }

    /**
     * Starts a statement on the calling thread. Always pair with {@link #end()} in a {@code finally} block.
     * @param observer where physical statements are reported
     * @return the statement
     */
    static LogicalStatement begin(StatementObserver observer) {
        Slot slot = CURRENT.get();
        if (slot == null) {
            slot = new Slot(null);
            CURRENT.set(slot);
        }
        LogicalStatement statement = new LogicalStatement(observer, slot, slot.statement);
        slot.statement = statement;
        return statement;
    }

    /**
     * The statement running on this thread, the caller's or, on a ShardingSphere executor thread, the one that
     * submitted the task.
     * @return the statement, or {@code null} outside one
     */
    static LogicalStatement current() {
        Slot slot = CURRENT.get();
        return (slot != null) ? slot.statement : null;
    }

    /**
     * Ends the statement on the calling thread. Physical statements still running on other threads (ShardingSphere
     * stops waiting for them after the first failure) are recorded as physical statements but no longer change
     * the count of shards.
     * @return the number of distinct shard databases touched
     */
    int end() {
        this.slot.statement = this.previous;
        synchronized (this) {
            this.ended = true;
            if (this.firstShard < 0) {
                return 0;
            }
            return 1 + ((this.otherShards != null) ? this.otherShards.cardinality() : 0);
        }
    }

    void physicalStarted(String dataSourceName) {
        int shard = this.observer.shardOf(dataSourceName);
        if (shard >= 0) {
            synchronized (this) {
                if (!this.ended) {
                    touched(shard);
                }
            }
        }
    }

    private void touched(int shard) {
        if (this.firstShard < 0) {
            this.firstShard = shard;
        }
        else if (shard != this.firstShard) {
            if (this.otherShards == null) {
                this.otherShards = new BitSet();
            }
            this.otherShards.set(shard);
        }
    }

    void physicalFinished(String dataSourceName, boolean success, long nanos) {
        this.observer.physicalExecuted(dataSourceName, success, nanos);
    }

    /** What a thread's statement is: set once per thread, then pointed at each statement as it begins and ends. */
    private static final class Slot {

        private LogicalStatement statement;

        private Slot(LogicalStatement statement) {
            this.statement = statement;
        }

    }

}
