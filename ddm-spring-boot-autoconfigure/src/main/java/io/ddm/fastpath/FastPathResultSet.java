package io.ddm.fastpath;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

import io.ddm.jdbc.DelegatingResultSet;
import io.ddm.jdbc.DelegatingResultSetMetaData;
import org.apache.shardingsphere.infra.database.core.DefaultDatabase;
import org.apache.shardingsphere.sharding.rule.ShardingTable;

/**
 * The physical result set of a fast-path query as ShardingSphere's result set of a single-shard query shows it: the
 * same rows and values, {@code getStatement()} the logical statement, and in its metadata the logical table's name for
 * the physical table's and ShardingSphere's logical catalog and schema names.
 */
final class FastPathResultSet extends DelegatingResultSet {

    private final Statement statement;

    private final ShardingTable table;

    FastPathResultSet(ResultSet target, Statement statement, ShardingTable table) {
        super(target);
        this.statement = statement;
        this.table = table;
    }

    @Override
    public Statement getStatement() {
        return this.statement;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return new MetaData(super.getMetaData(), this.table);
    }

    /** The metadata of a fast-path result set. */
    private static final class MetaData extends DelegatingResultSetMetaData {

        private final ShardingTable table;

        MetaData(ResultSetMetaData target, ShardingTable table) {
            super(target);
            this.table = table;
        }

        @Override
        public String getTableName(int column) throws SQLException {
            String physical = super.getTableName(column);
            return (physical != null && this.table.isExisted(physical)) ? this.table.getLogicTable() : physical;
        }

        @Override
        public String getCatalogName(int column) {
            return DefaultDatabase.LOGIC_NAME;
        }

        @Override
        public String getSchemaName(int column) {
            return DefaultDatabase.LOGIC_NAME;
        }

    }

}
