package io.ddm.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.ddm.datasource.DdmDataSource;
import io.ddm.metrics.DdmMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdmMetricsAutoConfiguration}: wiring on H2 (two nodes without replicas, four shards). What the
 * metrics measure is tested on real servers in {@code io.ddm.metrics.DdmMetricsTests}.
 */
class DdmMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DdmMetricsAutoConfiguration.class))
        .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology());

    private final ApplicationContextRunner withBootMetrics = this.contextRunner
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class));

    @Test
    void bootMetricsBindThePoolsAndTheStatements() {
        this.withBootMetrics.run((context) -> {
            assertThat(context).hasSingleBean(DdmMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("ddm.pool.connections.active").gauges()).hasSize(4);
            assertThat(registry.get("ddm.pool.connections.max").tags("node", "ds1", "server", "ds1", "role", "primary",
                    "database", "shop_3").gauge().value()).isEqualTo(5);
            DdmDataSource dataSource = context.getBean(DdmDataSource.class);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                assertThat(connection).isNotInstanceOf(ShardingSphereConnection.class);
                assertThat(connection.unwrap(ShardingSphereConnection.class)).isNotNull();
                statement.execute("CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
                statement.executeUpdate("INSERT INTO t_order (order_id, user_id) VALUES (1, 7)");
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t_order")) {
                    assertThat(rows.next()).isTrue();
                }
            }
            assertThat(registry.get("ddm.statements.logical").tags("table", "t_order", "route", "single-shard", "outcome", "success")
                .timer().count()).isEqualTo(1);
            assertThat(registry.get("ddm.statements.logical").tags("table", "t_order", "route", "all-shards", "outcome", "success")
                .timer().count()).isEqualTo(2);
            assertThat(registry.get("ddm.statements.physical").tags("node", "ds1", "role", "primary", "server", "ds1", "outcome",
                    "success").timer().count()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void poolGaugesReadNaNOnceTheDataSourceIsClosed() {
        this.withBootMetrics.run((context) -> {
            Gauge active = context.getBean(MeterRegistry.class).get("ddm.pool.connections.active").tags("database", "shop_0").gauge();
            assertThat(active.value()).isZero();
            context.getBean(DdmDataSource.class).close();
            assertThat(active.value()).isNaN();
        });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        // With the fast path off nothing else wraps ShardingSphere's connection, so any wrapper would be the metrics'.
        this.contextRunner.withPropertyValues("ddm.fast-path.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(DdmDataSource.class).doesNotHaveBean(DdmMetrics.class);
            try (Connection connection = context.getBean(DdmDataSource.class).getConnection()) {
                assertThat(connection).as("not wrapped without metrics").isInstanceOf(ShardingSphereConnection.class);
            }
        });
    }

    @Test
    void backsOffWithoutMicrometer() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> assertThat(context).hasSingleBean(DdmDataSource.class).doesNotHaveBean(DdmMetrics.class));
    }

    @Test
    void createsTheBinderWithAMeterRegistry() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(DdmMetrics.class));
    }

    @Test
    void backsOffToAUserDefinedBinder() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class, UserMetricsConfiguration.class)
            .run((context) -> assertThat(context).hasSingleBean(DdmMetrics.class)
                .getBean(DdmMetrics.class)
                .isSameAs(context.getBean("customDdmMetrics")));
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistryConfiguration {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        DdmMetrics customDdmMetrics(DdmDataSource dataSource) {
            return new DdmMetrics(dataSource);
        }

    }

}
