package io.ddm.autoconfigure;

import io.ddm.datasource.DdmDataSource;
import io.ddm.metrics.DdmMetrics;
import io.ddm.metrics.MoveMetrics;
import io.ddm.move.ShardMoves;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of DDM's Micrometer metrics: pool gauges of every physical pool and timers of logical and
 * physical statements, bound by Boot's metrics support to the application's registry. Excluding this
 * auto-configuration switches them off entirely: connections are then not wrapped at all. Denying the meters
 * ({@code management.metrics.enable.ddm=false}) keeps the wrappers but records nothing.
 */
@AutoConfiguration(after = { DdmDataSourceAutoConfiguration.class, DdmMovesAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(DdmDataSource.class)
public final class DdmMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DdmMetrics ddmMetrics(DdmDataSource dataSource) {
        return new DdmMetrics(dataSource);
    }

    @Bean
    @ConditionalOnBean(ShardMoves.class)
    @ConditionalOnMissingBean
    MoveMetrics ddmMoveMetrics(ShardMoves moves) {
        return new MoveMetrics(moves);
    }

}
