package io.ddm.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddm.console.DdmConsoleEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdmConsoleAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DdmConsoleAutoConfigurationTests {

    private static final String NOT_SERVED = "ddm.console.enabled is true but no console page is served";

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DdmDataSourceAutoConfiguration.class,
            DataSourceAutoConfiguration.class, DdmEndpointAutoConfiguration.class, DdmConsoleAutoConfiguration.class);

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
        .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology());

    @Test
    void consoleIsOffByDefault(CapturedOutput output) {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
        assertThat(output).doesNotContain(NOT_SERVED);
    }

    @Test
    void consoleIsServedWhenEnabledAndExposed(CapturedOutput output) {
        this.contextRunner.withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run((context) -> {
                assertThat(context).hasSingleBean(DdmConsoleEndpoint.class);
                String page = context.getBean(DdmConsoleEndpoint.class).page().getBody();
                assertThat(page).contains("<title>DDM console</title>").doesNotContain("{{");
            });
        assertThat(output).doesNotContain(NOT_SERVED);
    }

    @Test
    void consoleIsServedByWebFluxApplications() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology())
            .withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run((context) -> assertThat(context).hasSingleBean(DdmConsoleEndpoint.class));
    }

    @Test
    void noConsoleWithoutAWebApplication(CapturedOutput output) {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology())
            .withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
        assertThat(output).contains(NOT_SERVED, "needs a web application");
    }

    @Test
    void noConsoleUnlessItIsExposed(CapturedOutput output) {
        this.contextRunner.withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
        assertThat(output).contains(NOT_SERVED, "management.endpoints.web.exposure.include: ddm, ddmconsole");
    }

    @Test
    void noConsoleWhenTheDdmEndpointIsNotAvailable(CapturedOutput output) {
        this.contextRunner.withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddmconsole")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
        this.contextRunner
            .withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole",
                    "management.endpoint.ddm.access=NONE")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
        assertThat(output).contains(NOT_SERVED);
    }

    @Test
    void consoleCanBeTurnedOffLikeAnyEndpoint() {
        this.contextRunner
            .withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=*",
                    "management.endpoint.ddmconsole.access=NONE")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
    }

    @Test
    void backsOffToAUserConsole() {
        this.contextRunner.withUserConfiguration(UserConsole.class)
            .withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run((context) -> assertThat(context).hasSingleBean(DdmConsoleEndpoint.class).hasBean("userConsole"));
    }

    @Test
    void backsOffWithoutActuator() {
        this.contextRunner.withPropertyValues("ddm.console.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole")
            .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DdmConsoleEndpoint.class));
    }

    @Test
    void pageLinksToTheEndpointsWhereTheyAreMapped() {
        WebApplicationContextRunner withEndpoints = this.contextRunner
            .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
            .withPropertyValues("ddm.console.enabled=true");
        withEndpoints.withPropertyValues("management.endpoints.web.exposure.include=ddm,ddmconsole,health")
            .run(links("ddm", "health"));
        // Path mappings are followed; a page one folder down climbs back to the base path.
        withEndpoints
            .withPropertyValues("management.endpoints.web.exposure.include=ddm,ddmconsole,health",
                    "management.endpoints.web.path-mapping.ddm=topology", "management.endpoints.web.path-mapping.ddmconsole=ops/console")
            .run(links("../topology", "../health"));
        // Without the health endpoint the page says so instead of asking for it.
        withEndpoints.withPropertyValues("management.endpoints.web.exposure.include=ddm,ddmconsole")
            .run(links("ddm", ""));
    }

    private static ContextConsumer<AssertableWebApplicationContext> links(String ddmPath, String healthPath) {
        return (context) -> {
            String page = context.getBean(DdmConsoleEndpoint.class).page().getBody();
            assertThat(attribute(page, "data-ddm-path")).isEqualTo(ddmPath);
            assertThat(attribute(page, "data-health-path")).isEqualTo(healthPath);
        };
    }

    private static String attribute(String page, String name) {
        Matcher matcher = Pattern.compile(name + "=\"([^\"]*)\"").matcher(page);
        assertThat(matcher.find()).as("the page has %s", name).isTrue();
        return matcher.group(1);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserConsole {

        @Bean
        DdmConsoleEndpoint userConsole() {
            return new DdmConsoleEndpoint(() -> null);
        }

    }

}
