package io.ddm.datasource;

import java.util.Collection;
import java.util.Map;

import org.apache.shardingsphere.infra.datasource.pool.hikari.metadata.HikariDataSourcePoolMetaData;
import org.apache.shardingsphere.infra.datasource.pool.metadata.DataSourcePoolFieldMetaData;
import org.apache.shardingsphere.infra.datasource.pool.metadata.DataSourcePoolMetaData;

/**
 * Tells ShardingSphere that a {@link ServerDataSource} is a HikariCP pool. ShardingSphere looks its pool
 * metadata up by the exact class name, and without it could not find the JDBC URL of DDM's pools
 * ({@code jdbcUrl}, HikariCP's name for {@code url}). Registered as a ShardingSphere SPI.
 */
public final class ServerDataSourcePoolMetaData implements DataSourcePoolMetaData {

    private final HikariDataSourcePoolMetaData hikari = new HikariDataSourcePoolMetaData();

    @Override
    public Map<String, Object> getDefaultProperties() {
        return this.hikari.getDefaultProperties();
    }

    @Override
    public Map<String, Object> getSkippedProperties() {
        return this.hikari.getSkippedProperties();
    }

    @Override
    public Map<String, String> getPropertySynonyms() {
        return this.hikari.getPropertySynonyms();
    }

    @Override
    public Collection<String> getTransientFieldNames() {
        return this.hikari.getTransientFieldNames();
    }

    @Override
    public DataSourcePoolFieldMetaData getFieldMetaData() {
        return this.hikari.getFieldMetaData();
    }

    @Override
    public String getType() {
        return ServerDataSource.class.getName();
    }

}
