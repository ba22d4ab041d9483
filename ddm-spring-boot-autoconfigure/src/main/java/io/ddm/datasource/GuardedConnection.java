package io.ddm.datasource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import io.ddm.fastpath.FastPath;
import io.ddm.fastpath.PrepareOptions;

/**
 * A transparent wrapper of ShardingSphere's logical connection whose statements pass the {@link StatementGate} before
 * they run and whose failures pass the {@link FailureTranslation}; prepared statements the {@link FastPath} can run
 * are its own, and until something else is asked of the connection, ShardingSphere's is not opened
 * ({@link DeferredConnection}). Every other call goes through unchanged; {@code unwrap} and {@code isWrapperFor} still
 * reach ShardingSphere's objects.
 */
final class GuardedConnection implements InvocationHandler {

    private final DeferredConnection target;

    private final StatementGate gate;

    private final FailureTranslation translation;

    private final FastPath fastPath;

    private Connection proxy;

    private GuardedConnection(DeferredConnection target, StatementGate gate, FailureTranslation translation, FastPath fastPath) {
        this.target = target;
        this.gate = gate;
        this.translation = translation;
        this.fastPath = fastPath;
    }

    /** Guards an open connection of a data source without the fast path. */
    static Connection wrap(Connection target, StatementGate gate, FailureTranslation translation) {
        return wrap(DeferredConnection.opened(target), gate, translation, null);
    }

    static Connection wrap(DeferredConnection target, StatementGate gate, FailureTranslation translation, FastPath fastPath) {
        GuardedConnection handler = new GuardedConnection(target, gate, translation, fastPath);
        handler.proxy = JdbcProxies.create(Connection.class, handler);
        return handler.proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            return switch (method.getName()) {
                case "createStatement" -> wrap(method, args, Statement.class, null);
                case "prepareStatement" -> prepare(method, args);
                case "prepareCall" -> wrap(method, args, CallableStatement.class, (String) args[0]);
                // Calls that need no ShardingSphere connection when none was opened yet.
                case "close" -> {
                    this.target.close();
                    yield null;
                }
                case "isClosed" -> this.target.isClosed();
                case "getAutoCommit" -> this.target.getAutoCommit();
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> JdbcProxies.passThrough(this.target.open(), proxy, method, args);
            };
        }
        catch (SQLException ex) {
            throw this.translation.translate(ex);
        }
    }

    private Statement prepare(Method method, Object[] args) throws Throwable {
        String sql = (String) args[0];
        if (this.fastPath != null && sql != null && this.target.takesFastPath()) {
            PreparedStatement fast = this.fastPath.prepare(this.target, this.proxy, sql,
                    () -> (PreparedStatement) general(method, args), PrepareOptions.of(args), this.gate, this.translation);
            if (fast != null) {
                return fast;
            }
        }
        return wrap(method, args, PreparedStatement.class, sql);
    }

    private Statement general(Method method, Object[] args) throws SQLException {
        try {
            return wrap(method, args, PreparedStatement.class, (String) args[0]);
        }
        catch (SQLException | RuntimeException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new SQLException(ex);
        }
    }

    private Statement wrap(Method method, Object[] args, Class<? extends Statement> type, String sql) throws Throwable {
        Statement statement = (Statement) JdbcProxies.delegate(this.target.open(), method, args);
        return GuardedStatement.wrap(statement, type, this.proxy, this.gate, this.translation, sql, this.fastPath);
    }

    /**
     * A statement of a guarded connection: {@code execute*} and {@code addBatch} pass the gate with the statement's text
     * (the prepared text, or the one given), and every failure of the wrapped statement passes the translation.
     */
    private static final class GuardedStatement implements InvocationHandler {

        private final Statement target;

        private final Connection connection;

        private final StatementGate gate;

        private final FailureTranslation translation;

        private final String preparedSql;

        private final FastPath fastPath;

        private GuardedStatement(Statement target, Connection connection, StatementGate gate, FailureTranslation translation,
                String preparedSql, FastPath fastPath) {
            this.target = target;
            this.connection = connection;
            this.gate = gate;
            this.translation = translation;
            this.preparedSql = preparedSql;
            this.fastPath = fastPath;
        }

        static Statement wrap(Statement target, Class<? extends Statement> type, Connection connection, StatementGate gate,
                FailureTranslation translation, String preparedSql, FastPath fastPath) {
            if (!type.isInstance(target)) {
                return target;
            }
            return JdbcProxies.create(type, new GuardedStatement(target, connection, gate, translation, preparedSql, fastPath));
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute") || name.equals("addBatch")) {
                String sql = (args != null && args.length > 0 && args[0] instanceof String text) ? text : this.preparedSql;
                if (sql != null) {
                    // A refusal is thrown as the gate made it.
                    this.gate.check(sql);
                    if (this.fastPath != null && StatementText.isDdl(sql)) {
                        // What the fast path knows of the tables' texts may no longer hold.
                        this.fastPath.forget();
                    }
                }
            }
            try {
                if (name.equals("getConnection")) {
                    return this.connection;
                }
                return JdbcProxies.passThrough(this.target, proxy, method, args);
            }
            catch (SQLException ex) {
                throw this.translation.translate(ex);
            }
        }

    }

}
