package io.ddm.fastpath;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

import io.ddm.datasource.JdbcProxies;
import org.apache.shardingsphere.infra.database.core.DefaultDatabase;
import org.apache.shardingsphere.sharding.rule.ShardingTable;

/**
 * The physical result set of a fast-path query as ShardingSphere's result set of a single-shard query shows it: the
 * same rows and values, {@code getStatement()} the logical statement, and in its metadata the logical table's name for
 * the physical table's and ShardingSphere's logical catalog and schema names.
 */
final class FastPathResultSet implements InvocationHandler {

    private final ResultSet target;

    private final Statement statement;

    private final ShardingTable table;

    private FastPathResultSet(ResultSet target, Statement statement, ShardingTable table) {
        this.target = target;
        this.statement = statement;
        this.table = table;
    }

    static ResultSet wrap(ResultSet target, Statement statement, ShardingTable table) {
        return JdbcProxies.create(ResultSet.class, new FastPathResultSet(target, statement, table));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "getStatement" -> this.statement;
            case "getMetaData" -> MetaData.wrap(this.target.getMetaData(), this.table);
            default -> JdbcProxies.passThrough(this.target, proxy, method, args);
        };
    }

    /** The metadata of a fast-path result set. */
    private static final class MetaData implements InvocationHandler {

        private final ResultSetMetaData target;

        private final ShardingTable table;

        private MetaData(ResultSetMetaData target, ShardingTable table) {
            this.target = target;
            this.table = table;
        }

        static ResultSetMetaData wrap(ResultSetMetaData target, ShardingTable table) {
            return JdbcProxies.create(ResultSetMetaData.class, new MetaData(target, table));
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "getTableName" -> {
                    String physical = this.target.getTableName((Integer) args[0]);
                    yield (physical != null && this.table.isExisted(physical)) ? this.table.getLogicTable() : physical;
                }
                case "getCatalogName", "getSchemaName" -> DefaultDatabase.LOGIC_NAME;
                default -> JdbcProxies.passThrough(this.target, proxy, method, args);
            };
        }

    }

}
