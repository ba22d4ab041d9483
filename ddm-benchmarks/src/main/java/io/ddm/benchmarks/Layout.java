package io.ddm.benchmarks;

/** How the shard databases of one server get their connections. */
public enum Layout {

    /** DDM's layout: one HikariCP pool per shard database, each on {@code jdbc:mysql://host:port/shop_n}. */
    PER_SHARD_POOLS,

    /**
     * One HikariCP pool per server without a default database; each shard borrows from it and calls
     * {@code setCatalog("shop_n")}. Connector/J defaults: every {@code setCatalog} sends {@code USE shop_n}.
     */
    SHARED_POOL,

    /**
     * Like {@link #SHARED_POOL} with {@code useLocalSessionState=true}: Connector/J skips {@code USE} when the
     * connection is already on that database.
     */
    SHARED_POOL_LOCAL_STATE
}
