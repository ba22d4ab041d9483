package io.ddm.benchmarks;

/** Which shard each operation of a benchmark thread reads from. */
public enum Access {

    /** Every operation of a thread reads the same shard (thread {@code i}: shard {@code i mod 4}). */
    ONE_SHARD,

    /** A thread reads the shards in turn, 0, 1, 2, 3, 0, ...: every operation changes the database (worst case). */
    ALTERNATING,

    /** A random shard per operation, as a hash-routed point query: 3 in 4 operations change the database. */
    RANDOM
}
