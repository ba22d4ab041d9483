package io.ddm.benchmarks;

import java.util.concurrent.ThreadLocalRandom;

/** One benchmark thread's choice of shard and primary key per operation. Not thread-safe: one per thread. */
public final class ShardChooser {

    private final Access access;

    private final int home;

    private int next;

    /**
     * A chooser for one thread.
     * @param access the access pattern
     * @param threadIndex the thread's index, 0 for the first; it reads shard {@code threadIndex mod 4} first
     */
    public ShardChooser(Access access, int threadIndex) {
        this.access = access;
        this.home = threadIndex % ShardDatabases.SHARDS;
        this.next = this.home;
    }

    /**
     * The shard of the next operation.
     * @return 0 to {@value ShardDatabases#SHARDS} - 1
     */
    public int nextShard() {
        return switch (this.access) {
            case ONE_SHARD -> this.home;
            case ALTERNATING -> {
                int shard = this.next;
                this.next = (shard + 1) % ShardDatabases.SHARDS;
                yield shard;
            }
            case RANDOM -> ThreadLocalRandom.current().nextInt(ShardDatabases.SHARDS);
        };
    }

    /**
     * The primary key of the next operation, uniformly random.
     * @return 1 to {@value ShardDatabases#ROWS}
     */
    public long nextId() {
        return ThreadLocalRandom.current().nextInt(ShardDatabases.ROWS) + 1;
    }
}
