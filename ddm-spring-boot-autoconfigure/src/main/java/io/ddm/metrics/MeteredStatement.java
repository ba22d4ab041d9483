package io.ddm.metrics;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;

import io.ddm.datasource.JdbcProxies;

/**
 * A transparent wrapper of ShardingSphere's logical {@link Statement} or {@link java.sql.PreparedStatement}: each
 * {@code execute*} call (query, update, batch, large variants) is one logical statement, timed and classified by
 * the shard databases its physical statements touched. {@code getConnection()} returns the wrapping connection;
 * {@code unwrap} and {@code isWrapperFor} still reach ShardingSphere's objects.
 */
final class MeteredStatement implements InvocationHandler {

    private final Statement target;

    private final Connection connection;

    private final StatementMetrics metrics;

    /** The table of a prepared statement's SQL. */
    private final int preparedTable;

    private final boolean prepared;

    /** The first configured table among the SQL added to a plain statement's batch. */
    private int batchTable = TableFinder.NONE;

    private MeteredStatement(Statement target, Connection connection, StatementMetrics metrics, int preparedTable,
            boolean prepared) {
        this.target = target;
        this.connection = connection;
        this.metrics = metrics;
        this.preparedTable = preparedTable;
        this.prepared = prepared;
    }

    static Statement wrap(Statement target, Class<? extends Statement> type, Connection connection, StatementMetrics metrics,
            int preparedTable) {
        if (!type.isInstance(target)) {
            return target;
        }
        MeteredStatement handler = new MeteredStatement(target, connection, metrics, preparedTable, type != Statement.class);
        return JdbcProxies.create(type, handler);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.startsWith("execute")) {
            return execute(method, args, table(name, args));
        }
        switch (name) {
            case "getConnection":
                return this.connection;
            case "addBatch":
                if (args != null && args.length == 1 && args[0] instanceof String sql && this.batchTable == TableFinder.NONE) {
                    this.batchTable = this.metrics.table(sql);
                }
                return JdbcProxies.delegate(this.target, method, args);
            case "clearBatch":
                this.batchTable = TableFinder.NONE;
                return JdbcProxies.delegate(this.target, method, args);
            default:
                return JdbcProxies.passThrough(this.target, proxy, method, args);
        }
    }

    private int table(String name, Object[] args) {
        if (args != null && args.length > 0 && args[0] instanceof String sql) {
            return this.metrics.table(sql);
        }
        if (!this.prepared && name.endsWith("Batch")) {
            return this.batchTable;
        }
        return this.preparedTable;
    }

    private Object execute(Method method, Object[] args, int table) throws Throwable {
        LogicalStatement statement = LogicalStatement.begin(this.metrics);
        long start = System.nanoTime();
        boolean success = false;
        try {
            Object result = JdbcProxies.delegate(this.target, method, args);
            success = true;
            return result;
        }
        finally {
            long nanos = System.nanoTime() - start;
            this.metrics.recordLogical(table, statement.end(), success, nanos);
        }
    }

}
