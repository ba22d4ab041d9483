package io.ddm.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.health.DdmHealthContributor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of DDM's health: the {@code ddm} contributor (one child per node, each probing its primary
 * and replicas on their own pools), and a {@code db} contributor that judges the DDM DataSource by the same
 * probes. Boot's own {@code db} check asks the logical connection, which ShardingSphere reports valid even
 * when shards are down.
 */
@AutoConfiguration(after = DdmDataSourceAutoConfiguration.class, before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(DdmDataSource.class)
public final class DdmHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnEnabledHealthIndicator("ddm")
    @ConditionalOnMissingBean(name = "ddmHealthContributor")
    DdmHealthContributor ddmHealthContributor(DdmDataSource dataSource, DdmProperties properties) {
        return new DdmHealthContributor(dataSource, properties.getHealth().getTimeout());
    }

    /**
     * Replaces Boot's {@code db} contributor when DDM provides a DataSource: other DataSources keep Boot's check.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DataSourceHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("db")
    static class DataSourceHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
        HealthContributor dbHealthContributor(ObjectProvider<DataSource> dataSources, ObjectProvider<DdmHealthContributor> ddm,
                DdmProperties properties) {
            Map<String, HealthContributor> contributors = new LinkedHashMap<>();
            int index = 0;
            for (DataSource dataSource : dataSources.orderedStream().toList()) {
                String name = (dataSource instanceof DdmDataSource ddmDataSource) ? ddmDataSource.getTopology().schema()
                        : "dataSource" + index;
                contributors.put(name, (dataSource instanceof DdmDataSource ddmDataSource)
                        ? ddm.getIfAvailable(() -> new DdmHealthContributor(ddmDataSource, properties.getHealth().getTimeout()))
                        : new DataSourceHealthIndicator(dataSource));
                index++;
            }
            return (contributors.size() == 1) ? contributors.values().iterator().next()
                    : CompositeHealthContributor.fromMap(contributors);
        }

    }

}
