package io.ddm.benchmarks.reliability;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The first successful write on each shard after a moment (a server's restart or resume), as the workload sees it:
 * when the application can write there again, whatever DDM's monitors say.
 */
final class ShardProgress {

    private final AtomicLongArray armedAt = new AtomicLongArray(ReliabilityData.SHARDS);

    private final AtomicLongArray firstSuccess = new AtomicLongArray(ReliabilityData.SHARDS);

    /**
     * Watches a shard from a moment on.
     * @param shard the shard
     * @param nanos the moment ({@link System#nanoTime()}); writes started before it do not count
     */
    void arm(int shard, long nanos) {
        this.firstSuccess.set(shard, 0);
        this.armedAt.set(shard, nanos);
    }

    /**
     * A write on a shard succeeded.
     * @param shard the shard
     * @param startedNanos when the write started
     */
    void succeeded(int shard, long startedNanos) {
        long armed = this.armedAt.get(shard);
        if (armed != 0 && startedNanos >= armed && this.firstSuccess.get(shard) == 0) {
            this.firstSuccess.compareAndSet(shard, 0, System.nanoTime());
        }
    }

    /**
     * When the first write that started after {@link #arm} succeeded.
     * @param shard the shard
     * @return its end ({@link System#nanoTime()}), 0 for none yet
     */
    long firstSuccess(int shard) {
        return this.firstSuccess.get(shard);
    }

}
