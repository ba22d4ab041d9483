package io.ddm.endpoint;

import java.util.List;

/**
 * One logical table's layout.
 *
 * @param name logical table name
 * @param kind {@code sharded}, {@code broadcast} or {@code single}
 * @param bindingGroup binding group of a sharded table, or {@code null}
 * @param databaseSharding how rows spread over shards, or {@code null}
 * @param tableSharding how rows spread over a shard's tables, or {@code null}
 * @param tablesPerShard physical tables in each shard that holds the table
 * @param globalNumbering whether the key picks among all tables directly (same column and algorithm)
 * @param dataNodes every physical table as {@code node.database.table}
 */
public record TableDescriptor(String name, String kind, String bindingGroup, StrategyDescriptor databaseSharding,
        StrategyDescriptor tableSharding, int tablesPerShard, boolean globalNumbering, List<String> dataNodes) {

    /**
     * A sharding strategy.
     * @param column sharding column
     * @param algorithm algorithm name
     * @param parameters algorithm parameters, or {@code null}
     */
    public record StrategyDescriptor(String column, String algorithm, String parameters) {
    }

}
