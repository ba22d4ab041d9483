package io.ddm.docker.compose;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddm.autoconfigure.DdmDataSourceAutoConfiguration;
import io.ddm.config.DdmConfigurationException;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.connection.ServerConnectionDetailsTopology;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.ddm.topology.Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker Compose services labelled for DDM, registered by Boot's own Docker Compose service-connection listener,
 * become the application's topology: one {@link DdmServerConnectionDetails} bean per service, gathered by DDM. The
 * services are the harness's real servers described as {@link RunningService}s (no Docker here), named and
 * labelled as in the sample's {@code docker-compose.yml}.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class DockerComposeServiceConnectionIntegrationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class))
        .withPropertyValues("ddm.schema=it_compose", "ddm.shards=4", "ddm.create-shard-databases=true",
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.key-generator.worker-id=13");

    @BeforeEach
    void cleanUp(DatabaseTopology topology) {
        topology.resetData("it_compose");
    }

    @Test
    void theServicesAreTheTopology(DatabaseTopology topology) {
        List<RunningService> services = services(topology, List.of());
        this.contextRunner.withInitializer((context) -> ComposeServices.announceReady(context, services))
            .withPropertyValues("ddm.nodes.ds0.pool.maximum-pool-size=8")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeansOfType(DdmServerConnectionDetails.class)).containsOnlyKeys(
                        "ddmServerConnectionDetailsForDs0", "ddmServerConnectionDetailsForDs0R0",
                        "ddmServerConnectionDetailsForDs1", "ddmServerConnectionDetailsForDs1R0");
                assertThat(context).getBean(DdmConnectionDetails.class).isInstanceOf(ServerConnectionDetailsTopology.class);
                DdmDataSource dataSource = context.getBean(DdmDataSource.class);
                assertThat(dataSource.getTopology().node("ds0").primary().url()).isEqualTo(topology.primary(0).jdbcUrl());
                assertThat(dataSource.getTopology().node("ds1").replicas()).extracting(Server::name, Server::url)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("ds1-r0", topology.replicasOf(1).get(0).jdbcUrl()));
                assertThat(dataSource.getPhysicalDataSources().pools()).filteredOn((pool) -> pool.server().name().equals("ds0"))
                    .extracting((pool) -> pool.dataSource().getMaximumPoolSize())
                    .containsOnly(4);
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                    statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 3)");
                }
            });
        // User 3: shard 3, on ds1 (shards 2-3).
        assertThat(count(topology.primary(1), "it_compose_3")).isEqualTo(1);
    }

    @Test
    void aReplicaServiceWithoutItsPrimaryFailsTheStartupNamingTheService(DatabaseTopology topology) {
        List<RunningService> services = new ArrayList<>(services(topology, List.of("ds1")));
        this.contextRunner.withInitializer((context) -> ComposeServices.announceReady(context, services))
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(DdmConfigurationException.class,
                        (failure) -> {
                            assertThat(failure.getProperty())
                                .isEqualTo("replica 'ds1-r0' (Docker compose service 'ds1-r0' defined in default compose file)");
                            assertThat(failure.getProblem()).isEqualTo("node 'ds1' has replicas (ds1-r0) but no primary; primaries: [ds0]");
                        });
            });
    }

    /** The harness's servers as the sample's compose services, but those named in {@code leftOut}. */
    private static List<RunningService> services(DatabaseTopology topology, List<String> leftOut) {
        List<RunningService> services = new ArrayList<>();
        for (DatabaseServer server : topology.servers()) {
            if (leftOut.contains(server.name())) {
                continue;
            }
            boolean primary = server.role() == io.ddm.test.servers.ServerRole.PRIMARY;
            String node = primary ? server.name() : server.name().substring(0, server.name().indexOf('-'));
            Map<String, String> labels = new HashMap<>(ComposeServices.ddmLabels(node, primary ? "primary" : "replica"));
            labels.put("io.ddm.username", server.username());
            labels.put("io.ddm.password", server.password());
            services.add(ComposeServices.mysql(server.name(), server.port(), Map.of("MYSQL_ROOT_PASSWORD", "root"), labels));
        }
        return services;
    }

    private static long count(DatabaseServer server, String database) {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t_order")) {
            rows.next();
            return rows.getLong(1);
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
