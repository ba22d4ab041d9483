package io.ddm.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.ddm.autoconfigure.DdmDataSourceAutoConfiguration;
import io.ddm.datasource.DdmDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real {@link MySqlTopologyContainer}: containers started by Boot's {@code @ServiceConnection} support, replication
 * set up, DDM writing through it. Needs a Docker engine: skipped without one, unless {@code -Dddm.it.servers=docker}
 * (or {@code DDM_IT_SERVERS=docker}) demands Docker, as for the harness.
 */
class MySqlTopologyContainerDockerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class, DdmDataSourceAutoConfiguration.class))
        .withUserConfiguration(TopologyConfiguration.class)
        .withPropertyValues("ddm.schema=tc_shop", "ddm.shards=2", "ddm.create-shard-databases=true",
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.key-generator.worker-id=12");

    @BeforeEach
    void requireDocker() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        }
        catch (Throwable ex) {
            available = false;
        }
        String demanded = System.getProperty("ddm.it.servers", System.getenv("DDM_IT_SERVERS"));
        if (!available && "docker".equalsIgnoreCase(demanded)) {
            fail("ddm.it.servers=docker, but no Docker engine is reachable");
        }
        assumeTrue(available, "No Docker engine: MySqlTopologyContainer is not started here");
    }

    @Test
    void ddmRunsOnTheContainersAndReplicasReplicate() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            MySqlTopologyContainer topology = context.getBean(MySqlTopologyContainer.class);
            DdmDataSource dataSource = context.getBean(DdmDataSource.class);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 3)");
            }
            // User 3: shard 1, on ds1; its replica receives the row by replication.
            MySQLContainer replica = topology.getServer("ds1-r0");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long rows = 0;
            while (rows == 0 && System.nanoTime() < deadline) {
                rows = count(replica, topology);
                if (rows == 0) {
                    Thread.sleep(200);
                }
            }
            assertThat(rows).isEqualTo(1);
        });
    }

    private static long count(MySQLContainer server, MySqlTopologyContainer topology) throws Exception {
        String url = "jdbc:mysql://" + server.getHost() + ":" + server.getMappedPort(3306) + "/tc_shop_1?allowPublicKeyRetrieval=true";
        try (Connection connection = DriverManager.getConnection(url, topology.getUsername(), topology.getPassword());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM t_order")) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException ex) {
            // Not replicated yet (no database or table).
            return 0;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TopologyConfiguration {

        @Bean
        @ServiceConnection
        MySqlTopologyContainer topology() {
            return new MySqlTopologyContainer().withNodes(2).withReplicasPerNode(1);
        }

    }

}
