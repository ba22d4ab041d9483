package io.ddm.metrics;

import java.sql.SQLException;

import io.ddm.algorithm.ShardingFunction;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.integration.DdmOnServers;
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
        DdmProperties properties = new DdmOnServers(topology, schema, shards, "?connectTimeout=5000&socketTimeout=60000").properties();
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
