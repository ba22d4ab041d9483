package io.ddm.metrics;

/**
 * What {@link LogicalStatement} and the {@link StatementMetricsHook} report to. Deliberately free of Micrometer
 * types: ShardingSphere loads the hook as a service even in applications without Micrometer.
 */
interface StatementObserver {

    /**
     * The shard of a physical data source.
     * @param dataSourceName ShardingSphere's name of the physical data source ({@code shop_3__ds0-r0})
     * @return shard index, or {@code -1} for a data source this observer does not know
     */
    int shardOf(String dataSourceName);

    /**
     * Records one statement run on a physical data source.
     * @param dataSourceName ShardingSphere's name of the physical data source
     * @param success whether it succeeded
     * @param nanos how long it took
     */
    void physicalExecuted(String dataSourceName, boolean success, long nanos);

}
