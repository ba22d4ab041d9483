package io.ddm.keygen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2, which has no named locks to lease a worker id on, is the one case where DDM uses an id derived from host
 * and process (with a warning); the generator still issues keys with it, at once.
 */
class WorkerIdOnH2Tests {

    @Test
    void h2GetsTheDerivedWorkerIdAndIssuesKeysWithIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ddm.schema", "shop");
        properties.put("ddm.shards", "2");
        properties.put("ddm.nodes.ds0.url", "jdbc:h2:mem:" + id + "_ds0_{database};MODE=MySQL;DB_CLOSE_DELAY=-1");
        properties.put("ddm.nodes.ds0.username", "sa");
        properties.put("ddm.nodes.ds1.url", "jdbc:h2:mem:" + id + "_ds1_{database};MODE=MySQL;DB_CLOSE_DELAY=-1");
        properties.put("ddm.nodes.ds1.username", "sa");
        properties.put("ddm.tables.t_order.database-sharding.column", "user_id");
        properties.put("ddm.tables.t_order.database-sharding.algorithm", "mod-hash");
        properties.put("ddm.tables.t_order.key-generator.column", "order_id");
        DdmProperties ddm = new Binder(new MapConfigurationPropertySource(properties)).bind("ddm", DdmProperties.class).get();
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(ddm)) {
            assertThat(dataSource.getWorkerId()).isEqualTo(WorkerIdLease.derived());
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO t_order (user_id) VALUES (?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, 7);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(LeasedSnowflakeKeyGenerateAlgorithmTests.workerIdOf(keys.getLong(1))).isEqualTo(WorkerIdLease.derived());
                }
            }
        }
    }

}
