package io.ddm.autoconfigure;

import java.util.stream.Stream;

import io.ddm.config.DdmConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input catalogue through a real application context: each misconfiguration stops startup before any
 * pool connects, and the failure analysis names the property. {@code TopologyFactoryTests} covers the same
 * rules case by case without Spring.
 */
class BadConfigurationFailureAnalysisTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
        .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology());

    static Stream<Arguments> misconfigurations() {
        return Stream.of(
                Arguments.of("unknown node in placement", "ddm.placement.ds0=0,1|ddm.placement.ds9=2,3", "ddm.placement.ds9"),
                Arguments.of("shard placed twice", "ddm.placement.ds0=0,1,2|ddm.placement.ds1=2,3", "ddm.placement.ds1"),
                Arguments.of("shard placed nowhere", "ddm.placement.ds0=0|ddm.placement.ds1=2,3", "ddm.placement"),
                Arguments.of("shard index out of range", "ddm.placement.ds0=0,1|ddm.placement.ds1=2,3,4", "ddm.placement.ds1"),
                Arguments.of("fewer shards than nodes", "ddm.shards=1", "ddm.shards"),
                Arguments.of("default shard out of range", "ddm.default-shard=4", "ddm.default-shard"),
                Arguments.of("replica without url", "ddm.nodes.ds0.replicas.ds0-r0.weight=2", "ddm.nodes.ds0.replicas.ds0-r0.url"),
                Arguments.of("url naming a database", "ddm.nodes.ds1.url=jdbc:mysql://127.0.0.1:3306/shop", "ddm.nodes.ds1.url"),
                Arguments.of("table-only algorithm for databases", "ddm.tables.t_order.database-sharding.algorithm=mm",
                        "ddm.tables.t_order.database-sharding.algorithm"),
                Arguments.of("range for tables", "ddm.tables.t_order.table-sharding.algorithm=range",
                        "ddm.tables.t_order.table-sharding.algorithm"),
                Arguments.of("tables-per-shard zero", "ddm.tables.t_order.table-sharding.tables-per-shard=0",
                        "ddm.tables.t_order.table-sharding.tables-per-shard"),
                Arguments.of("right-shift without shift bits", "ddm.tables.t_order.database-sharding.algorithm=right-shift",
                        "ddm.tables.t_order.database-sharding.shift-bits"),
                Arguments.of("range without ranges", "ddm.tables.t_order.database-sharding.algorithm=range",
                        "ddm.tables.t_order.database-sharding.ranges"),
                Arguments.of("binding group members sharded differently",
                        "ddm.tables.t_order.binding-group=orders|ddm.tables.t_item.binding-group=orders"
                                + "|ddm.tables.t_item.database-sharding.column=user_id|ddm.tables.t_item.database-sharding.algorithm=hash",
                        "ddm.tables.t_item.binding-group"),
                Arguments.of("table named like a physical table", "ddm.broadcast-tables=t_order_1", "ddm.broadcast-tables"),
                Arguments.of("table both sharded and broadcast", "ddm.broadcast-tables=t_order", "ddm.broadcast-tables[0]"),
                Arguments.of("unknown HikariCP setting", "ddm.nodes.ds0.pool.maximum-pool-sise=5", "ddm.nodes.ds0.pool"),
                Arguments.of("pool budget below the node's shards", "ddm.nodes.ds1.pool.maximum-pool-size=1",
                        "ddm.nodes.ds1.pool.maximum-pool-size"),
                Arguments.of("key generator without column", "ddm.tables.t_order.key-generator.type=uuid",
                        "ddm.tables.t_order.key-generator.column"),
                Arguments.of("lease check interval zero", "ddm.key-generator.lease-check-interval=0s",
                        "ddm.key-generator.lease-check-interval"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfigurations")
    void failsAtStartupNamingTheProperty(String description, String properties, String property) {
        this.contextRunner.withPropertyValues(properties.split("\\|")).run((context) -> {
            assertThat(context).hasFailed();
            DdmConfigurationException failure = DdmDataSourceAutoConfigurationTests.findCause(context.getStartupFailure(),
                    DdmConfigurationException.class);
            assertThat(failure.getProperty()).isEqualTo(property);
            FailureAnalysis analysis = new DdmConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + property);
            assertThat(analysis.getAction()).isNotBlank();
        });
    }

}
