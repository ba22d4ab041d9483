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
 * @param segments the range segments of a table split into them, or {@code null}
 */
public record TableDescriptor(String name, String kind, String bindingGroup, StrategyDescriptor databaseSharding,
        StrategyDescriptor tableSharding, int tablesPerShard, boolean globalNumbering, List<String> dataNodes,
        SegmentsDescriptor segments) {

    /**
     * A table without range segments.
     * @param name logical table name
     * @param kind {@code sharded}, {@code broadcast} or {@code single}
     * @param bindingGroup binding group, or {@code null}
     * @param databaseSharding how rows spread over shards, or {@code null}
     * @param tableSharding how rows spread over a shard's tables, or {@code null}
     * @param tablesPerShard physical tables in each shard
     * @param globalNumbering whether the key picks among all tables directly
     * @param dataNodes every physical table
     */
    public TableDescriptor(String name, String kind, String bindingGroup, StrategyDescriptor databaseSharding,
            StrategyDescriptor tableSharding, int tablesPerShard, boolean globalNumbering, List<String> dataNodes) {
        this(name, kind, bindingGroup, databaseSharding, tableSharding, tablesPerShard, globalNumbering, dataNodes, null);
    }

    /**
     * A sharding strategy.
     * @param column sharding column
     * @param algorithm algorithm name
     * @param parameters algorithm parameters, or {@code null}
     */
    public record StrategyDescriptor(String column, String algorithm, String parameters) {
    }

    /**
     * The range segments of a table, and how full the newest one is.
     * @param column the column whose value picks the segment
     * @param segments every segment, oldest first
     * @param newest how full the newest segment is, or {@code null} when its shards cannot be asked now
     * @param error why the fill is unknown, or {@code null}
     */
    public record SegmentsDescriptor(String column, List<SegmentDescriptor> segments, FillDescriptor newest, String error) {
    }

    /**
     * One range segment.
     * @param index segment index, the last part of its physical tables' names
     * @param from smallest key, inclusive
     * @param to largest key, inclusive
     * @param tables its physical table in every shard, as {@code node.database.table}
     */
    public record SegmentDescriptor(int index, long from, long to, List<String> tables) {
    }

    /**
     * How full the newest segment is, measured by the highest key stored in it ({@code MAX} per shard).
     * @param index segment index
     * @param capacity keys the segment holds ({@code to - from + 1})
     * @param highestKey highest key stored in it over all shards, or {@code null} when empty
     * @param used keys up to the highest ({@code highestKey - from + 1}), {@code 0} when empty
     * @param fill {@code used / capacity}, 0..1
     */
    public record FillDescriptor(int index, long capacity, Long highestKey, long used, double fill) {
    }

}
