package io.ddm.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.keygen.DdmSequences;
import org.apache.shardingsphere.driver.api.ShardingSphereDataSourceFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of DDM's logical {@link DataSource} from {@code ddm.*} properties. Runs before Boot's
 * DataSource auto-configuration, which then backs off; backs off itself when the application defines its own
 * DataSource or sets {@code ddm.enabled=false}.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(ShardingSphereDataSourceFactory.class)
@ConditionalOnBooleanProperty(name = "ddm.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DdmProperties.class)
public final class DdmDataSourceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    DdmDataSource dataSource(DdmProperties properties) throws SQLException {
        return DdmDataSourceFactory.create(properties);
    }

    /** The data source's sequences, closed with it (not as a bean of their own, which would close them first). */
    @Bean(destroyMethod = "")
    @ConditionalOnBean(DdmDataSource.class)
    @ConditionalOnMissingBean
    DdmSequences ddmSequences(DdmDataSource dataSource) {
        return dataSource.getSequences();
    }

}
