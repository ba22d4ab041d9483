package io.ddm.topology;

/**
 * Where one physical table lives.
 *
 * @param node node hosting the shard
 * @param shard shard index
 * @param database shard database name
 * @param table physical table name
 */
public record DataNode(String node, int shard, String database, String table) {

    @Override
    public String toString() {
        return this.node + "." + this.database + "." + this.table;
    }

}
