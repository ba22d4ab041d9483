package io.ddm.autoconfigure;

import io.ddm.console.DdmConsoleEndpoint;
import io.ddm.endpoint.DdmEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the console page ({@code ddm.console.enabled=true}): the {@code ddmconsole} actuator web
 * endpoint, in a web application (Spring MVC or WebFlux) whose {@code ddm} endpoint is available over HTTP. Like every
 * Boot endpoint, it is reachable only once exposed ({@code management.endpoints.web.exposure.include=ddmconsole}).
 * When the console is enabled but cannot be served, one log line at startup says what is missing.
 */
@AutoConfiguration(after = DdmEndpointAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBooleanProperty("ddm.console.enabled")
public final class DdmConsoleAutoConfiguration {

    @Bean
    static SmartInitializingSingleton ddmConsoleAvailabilityReport(ListableBeanFactory beans) {
        return new ConsoleAvailabilityReport(beans);
    }

    /**
     * The page itself, where it can be served.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnBean(DdmEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = DdmEndpoint.class, exposure = EndpointExposure.WEB)
    static class ConsoleEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
        DdmConsoleEndpoint ddmConsoleEndpoint(ObjectProvider<PathMappedEndpoints> pathMappedEndpoints) {
            return new DdmConsoleEndpoint(pathMappedEndpoints::getIfAvailable);
        }

    }

    /** Says, once all beans exist, why an enabled console is not served: otherwise the page would just be a 404. */
    static final class ConsoleAvailabilityReport implements SmartInitializingSingleton {

        private static final Logger LOG = LoggerFactory.getLogger(DdmConsoleAutoConfiguration.class);

        private final ListableBeanFactory beans;

        ConsoleAvailabilityReport(ListableBeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public void afterSingletonsInstantiated() {
            if (this.beans.getBeanNamesForType(DdmConsoleEndpoint.class, false, false).length == 0) {
                LOG.warn("ddm.console.enabled is true but no console page is served. It needs a web application (Spring MVC or"
                        + " WebFlux), the ddm endpoint and the ddmconsole endpoint exposed over HTTP"
                        + " (management.endpoints.web.exposure.include: ddm, ddmconsole) and not turned off"
                        + " (management.endpoint.ddm.access, management.endpoint.ddmconsole.access).");
            }
        }

    }

}
