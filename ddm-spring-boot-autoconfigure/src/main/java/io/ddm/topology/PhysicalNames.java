package io.ddm.topology;

/**
 * The one naming pattern of physical objects.
 * <ul>
 * <li>Shard database {@code i} of logical schema {@code shop}: {@code shop_i}.</li>
 * <li>A sharded table with {@code T} tables per shard: {@code t_order_g}, numbered globally, so shard
 * {@code s} holds {@code t_order_(s*T)} .. {@code t_order_(s*T+T-1)} and every physical table name is unique
 * across the whole logical database.</li>
 * <li>A table split into range segments: {@code t_order_s_n} for segment {@code n} in shard {@code s}, so
 * names stay the same when a segment is added and are unique across the whole logical database.</li>
 * <li>A table sharded by database only, a broadcast table or a single table keeps its logical name in each
 * shard that holds it.</li>
 * <li>The ShardingSphere data source of a shard on one server: {@code shop_i__ds0} (primary) or
 * {@code shop_i__ds0-r0} (replica); the shard itself, as routing sees it, is {@code shop_i}.</li>
 * </ul>
 */
public final class PhysicalNames {

    /** Separates the shard database from the server in a physical data source name. */
    public static final String SERVER_SEPARATOR = "__";

    private PhysicalNames() {
    }

    /**
     * The prefix of shard database names.
     * @param schema logical schema
     * @return {@code schema_}
     */
    public static String shardDatabasePrefix(String schema) {
        return schema + "_";
    }

    /**
     * A shard database name.
     * @param schema logical schema
     * @param shard shard index
     * @return {@code schema_shard}
     */
    public static String shardDatabase(String schema, int shard) {
        return shardDatabasePrefix(schema) + shard;
    }

    /**
     * The prefix of physical table names of a sub-table-sharded logical table.
     * @param logicalTable logical table
     * @return {@code table_}
     */
    public static String physicalTablePrefix(String logicalTable) {
        return logicalTable + "_";
    }

    /**
     * A physical table name.
     * @param logicalTable logical table
     * @param globalIndex global table number
     * @return {@code table_globalIndex}
     */
    public static String physicalTable(String logicalTable, int globalIndex) {
        return physicalTablePrefix(logicalTable) + globalIndex;
    }

    /**
     * The physical table name of one range segment in one shard.
     * @param logicalTable logical table
     * @param shard shard index
     * @param segment segment index
     * @return {@code table_shard_segment}
     */
    public static String segmentTable(String logicalTable, int shard, int segment) {
        return physicalTablePrefix(logicalTable) + shard + "_" + segment;
    }

    /**
     * The data source name of one shard database on one server.
     * @param shardDatabase the shard database
     * @param server the primary's node name or the replica's name
     * @return {@code shardDatabase__server}
     */
    public static String dataSource(String shardDatabase, String server) {
        return shardDatabase + SERVER_SEPARATOR + server;
    }

}
