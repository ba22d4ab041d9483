package io.ddm.autoconfigure;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.ddm.config.DdmProperties;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.connection.PropertiesDdmConnectionDetails;
import io.ddm.connection.ServerConnectionDetailsTopology;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.keygen.DdmSequences;
import org.apache.shardingsphere.driver.api.ShardingSphereDataSourceFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of DDM's logical {@link DataSource} from {@code ddm.*} properties, on the servers named by a
 * {@link DdmConnectionDetails} ({@code ddm.nodes.*} by default). Runs before Boot's DataSource auto-configuration,
 * which then backs off; backs off itself when the application defines its own DataSource or sets
 * {@code ddm.enabled=false}.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(ShardingSphereDataSourceFactory.class)
@ConditionalOnBooleanProperty(name = "ddm.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DdmProperties.class)
public final class DdmDataSourceAutoConfiguration {

    /**
     * Where the servers are: {@code ddm.nodes.*}, unless servers come one by one from elsewhere (Docker Compose
     * services), or the application, Testcontainers or another integration defines a {@link DdmConnectionDetails}.
     */
    @Bean
    @ConditionalOnMissingBean(DdmConnectionDetails.class)
    DdmConnectionDetails ddmConnectionDetails(DdmProperties properties, ObjectProvider<DdmServerConnectionDetails> servers) {
        List<DdmServerConnectionDetails> each = servers.orderedStream().toList();
        return each.isEmpty() ? new PropertiesDdmConnectionDetails(properties) : new ServerConnectionDetailsTopology(each);
    }

    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    DdmDataSource dataSource(DdmProperties properties, DdmConnectionDetails connectionDetails) throws SQLException {
        return DdmDataSourceFactory.create(properties, connectionDetails);
    }

    /** The data source's sequences, closed with it (not as a bean of their own, which would close them first). */
    @Bean(destroyMethod = "")
    @ConditionalOnBean(DdmDataSource.class)
    @ConditionalOnMissingBean
    DdmSequences ddmSequences(DdmDataSource dataSource) {
        return dataSource.getSequences();
    }

}
