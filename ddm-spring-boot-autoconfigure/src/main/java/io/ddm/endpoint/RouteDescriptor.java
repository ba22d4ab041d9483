package io.ddm.endpoint;

import java.util.List;

/**
 * Where a statement would go, computed by ShardingSphere's own parser, router and rewriter without executing
 * anything.
 *
 * @param sql the logical SQL
 * @param table the first configured table the statement names, or {@code null}
 * @param route {@code single-shard}, {@code multi-shard}, {@code all-shards} (a scatter: the statement misses
 * the sharding key) or {@code none}
 * @param shards how many shard databases it touches
 * @param units the physical statements, one per data source
 */
public record RouteDescriptor(String sql, String table, String route, int shards, List<UnitDescriptor> units) {

    /**
     * One physical statement.
     * @param node node of the shard
     * @param server the primary or replica that would run it
     * @param database shard database
     * @param tables physical tables it names
     * @param sql the rewritten SQL
     */
    public record UnitDescriptor(String node, String server, String database, List<String> tables, String sql) {
    }

}
