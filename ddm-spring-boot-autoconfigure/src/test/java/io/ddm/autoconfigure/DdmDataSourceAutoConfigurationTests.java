package io.ddm.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ddm.config.DdmConfigurationException;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.connection.PropertiesDdmConnectionDetails;
import io.ddm.connection.ServerConnectionDetailsTopology;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.NodeUnavailableException;
import io.ddm.datasource.PhysicalPool;
import io.ddm.keygen.DdmSequences;
import io.ddm.topology.Server;
import io.ddm.topology.Server.Role;
import org.apache.shardingsphere.driver.api.ShardingSphereDataSourceFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdmDataSourceAutoConfiguration}: wiring on H2 (fast), back-off and startup failures.
 */
class DdmDataSourceAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class));

    /** Two H2 "nodes", each shard an in-memory database of its own. */
    static String[] h2Topology() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new String[] { "ddm.schema=shop", "ddm.shards=4",
                "ddm.nodes.ds0.url=jdbc:h2:mem:" + id + "_ds0_{database};MODE=MySQL;DB_CLOSE_DELAY=-1",
                "ddm.nodes.ds0.username=sa",
                "ddm.nodes.ds1.url=jdbc:h2:mem:" + id + "_ds1_{database};MODE=MySQL;DB_CLOSE_DELAY=-1",
                "ddm.nodes.ds1.username=sa",
                "ddm.tables.t_order.database-sharding.column=user_id",
                "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_order.table-sharding.column=user_id",
                "ddm.tables.t_order.table-sharding.algorithm=mod-hash",
                "ddm.tables.t_order.table-sharding.tables-per-shard=2",
                "ddm.key-generator.worker-id=7" };
    }

    @Test
    void ddmPropertiesCreateTheLogicalDataSource() {
        this.contextRunner.withPropertyValues(h2Topology()).run((context) -> {
            assertThat(context).hasSingleBean(DataSource.class).hasSingleBean(DdmDataSource.class);
            DdmDataSource dataSource = context.getBean(DdmDataSource.class);
            assertThat(dataSource.getTopology().shards()).isEqualTo(4);
            assertThat(dataSource.getTopology().placement().shardsOn("ds1")).containsExactly(2, 3);
            assertThat(dataSource.getWorkerId()).isEqualTo(7);
            assertThat(dataSource.getPhysicalDataSources().pools()).hasSize(4);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 7)");
            }
            // Global numbering: 4 shards x 2 tables, key 7 -> table 7 in shard 7 / 2 = 3, hosted by ds1.
            HikariDataSource shard3 = dataSource.getPhysicalDataSources().pools().get(3).dataSource();
            assertThat(dataSource.getPhysicalDataSources().pools().get(3).database()).isEqualTo("shop_3");
            try (Connection connection = shard3.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT user_id FROM t_order_7")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(7);
            }
        });
    }

    @Test
    void theDataSourcesSequencesAreABean() {
        this.contextRunner.withPropertyValues(h2Topology()).run((context) -> {
            assertThat(context).hasSingleBean(DdmSequences.class);
            assertThat(context.getBean(DdmSequences.class)).isSameAs(context.getBean(DdmDataSource.class).getSequences());
            assertThat(context.getBean(DdmSequences.class).names()).as("no table uses a sequence").isEmpty();
        });
    }

    @Test
    void aSequenceBlockSizeBelowOneFailsTheStartup() {
        this.contextRunner.withPropertyValues(h2Topology()).withPropertyValues("ddm.key-generator.sequence.block-size=0")
            .run((context) -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("ddm.key-generator.sequence.block-size"));
    }

    @Test
    void poolsAreClosedWithTheContext() {
        this.contextRunner.withPropertyValues(h2Topology()).run((context) -> {
            DdmDataSource dataSource = context.getBean(DdmDataSource.class);
            context.close();
            assertThat(dataSource.getPhysicalDataSources().pools()).extracting((pool) -> pool.dataSource().isClosed())
                .containsOnly(true);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesADataSource() {
        this.contextRunner.withPropertyValues(h2Topology()).withUserConfiguration(UserDataSourceConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(DataSource.class)
                .doesNotHaveBean(DdmDataSource.class)
                .getBean(DataSource.class)
                .isInstanceOf(SimpleDriverDataSource.class));
    }

    @Test
    void disabledLeavesTheDataSourceToSpringBoot() {
        this.contextRunner.withPropertyValues(h2Topology())
            .withPropertyValues("ddm.enabled=false", "spring.datasource.url=jdbc:h2:mem:plain-" + UUID.randomUUID())
            .run((context) -> assertThat(context).doesNotHaveBean(DdmDataSource.class)
                .getBean(DataSource.class)
                .isInstanceOf(HikariDataSource.class));
    }

    @Test
    void backsOffWithoutShardingSphere() {
        this.contextRunner.withPropertyValues(h2Topology())
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:plain-" + UUID.randomUUID())
            .withClassLoader(new FilteredClassLoader(ShardingSphereDataSourceFactory.class))
            .run((context) -> assertThat(context).doesNotHaveBean(DdmDataSource.class));
    }

    @Test
    void invalidConfigurationFailsWithThePropertyPathAndAnExplanation() {
        this.contextRunner.withPropertyValues(h2Topology()).withPropertyValues("ddm.placement.ds0=0,1", "ddm.placement.ds9=2,3")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(DdmConfigurationException.class)
                    .hasMessageContaining("ddm.placement.ds9")
                    .hasMessageContaining("not a configured node");
                FailureAnalysis analysis = new DdmConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: ddm.placement.ds9");
                assertThat(analysis.getAction()).contains("ddm.nodes");
            });
    }

    @Test
    void missingNodesFailWithAHintToDisableDdm() {
        this.contextRunner.withPropertyValues("ddm.schema=shop").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new DdmConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: ddm.nodes");
            assertThat(analysis.getAction()).contains("ddm.enabled=false");
        });
    }

    @Test
    void unreachableNodeFailsNamingTheNode() {
        this.contextRunner.withPropertyValues(h2Topology())
            .withPropertyValues("ddm.nodes.ds1.url=jdbc:mysql://127.0.0.1:1/?connectTimeout=2000", "ddm.nodes.ds1.username=app",
                    "ddm.nodes.ds1.password=secret")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isNotNull();
                NodeUnavailableException failure = findCause(context.getStartupFailure(), NodeUnavailableException.class);
                assertThat(failure.getNode()).isEqualTo("ds1");
                assertThat(failure.getMessage()).contains("node 'ds1'").contains("127.0.0.1:1").doesNotContain("secret");
                FailureAnalysis analysis = new NodeUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getAction()).contains("ddm.nodes.ds1");
            });
    }

    @Test
    void twoUnreachableNodesFailNamingTheFirstInTheConfigurationWhicheverFailsFirst() {
        // The pools open at the same time: ds1's refusal comes at once, ds0's address is not answered until its timeout.
        this.contextRunner.withPropertyValues(h2Topology())
            .withPropertyValues("ddm.nodes.ds0.url=jdbc:mysql://10.255.255.1:3306/?connectTimeout=1500", "ddm.nodes.ds0.username=app",
                    "ddm.nodes.ds1.url=jdbc:mysql://127.0.0.1:1/?connectTimeout=1500", "ddm.nodes.ds1.username=app")
            .run((context) -> {
                assertThat(context).hasFailed();
                NodeUnavailableException failure = findCause(context.getStartupFailure(), NodeUnavailableException.class);
                assertThat(failure.getNode()).isEqualTo("ds0");
                assertThat(failure.getMessage()).contains("10.255.255.1:3306");
            });
    }

    @Test
    void theServersComeFromDdmNodesByDefault() {
        this.contextRunner.withPropertyValues(h2Topology()).run((context) -> {
            assertThat(context).hasSingleBean(DdmConnectionDetails.class)
                .getBean(DdmConnectionDetails.class)
                .isInstanceOf(PropertiesDdmConnectionDetails.class);
            assertThat(context.getBean(DdmConnectionDetails.class).getNodes()).extracting(DdmConnectionDetails.Node::name)
                .containsExactly("ds0", "ds1");
        });
    }

    @Test
    void aConnectionDetailsBeanReplacesTheServersOfDdmNodes() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        DdmConnectionDetails details = () -> List.of(
                DdmConnectionDetails.Node.of("ds0", h2Server(id + "_a0")),
                DdmConnectionDetails.Node.of("ds1", h2Server(id + "_a1")));
        // ddm.nodes.* names other URLs (which do not exist): the details win for coordinates, the pool size stays.
        this.contextRunner.withPropertyValues(h2Topology())
            .withPropertyValues("ddm.nodes.ds0.url=jdbc:mysql://127.0.0.1:1/", "ddm.nodes.ds1.url=jdbc:mysql://127.0.0.1:1/",
                    "ddm.nodes.ds1.pool.maximum-pool-size=6")
            .withBean(DdmConnectionDetails.class, () -> details)
            .run((context) -> {
                assertThat(context).hasSingleBean(DdmConnectionDetails.class).doesNotHaveBean(PropertiesDdmConnectionDetails.class);
                DdmDataSource dataSource = context.getBean(DdmDataSource.class);
                assertThat(dataSource.getTopology().node("ds1").primary().url()).contains(id + "_a1");
                PhysicalPool shard3 = dataSource.getPhysicalDataSources().pools().get(3);
                assertThat(shard3.dataSource().getJdbcUrl()).isEqualTo("jdbc:h2:mem:" + id + "_a1_shop_3;MODE=MySQL;DB_CLOSE_DELAY=-1");
                assertThat(shard3.dataSource().getMaximumPoolSize()).as("6 connections for ds1's 2 shards").isEqualTo(3);
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                    statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 7)");
                }
                try (Connection connection = shard3.dataSource().getConnection(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT user_id FROM t_order_7")) {
                    assertThat(rows.next()).as("the row is on the server the details name").isTrue();
                }
            });
    }

    @Test
    void serverConnectionDetailsBeansAreGatheredIntoOneTopology() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.contextRunner.withPropertyValues(h2Topology())
            .withBean("ds0", DdmServerConnectionDetails.class, () -> server("ds0", Role.PRIMARY, "ds0", h2Server(id + "_b0")))
            .withBean("ds0r0", DdmServerConnectionDetails.class, () -> server("ds0", Role.REPLICA, "ds0-r0", h2Server(id + "_b0r")))
            .withBean("ds1", DdmServerConnectionDetails.class, () -> server("ds1", Role.PRIMARY, "ds1", h2Server(id + "_b1")))
            .run((context) -> {
                assertThat(context).hasSingleBean(DdmConnectionDetails.class)
                    .getBean(DdmConnectionDetails.class)
                    .isInstanceOf(ServerConnectionDetailsTopology.class);
                DdmDataSource dataSource = context.getBean(DdmDataSource.class);
                assertThat(dataSource.getTopology().node("ds0").replicas()).extracting(Server::name).containsExactly("ds0-r0");
                assertThat(dataSource.getTopology().node("ds0").replicas().get(0).url()).contains(id + "_b0r");
                assertThat(dataSource.getTopology().node("ds1").primary().url()).contains(id + "_b1");
            });
    }

    @Test
    void aReplicaWithoutItsPrimaryFailsNamingTheServer() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.contextRunner.withPropertyValues(h2Topology())
            .withBean("ds0", DdmServerConnectionDetails.class, () -> server("ds0", Role.PRIMARY, "ds0", h2Server(id + "_c0")))
            .withBean("ds1r0", DdmServerConnectionDetails.class, () -> server("ds1", Role.REPLICA, "ds1-r0", h2Server(id + "_c1")))
            .run((context) -> {
                assertThat(context).hasFailed();
                DdmConfigurationException failure = findCause(context.getStartupFailure(), DdmConfigurationException.class);
                assertThat(failure.getProblem()).isEqualTo("node 'ds1' has replicas (ds1-r0) but no primary; primaries: [ds0]");
                FailureAnalysis analysis = new DdmConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Source: replica 'ds1-r0' (");
                assertThat(analysis.getAction()).contains("Add the primary of node 'ds1'");
            });
    }

    @Test
    void nodesOnlyThePropertiesNameFailWhenConnectionDetailsGiveTheServers() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        // h2Topology() configures ds0 and ds1; the details know only ds0.
        this.contextRunner.withPropertyValues(h2Topology())
            .withBean(DdmConnectionDetails.class, () -> () -> List.of(DdmConnectionDetails.Node.of("ds0", h2Server(id + "_d0"))))
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new DdmConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: ddm.nodes.ds1")
                    .contains("the servers come from connection details");
            });
    }

    private static DdmConnectionDetails.Server h2Server(String name) {
        return new DdmConnectionDetails.Server("jdbc:h2:mem:" + name + "_{database};MODE=MySQL;DB_CLOSE_DELAY=-1", "sa", "");
    }

    private static DdmServerConnectionDetails server(String node, Role role, String name, DdmConnectionDetails.Server address) {
        return new DdmServerConnectionDetails() {

            @Override
            public String getNode() {
                return node;
            }

            @Override
            public Role getRole() {
                return role;
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public String getUrl() {
                return address.url();
            }

            @Override
            public String getUsername() {
                return address.username();
            }

            @Override
            public String getPassword() {
                return address.password();
            }

        };
    }

    static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDataSourceConfiguration {

        @Bean
        DataSource userDataSource() {
            SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
            dataSource.setUrl("jdbc:h2:mem:user-" + UUID.randomUUID());
            return dataSource;
        }

    }

}
