package io.ddm.metrics;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import io.ddm.datasource.JdbcProxies;

/**
 * A transparent wrapper of ShardingSphere's logical connection whose statements report to {@link StatementMetrics}.
 * Every call is passed through; only statement creation is intercepted, to wrap the statement. {@code unwrap}
 * and {@code isWrapperFor} still reach ShardingSphere's objects.
 */
final class MeteredConnection implements InvocationHandler {

    private final Connection target;

    private final StatementMetrics metrics;

    private Connection proxy;

    private MeteredConnection(Connection target, StatementMetrics metrics) {
        this.target = target;
        this.metrics = metrics;
    }

    static Connection wrap(Connection target, StatementMetrics metrics) {
        MeteredConnection handler = new MeteredConnection(target, metrics);
        handler.proxy = JdbcProxies.create(Connection.class, handler);
        return handler.proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "createStatement":
                return MeteredStatement.wrap((Statement) JdbcProxies.delegate(this.target, method, args), Statement.class,
                        this.proxy, this.metrics, TableFinder.NONE);
            case "prepareStatement":
                return MeteredStatement.wrap((Statement) JdbcProxies.delegate(this.target, method, args), PreparedStatement.class,
                        this.proxy, this.metrics, this.metrics.table((String) args[0]));
            default:
                return JdbcProxies.passThrough(this.target, proxy, method, args);
        }
    }

}
