package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.ddm.algorithm.ShardingColumnTypes;
import io.ddm.algorithm.ShardingKeyKind;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.metadata.database.ShardingSphereDatabase;
import org.apache.shardingsphere.infra.metadata.database.schema.model.ShardingSphereColumn;
import org.apache.shardingsphere.infra.metadata.database.schema.model.ShardingSphereSchema;
import org.apache.shardingsphere.infra.metadata.database.schema.model.ShardingSphereTable;
import org.apache.shardingsphere.mode.manager.ContextManager;

/**
 * Column kinds as ShardingSphere's metadata of the logical database holds them: loaded at startup and refreshed by
 * DDL run through DDM, so a table created after startup is known too. Reads memory only, never a server.
 */
final class LogicalColumnKinds implements ShardingColumnTypes.Lookup {

    private final ContextManager contextManager;

    private final String schema;

    private LogicalColumnKinds(ContextManager contextManager, String schema) {
        this.contextManager = contextManager;
        this.schema = schema;
    }

    /**
     * The lookup of a started ShardingSphere data source, reached through a logical connection (which opens no
     * physical one).
     * @param shardingSphere the data source
     * @param schema the logical database
     * @return the lookup
     */
    static LogicalColumnKinds of(DataSource shardingSphere, String schema) {
        try (Connection connection = shardingSphere.getConnection()) {
            return new LogicalColumnKinds(connection.unwrap(ShardingSphereConnection.class).getContextManager(), schema);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the metadata of '" + schema + "' from ShardingSphere", ex);
        }
    }

    @Override
    public ShardingKeyKind kindOf(String table, String column) {
        ShardingSphereDatabase database = this.contextManager.getMetaDataContexts().getMetaData().getDatabase(this.schema);
        ShardingSphereSchema schema = (database != null) ? database.getSchema(this.schema) : null;
        if (schema == null || !schema.containsTable(table)) {
            return null;
        }
        ShardingSphereTable metadata = schema.getTable(table);
        if (!metadata.containsColumn(column)) {
            return null;
        }
        ShardingSphereColumn each = metadata.getColumn(column);
        // The metadata keeps no scale: a DECIMAL sharding column counts as integer, the only DECIMAL the algorithms take.
        return ShardingKeyKind.ofSqlType(each.getDataType(), 0);
    }

}
