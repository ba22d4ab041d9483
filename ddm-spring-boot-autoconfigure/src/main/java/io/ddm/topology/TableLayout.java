package io.ddm.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.ddm.algorithm.FunctionParameters;
import io.ddm.algorithm.ShardingKeyKind;
import io.ddm.algorithm.ShardingFunction;

/**
 * How one logical table is laid out over shards.
 *
 * @param name logical table name
 * @param kind sharded, broadcast or single
 * @param databaseSharding the database sharding strategy ({@code null} unless sharded)
 * @param tableSharding the table sharding strategy ({@code null} when each shard holds one table)
 * @param tablesPerShard physical tables in every shard that holds the table
 * @param globalNumbering whether database and table sharding share column and algorithm, so the key picks
 * one of all {@code shards * tablesPerShard} tables directly (DDM's numbering)
 * @param keyGeneratorColumn generated-key column, or {@code null}
 * @param keyGeneratorType generated-key type, or {@code null}
 * @param bindingGroup binding group, or {@code null}
 * @param dataNodes every physical table, in shard then table order
 * @param segments the range segments that split the table inside each shard, or {@code null}; then
 * {@code tableSharding} is {@code null} and {@code tablesPerShard} is the number of segments
 */
public record TableLayout(String name, Kind kind, Strategy databaseSharding, Strategy tableSharding, int tablesPerShard,
        boolean globalNumbering, String keyGeneratorColumn, String keyGeneratorType, String bindingGroup,
        List<DataNode> dataNodes, Segments segments) {

    public TableLayout {
        dataNodes = List.copyOf(dataNodes);
    }

    /**
     * A layout without range segments.
     * @param name logical table name
     * @param kind sharded, broadcast or single
     * @param databaseSharding the database sharding strategy
     * @param tableSharding the table sharding strategy
     * @param tablesPerShard physical tables in every shard
     * @param globalNumbering whether the key picks one of all tables directly
     * @param keyGeneratorColumn generated-key column
     * @param keyGeneratorType generated-key type
     * @param bindingGroup binding group
     * @param dataNodes every physical table
     */
    public TableLayout(String name, Kind kind, Strategy databaseSharding, Strategy tableSharding, int tablesPerShard,
            boolean globalNumbering, String keyGeneratorColumn, String keyGeneratorType, String bindingGroup,
            List<DataNode> dataNodes) {
        this(name, kind, databaseSharding, tableSharding, tablesPerShard, globalNumbering, keyGeneratorColumn, keyGeneratorType,
                bindingGroup, dataNodes, null);
    }

    /**
     * Lays out a sharded table: {@code tablesPerShard} tables in every shard, numbered globally.
     * @param name logical table
     * @param topologyShards shard count
     * @param placement shard placement
     * @param schema logical schema
     * @param tablesPerShard tables per shard ({@code 1} without table sharding)
     * @param subTables whether the table has table sharding (physical names carry the number)
     * @return data nodes
     */
    public static List<DataNode> shardedDataNodes(String name, int topologyShards, ShardPlacement placement, String schema,
            int tablesPerShard, boolean subTables) {
        List<DataNode> result = new ArrayList<>(topologyShards * tablesPerShard);
        for (int shard = 0; shard < topologyShards; shard++) {
            for (int table = 0; table < tablesPerShard; table++) {
                String physical = subTables ? PhysicalNames.physicalTable(name, shard * tablesPerShard + table) : name;
                result.add(new DataNode(placement.nodeOf(shard), shard, PhysicalNames.shardDatabase(schema, shard), physical));
            }
        }
        return result;
    }

    /**
     * Lays out a table split into range segments: one table per segment in every shard, named by shard and segment.
     * @param name logical table
     * @param topologyShards shard count
     * @param placement shard placement
     * @param schema logical schema
     * @param segments the segments
     * @return data nodes, in shard then segment order
     */
    public static List<DataNode> segmentDataNodes(String name, int topologyShards, ShardPlacement placement, String schema,
            Segments segments) {
        List<DataNode> result = new ArrayList<>(topologyShards * segments.count());
        for (int shard = 0; shard < topologyShards; shard++) {
            for (int segment = 0; segment < segments.count(); segment++) {
                result.add(new DataNode(placement.nodeOf(shard), shard, PhysicalNames.shardDatabase(schema, shard),
                        PhysicalNames.segmentTable(name, shard, segment)));
            }
        }
        return result;
    }

    /**
     * Kinds of logical table.
     */
    public enum Kind {

        /** Rows spread over shards (and sub-tables) by sharding algorithms. */
        SHARDED,

        /** A full copy in every shard; writes go to all copies. */
        BROADCAST,

        /** Lives in the default shard only. */
        SINGLE

    }

    /**
     * A sharding strategy: column, algorithm and the algorithm's parameters.
     *
     * @param column sharding column
     * @param function sharding algorithm
     * @param parameters algorithm parameters
     */
    public record Strategy(String column, ShardingFunction function,
            FunctionParameters parameters) {

        /**
         * The kinds of column this strategy accepts (only dates when it applies a date function).
         * @return accepted kinds
         */
        public Set<ShardingKeyKind> acceptedKinds() {
            return this.function.acceptedKinds(this.parameters);
        }

        @Override
        public String toString() {
            String parameters = this.parameters.equals(FunctionParameters.NONE) ? "" : " " + this.parameters;
            return this.function.propertyName() + "(" + this.column + ")" + parameters;
        }

    }

}
