package io.ddm.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import io.ddm.config.DdmConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input catalogue through a real application context: each misconfiguration stops startup before any
 * pool connects, and the failure analysis Spring Boot reports names the property. {@code TopologyFactoryTests}
 * covers the same rules case by case without Spring.
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
                Arguments.of("no shards", "ddm.shards=0", "ddm.shards"),
                Arguments.of("schema that is no identifier", "ddm.schema=1shop", "ddm.schema"),
                Arguments.of("no rows per verification chunk", "ddm.moves.chunk-rows=0", "ddm.moves.chunk-rows"),
                Arguments.of("no switch attempts", "ddm.moves.switch-attempts=0", "ddm.moves.switch-attempts"),
                Arguments.of("fast-path cache too small", "ddm.fast-path.cache-size=15", "ddm.fast-path.cache-size"),
                Arguments.of("default shard out of range", "ddm.default-shard=4", "ddm.default-shard"),
                Arguments.of("replica without url", "ddm.nodes.ds0.replicas.ds0-r0.weight=2", "ddm.nodes.ds0.replicas.ds0-r0.url"),
                Arguments.of("url naming a database", "ddm.nodes.ds1.url=jdbc:mysql://127.0.0.1:3306/shop", "ddm.nodes.ds1.url"),
                Arguments.of("table-only algorithm for databases", "ddm.tables.t_order.database-sharding.algorithm=mm",
                        "ddm.tables.t_order.database-sharding.algorithm"),
                Arguments.of("week over more than 7 tables",
                        "ddm.tables.t_order.table-sharding.algorithm=week|ddm.tables.t_order.table-sharding.tables-per-shard=8",
                        "ddm.tables.t_order.table-sharding.tables-per-shard"),
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
                Arguments.of("unknown HikariCP setting", "ddm.nodes.ds0.pool.maximum-pool-sise=5",
                        "ddm.nodes.ds0.pool.maximum-pool-sise"),
                Arguments.of("pool size zero", "ddm.nodes.ds0.pool.maximum-pool-size=0", "ddm.nodes.ds0.pool.maximum-pool-size"),
                Arguments.of("negative minimum idle", "ddm.nodes.ds1.pool.minimum-idle=-1", "ddm.nodes.ds1.pool.minimum-idle"),
                Arguments.of("connection timeout below HikariCP's floor", "ddm.nodes.ds0.pool.connection-timeout=100",
                        "ddm.nodes.ds0.pool.connection-timeout"),
                Arguments.of("pool URL that DDM sets per shard", "ddm.nodes.ds0.pool.jdbc-url=jdbc:h2:mem:other",
                        "ddm.nodes.ds0.pool.jdbc-url"),
                Arguments.of("pool catalog that would send every shard to one database", "ddm.nodes.ds1.pool.catalog=shop_0",
                        "ddm.nodes.ds1.pool.catalog"),
                Arguments.of("pool schema that would send every shard to one database", "ddm.nodes.ds0.pool.schema=shop_0",
                        "ddm.nodes.ds0.pool.schema"),
                Arguments.of("pool name that DDM sets per shard", "ddm.nodes.ds0.pool.pool-name=orders", "ddm.nodes.ds0.pool.pool-name"),
                Arguments.of("data source class that bypasses the shard URLs",
                        "ddm.nodes.ds0.pool.data-source-class-name=org.h2.jdbcx.JdbcDataSource",
                        "ddm.nodes.ds0.pool.data-source-class-name"),
                Arguments.of("pool budget below the node's shards", "ddm.nodes.ds1.pool.maximum-pool-size=1",
                        "ddm.nodes.ds1.pool.maximum-pool-size"),
                Arguments.of("key generator without column", "ddm.tables.t_order.key-generator.type=uuid",
                        "ddm.tables.t_order.key-generator.column"),
                Arguments.of("primary check timeout zero", "ddm.primary-health.timeout=0", "ddm.primary-health.timeout"),
                Arguments.of("primary check timeout negative", "ddm.primary-health.timeout=-1s", "ddm.primary-health.timeout"),
                Arguments.of("primary check interval zero", "ddm.primary-health.interval=0", "ddm.primary-health.interval"),
                Arguments.of("primary check interval below a millisecond", "ddm.primary-health.interval=500us",
                        "ddm.primary-health.interval"),
                Arguments.of("replica check interval zero", "ddm.read-write-splitting.health.interval=0s",
                        "ddm.read-write-splitting.health.interval"),
                Arguments.of("replica check timeout zero", "ddm.read-write-splitting.health.timeout=0",
                        "ddm.read-write-splitting.health.timeout"),
                Arguments.of("replica check timeout negative", "ddm.read-write-splitting.health.timeout=-1s",
                        "ddm.read-write-splitting.health.timeout"),
                Arguments.of("negative replica lag", "ddm.read-write-splitting.max-replica-lag=-1s",
                        "ddm.read-write-splitting.max-replica-lag"),
                Arguments.of("zero replica lag", "ddm.read-write-splitting.max-replica-lag=0", "ddm.read-write-splitting.max-replica-lag"),
                Arguments.of("replica lag below the servers' one-second precision", "ddm.read-write-splitting.max-replica-lag=500ms",
                        "ddm.read-write-splitting.max-replica-lag"),
                Arguments.of("replica lag without replica checks",
                        "ddm.read-write-splitting.max-replica-lag=5s|ddm.read-write-splitting.health.enabled=false",
                        "ddm.read-write-splitting.max-replica-lag"),
                Arguments.of("zero read-your-writes window", "ddm.read-write-splitting.read-your-writes-window=0",
                        "ddm.read-write-splitting.read-your-writes-window"),
                Arguments.of("negative read-your-writes window", "ddm.read-write-splitting.read-your-writes-window=-2s",
                        "ddm.read-write-splitting.read-your-writes-window"),
                Arguments.of("health timeout zero", "ddm.health.timeout=0", "ddm.health.timeout"),
                Arguments.of("health timeout negative", "ddm.health.timeout=-5s", "ddm.health.timeout"),
                Arguments.of("negative default shard", "ddm.default-shard=-1", "ddm.default-shard"),
                Arguments.of("replica weight zero", "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:h2:mem:r0_{database}"
                        + "|ddm.nodes.ds0.replicas.ds0-r0.weight=0", "ddm.nodes.ds0.replicas.ds0-r0.weight"),
                Arguments.of("failure threshold zero", "ddm.read-write-splitting.health.failure-threshold=0",
                        "ddm.read-write-splitting.health.failure-threshold"),
                Arguments.of("success threshold zero", "ddm.read-write-splitting.health.success-threshold=0",
                        "ddm.read-write-splitting.health.success-threshold"),
                Arguments.of("worker id above 10 bits", "ddm.key-generator.worker-id=1024", "ddm.key-generator.worker-id"),
                Arguments.of("negative worker id", "ddm.key-generator.worker-id=-1", "ddm.key-generator.worker-id"),
                Arguments.of("lease check interval zero", "ddm.key-generator.lease-check-interval=0s",
                        "ddm.key-generator.lease-check-interval"),
                Arguments.of("lease check interval over a minute", "ddm.key-generator.lease-check-interval=2m",
                        "ddm.key-generator.lease-check-interval"),
                Arguments.of("placement check interval zero", "ddm.moves.placement-check-interval=0s",
                        "ddm.moves.placement-check-interval"),
                Arguments.of("placement check interval as long as a leased worker id's window",
                        "ddm.moves.placement-check-interval=3s|ddm.key-generator.worker-id=", "ddm.moves.placement-check-interval"),
                Arguments.of("replication wait zero", "ddm.read-write-splitting.replication-wait-timeout=0",
                        "ddm.read-write-splitting.replication-wait-timeout"),
                Arguments.of("replication wait negative", "ddm.read-write-splitting.replication-wait-timeout=-1s",
                        "ddm.read-write-splitting.replication-wait-timeout"),
                Arguments.of("negative shift bits", "ddm.tables.t_order.database-sharding.algorithm=right-shift"
                        + "|ddm.tables.t_order.database-sharding.shift-bits=-1", "ddm.tables.t_order.database-sharding.shift-bits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misconfigurations")
    void failsAtStartupNamingTheProperty(String description, String properties, String property) {
        this.contextRunner.withPropertyValues(properties.split("\\|")).run((context) -> {
            assertThat(context).hasFailed();
            DdmConfigurationException failure = DdmDataSourceAutoConfigurationTests.findCause(context.getStartupFailure(),
                    DdmConfigurationException.class);
            assertThat(failure.getProperty()).isEqualTo(property);
            FailureAnalysis analysis = analysis(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("DDM's configuration is invalid").contains("Property: " + property);
            assertThat(analysis.getAction()).isNotBlank().isEqualTo(failure.getAction());
        });
    }

    /**
     * The analysis Spring Boot reports for a startup failure: that of the first registered failure analyzer that
     * explains it (analyzers that need the failed context's bean factory or environment are left out).
     */
    private static FailureAnalysis analysis(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, ArgumentResolver.none(), FailureHandler.handleMessage((message, ex) -> {
            }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analyzer explains " + failure);
    }

}
