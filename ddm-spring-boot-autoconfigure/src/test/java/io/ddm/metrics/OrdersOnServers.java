package io.ddm.metrics;

import java.sql.SQLException;

import io.ddm.algorithm.ShardingFunction;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * A DDM DataSource over a real-server topology of the harness with one sharded table, {@code t_order}, keyed by
 * {@code user_id} with mod-hash over {@code shards} databases of two tables each (DDM's global numbering:
 * key k is in table k % (2 x shards), shard k % (2 x shards) / 2).
 */
final class OrdersOnServers {

    private OrdersOnServers() {
    }

    static DdmDataSource open(DatabaseTopology topology, String schema, int shards) throws SQLException {
        DdmProperties properties = new DdmProperties();
        properties.setSchema(schema);
        properties.setShards(shards);
        properties.setCreateShardDatabases(true);
        properties.getKeyGenerator().setWorkerId(1);
        for (int i = 0; i < topology.primaries().size(); i++) {
            DatabaseServer primary = topology.primary(i);
            DdmProperties.Node node = new DdmProperties.Node();
            node.setUrl(primary.jdbcUrl() + "?connectTimeout=5000&socketTimeout=60000");
            node.setUsername(primary.username());
            node.setPassword(primary.password());
            node.getPool().put("maximum-pool-size", "16");
            for (DatabaseServer replica : topology.replicasOf(i)) {
                DdmProperties.Replica settings = new DdmProperties.Replica();
                settings.setUrl(replica.jdbcUrl() + "?connectTimeout=5000&socketTimeout=60000");
                node.getReplicas().put(replica.name(), settings);
            }
            properties.getNodes().put(primary.name(), node);
        }
        DdmProperties.Table table = new DdmProperties.Table();
        DdmProperties.Sharding database = new DdmProperties.Sharding();
        database.setColumn("user_id");
        database.setAlgorithm(ShardingFunction.MOD_HASH);
        table.setDatabaseSharding(database);
        DdmProperties.TableSharding tables = new DdmProperties.TableSharding();
        tables.setColumn("user_id");
        tables.setAlgorithm(ShardingFunction.MOD_HASH);
        tables.setTablesPerShard(2);
        table.setTableSharding(tables);
        properties.getTables().put("t_order", table);
        return DdmDataSourceFactory.create(properties);
    }

}
