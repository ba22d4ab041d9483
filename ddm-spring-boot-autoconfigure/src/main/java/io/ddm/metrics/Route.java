package io.ddm.metrics;

/**
 * How many shard databases one logical statement touched, compared with the shards its table has: the
 * {@code route} tag of {@code ddm.statements.logical}.
 */
enum Route {

    /** One shard database: the statement carried its sharding key (or the table lives in one shard). */
    SINGLE_SHARD("single-shard"),

    /** More than one shard database but not all of the table's: an {@code IN} or range over a few keys. */
    MULTI_SHARD("multi-shard"),

    /** Every shard database of the table: a scatter statement, typically one that missed the sharding key. */
    ALL_SHARDS("all-shards"),

    /** No physical statement ran: answered by ShardingSphere itself, or failed before execution. */
    NONE("none");

    private final String tagValue;

    Route(String tagValue) {
        this.tagValue = tagValue;
    }

    /**
     * The route of a statement.
     * @param touched distinct shard databases the statement ran on
     * @param tableShards shard databases the statement's table has
     * @return the route
     */
    static Route of(int touched, int tableShards) {
        if (touched == 0) {
            return NONE;
        }
        if (touched == 1) {
            return SINGLE_SHARD;
        }
        return (touched >= tableShards) ? ALL_SHARDS : MULTI_SHARD;
    }

    String tagValue() {
        return this.tagValue;
    }

}
