package io.ddm.testcontainers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddm.autoconfigure.DdmDataSourceAutoConfiguration;
import io.ddm.config.DdmConfigurationException;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.PropertiesDdmConnectionDetails;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.ddm.topology.Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on a {@link MySqlTopologyContainer} {@code @Bean}, through Boot's own
 * {@link ServiceConnectionAutoConfiguration} and DDM's factory from {@code spring.factories}: the container's
 * servers replace {@code ddm.nodes.*}, pool settings still come from the properties, and rows land on the real
 * servers the container names. There is no Docker here: the container is a {@link ReachableTopology} that reports
 * itself running at the harness's servers, so everything but starting the containers runs for real.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class MySqlTopologyServiceConnectionIntegrationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class, DdmDataSourceAutoConfiguration.class,
                DataSourceAutoConfiguration.class))
        .withPropertyValues("ddm.schema=it_svc", "ddm.shards=4", "ddm.create-shard-databases=true",
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.key-generator.worker-id=11");

    @BeforeEach
    void cleanUp(DatabaseTopology topology) {
        topology.resetData("it_svc");
    }

    @Test
    void theContainersServersAreTheApplicationsServers(DatabaseTopology topology) throws SQLException {
        this.contextRunner.withUserConfiguration(TopologyConfiguration.class)
            // Servers of another environment in ddm.nodes.*: the service connection wins; ds1's pool budget stays.
            .withPropertyValues("ddm.nodes.ds0.url=jdbc:mysql://127.0.0.1:1/", "ddm.nodes.ds1.pool.maximum-pool-size=6",
                    "ddm.nodes.ds1.replicas.ds1-r0.weight=2")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(DdmConnectionDetails.class)
                    .doesNotHaveBean(PropertiesDdmConnectionDetails.class);
                assertThat(context.getBean(DdmConnectionDetails.class).getClass().getName())
                    .isEqualTo(MySqlTopologyContainerConnectionDetailsFactory.MySqlTopologyContainerConnectionDetails.class.getName());
                // Boot's own JDBC factory also maps the container (it is a MySQL container): ds0, unused by DDM.
                assertThat(context).hasSingleBean(JdbcConnectionDetails.class);
                DdmDataSource dataSource = context.getBean(DdmDataSource.class);
                Server ds1 = dataSource.getTopology().node("ds1").primary();
                assertThat(ds1.url()).isEqualTo(topology.primary(1).jdbcUrl());
                assertThat(ds1.username()).isEqualTo("ddm");
                assertThat(dataSource.getTopology().node("ds1").replicas()).singleElement().satisfies((replica) -> {
                    assertThat(replica.url()).isEqualTo(topology.replicasOf(1).get(0).jdbcUrl());
                    assertThat(replica.weight()).isEqualTo(2);
                });
                assertThat(dataSource.getPhysicalDataSources().pools()).filteredOn((pool) -> pool.server().name().equals("ds1"))
                    .extracting((pool) -> pool.dataSource().getMaximumPoolSize())
                    .containsOnly(3);
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                    statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 6)");
                }
            });
        // User 6 is in shard 6 mod 4 = 2, on ds1: the row is on the harness's ds1 primary, read there directly.
        assertThat(count(topology.primary(1), "it_svc_2")).isEqualTo(1);
        assertThat(count(topology.primary(0), "it_svc_0") + count(topology.primary(0), "it_svc_1")).isZero();
    }

    @Test
    void aNodeTheContainerDoesNotHaveFailsNamingTheContainer() {
        this.contextRunner.withUserConfiguration(TopologyConfiguration.class)
            .withPropertyValues("ddm.nodes.ds2.pool.maximum-pool-size=4")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(DdmConfigurationException.class,
                        (failure) -> {
                            assertThat(failure.getProperty()).isEqualTo("ddm.nodes.ds2");
                            assertThat(failure.getProblem()).contains("connection details (Bean 'topology'")
                                .contains("that name only the nodes [ds0, ds1]");
                            assertThat(failure.getAction()).contains("add node 'ds2' to the topology the connection details come from");
                        });
            });
    }

    @Test
    void restrictedToDdmTheServiceConnectionGivesBootNoJdbcConnection() {
        this.contextRunner.withUserConfiguration(DdmOnlyTopologyConfiguration.class).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcConnectionDetails.class);
            assertThat(context.getBean(DdmConnectionDetails.class)).isNotInstanceOf(PropertiesDdmConnectionDetails.class);
        });
    }

    private static long count(DatabaseServer server, String database) throws SQLException {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t_order")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The harness's servers as a running topology container. */
    static ReachableTopology harnessTopology() {
        DatabaseTopology servers = DatabaseServers.topology(2, 1);
        Map<String, Integer> ports = new LinkedHashMap<>();
        servers.servers().forEach((server) -> ports.put(server.name(), server.port()));
        return new ReachableTopology(ports);
    }

    @Configuration(proxyBeanMethods = false)
    static class TopologyConfiguration {

        @Bean
        @ServiceConnection
        ReachableTopology topology() {
            return harnessTopology();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class DdmOnlyTopologyConfiguration {

        @Bean
        @ServiceConnection(type = DdmConnectionDetails.class)
        ReachableTopology topology() {
            return harnessTopology();
        }

    }

}
