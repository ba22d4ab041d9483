package io.ddm.autoconfigure;

import io.ddm.endpoint.DdmEndpoint;
import io.ddm.endpoint.DdmEndpointWebExtension;
import io.ddm.endpoint.TableDescriptor;
import io.ddm.endpoint.TopologyDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdmEndpointAutoConfiguration}.
 */
class DdmEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                DdmEndpointAutoConfiguration.class))
        .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology());

    @Test
    void endpointIsCreatedWhenExposed() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddm").run((context) -> {
            DdmEndpoint endpoint = context.getBean(DdmEndpoint.class);
            TopologyDescriptor topology = endpoint.topology(SecurityContext.NONE);
            assertThat(topology.schema()).isEqualTo("shop");
            assertThat(topology.nodes()).hasSize(2);
            assertThat(topology.shards()).hasSize(4);
            TableDescriptor table = endpoint.table("tables", "t_order");
            assertThat(table.dataNodes()).hasSize(8).contains("ds1.shop_3.t_order_7");
            assertThat(endpoint.table("tables", "t_unknown")).isNull();
            assertThat(endpoint.table("other", "t_order")).isNull();
            assertThat(topology.sequences()).as("no table uses a sequence").isEmpty();
            DdmEndpointWebExtension web = context.getBean(DdmEndpointWebExtension.class);
            assertThat(web.moveSequence("sequences", "t_order", 10).getStatus()).isEqualTo(404);
            assertThat(web.moveSequence("other", "t_order", 10).getStatus()).isEqualTo(404);
        });
    }

    @Test
    void endpointIsNotCreatedUnlessExposed() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DdmEndpoint.class)
            .doesNotHaveBean(DdmEndpointWebExtension.class));
    }

    @Test
    void endpointCanBeTurnedOff() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddm", "management.endpoint.ddm.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(DdmEndpoint.class));
    }

    @Test
    void backsOffWithoutActuator() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddm")
            .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmEndpoint.class));
    }

}
