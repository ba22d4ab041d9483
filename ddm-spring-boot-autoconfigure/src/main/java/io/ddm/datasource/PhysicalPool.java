package io.ddm.datasource;

import io.ddm.topology.Server;

/**
 * The connection pool of one shard database on one server.
 *
 * @param server the primary or replica
 * @param shard shard index
 * @param database shard database name
 * @param dataSourceName the name ShardingSphere knows it by
 * @param dataSource the pool, failing fast while its server is down
 */
public record PhysicalPool(Server server, int shard, String database, String dataSourceName, ServerDataSource dataSource) {

}
