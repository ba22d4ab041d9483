package io.ddm.autoconfigure;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.move.ShardMoves;
import io.ddm.endpoint.DdmEndpoint;
import io.ddm.endpoint.DdmEndpointProperties;
import io.ddm.endpoint.DdmEndpointWebExtension;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code ddm} actuator endpoint. Like every Boot endpoint, it is reachable over HTTP
 * only when exposed ({@code management.endpoints.web.exposure.include=ddm}).
 */
@AutoConfiguration(after = { DdmDataSourceAutoConfiguration.class, DdmMovesAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(DdmDataSource.class)
@ConditionalOnAvailableEndpoint(DdmEndpoint.class)
@EnableConfigurationProperties(DdmEndpointProperties.class)
public final class DdmEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DdmEndpoint ddmEndpoint(DdmDataSource dataSource, DdmProperties properties, DdmEndpointProperties endpoint,
            ObjectProvider<SanitizingFunction> sanitizingFunctions, ObjectProvider<ShardMoves> moves) {
        return new DdmEndpoint(dataSource, sanitizingFunctions.orderedStream().toList(), endpoint.getShowValues(), endpoint.getRoles(),
                properties.getHealth().getTimeout(), moves.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    DdmEndpointWebExtension ddmEndpointWebExtension(DdmDataSource dataSource, DdmEndpoint endpoint, DdmProperties properties,
            ObjectProvider<ShardMoves> moves) {
        return new DdmEndpointWebExtension(dataSource, endpoint, moves.getIfAvailable(), properties.getMoves().isEnabled());
    }

}
