package io.ddm.fastpath;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.ddm.datasource.FailureTranslation;
import io.ddm.datasource.JdbcProxies;
import io.ddm.datasource.StatementGate;
import io.ddm.fastpath.FastPathPlan.KeyGeneration;
import org.apache.shardingsphere.driver.jdbc.core.resultset.GeneratedKeysResultSet;

/**
 * A prepared statement on the fast path. It keeps its parameters as ShardingSphere's statement does (values by position,
 * set on the physical statement with {@code setObject}, cleared after every execution), has each execution routed and
 * run by them ({@link FastPathExecution}) on its physical statements ({@link PhysicalStatements}), and answers results,
 * update counts and generated keys as ShardingSphere's statement answers them.
 *
 * <p>Whatever it does not do itself (batches, metadata, parameter setters ShardingSphere does not support, an execution
 * ShardingSphere would route otherwise, a routing hint) it hands to ShardingSphere's own statement, prepared then with
 * the parameters and settings given so far; the statement stays with ShardingSphere from then on.
 */
final class FastPathStatement implements InvocationHandler {

    /** Parameter setters ShardingSphere's statement supports; it refuses the others. */
    private static final Set<String> PARAMETER_SETTERS = Set.of("setNull", "setBoolean", "setByte", "setShort", "setInt", "setLong",
            "setFloat", "setDouble", "setString", "setBigDecimal", "setDate", "setTime", "setTimestamp", "setBytes", "setBlob", "setClob",
            "setArray", "setAsciiStream", "setUnicodeStream", "setBinaryStream", "setCharacterStream", "setURL", "setSQLXML", "setObject");

    /** Statement settings ShardingSphere records and replays on every physical statement. */
    private static final Set<String> SETTINGS = Set.of("setFetchSize", "setMaxRows", "setQueryTimeout", "setLargeMaxRows",
            "setEscapeProcessing", "setFetchDirection", "setPoolable", "setMaxFieldSize");

    private static final Set<String> EXECUTIONS = Set.of("executeQuery", "executeUpdate", "execute", "executeLargeUpdate");

    private final Context context;

    private final List<Object> parameters = new ArrayList<>();

    private final FastPathExecution execution;

    private final PhysicalStatements physical;

    private final List<Comparable<?>> generatedValues = new ArrayList<>(1);

    private PreparedStatement proxy;

    private PreparedStatement general;

    /**
     * Generated keys of the fast executions that ShardingSphere's statement would still hold when it runs a batch: it
     * clears them at every execution but not at a batch, whose generated keys then begin with them.
     */
    private final List<Comparable<?>> carriedKeys = new ArrayList<>(1);

    private PreparedStatement last;

    private ResultSet currentResultSet;

    private boolean closed;

    private FastPathStatement(Context context) {
        this.context = context;
        this.execution = new FastPathExecution(context.rules, context.connection, context.plan, context.translation);
        this.physical = new PhysicalStatements(context.options);
    }

    static PreparedStatement create(Context context) {
        FastPathStatement handler = new FastPathStatement(context);
        handler.proxy = JdbcProxies.create(PreparedStatement.class, handler);
        return handler.proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("getConnection")) {
            return this.context.logical;
        }
        if (this.general != null) {
            return onGeneral(proxy, method, args);
        }
        if (method.getDeclaringClass() == PreparedStatement.class && name.startsWith("set") && args != null && args.length >= 2
                && args[0] instanceof Integer index) {
            if (!PARAMETER_SETTERS.contains(name)) {
                return toGeneral(proxy, method, args);
            }
            setParameter(index, parameterValue(name, args));
            return null;
        }
        boolean noArguments = args == null || args.length == 0;
        if (EXECUTIONS.contains(name) && noArguments && !this.closed) {
            return execute(proxy, method);
        }
        if (SETTINGS.contains(name)) {
            this.physical.set(method, args);
            return null;
        }
        boolean executed = this.last != null;
        return switch (name) {
            case "clearParameters" -> {
                this.parameters.clear();
                yield null;
            }
            case "getResultSet" -> executed ? this.currentResultSet : toGeneral(proxy, method, args);
            case "getUpdateCount", "getLargeUpdateCount", "getMoreResults" -> {
                if (!executed) {
                    yield toGeneral(proxy, method, args);
                }
                if (name.equals("getMoreResults")) {
                    this.currentResultSet = null;
                }
                yield JdbcProxies.delegate(this.last, method, args);
            }
            case "getGeneratedKeys" -> executed ? generatedKeys() : toGeneral(proxy, method, args);
            // ShardingSphere's statements report no warnings.
            case "getWarnings" -> null;
            case "clearWarnings" -> null;
            case "cancel" -> {
                if (this.last != null) {
                    this.last.cancel();
                }
                yield null;
            }
            case "close" -> {
                close();
                yield null;
            }
            case "isClosed" -> this.closed;
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "FastPathStatement[" + this.context.plan.sql() + "]";
            default -> toGeneral(proxy, method, args);
        };
    }

    /** Stores a parameter as ShardingSphere's statement does: by position, with {@code null} for any left unset before it. */
    private void setParameter(int index, Object value) {
        while (this.parameters.size() < index) {
            this.parameters.add(null);
        }
        this.parameters.set(index - 1, value);
    }

    private static Object parameterValue(String name, Object[] args) throws SQLException {
        if (name.equals("setNull")) {
            return null;
        }
        if (name.equals("setCharacterStream") && args[1] instanceof Reader reader) {
            // ShardingSphere reads a character stream into a string at once.
            try {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[4096];
                for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
                    text.append(buffer, 0, read);
                }
                return text.toString();
            }
            catch (IOException ex) {
                throw new SQLException("Cannot read the character stream of a parameter: " + ex.getMessage(), ex);
            }
        }
        return args[1];
    }

    private Object execute(Object proxy, Method method) throws Throwable {
        FastPathPlan plan = this.context.plan;
        this.context.gate.check(plan.sql());
        FastPathExecution.Route route = this.execution.route(this.parameters);
        if (route == null) {
            return toGeneral(proxy, method, null);
        }
        this.currentResultSet = null;
        this.generatedValues.clear();
        try {
            FastPathExecution.Executed executed = this.execution.run(route, this.parameters, method, this.physical);
            PreparedStatement statement = executed.statement();
            Object result = executed.result();
            this.last = statement;
            if (route.reportedKey() != null) {
                this.generatedValues.add(route.reportedKey());
            }
            this.context.fastPath.executedFast();
            if (result instanceof ResultSet resultSet) {
                this.currentResultSet = FastPathResultSet.wrap(resultSet, this.proxy, plan.table());
                return this.currentResultSet;
            }
            if (Boolean.TRUE.equals(result) && method.getName().equals("execute")) {
                ResultSet resultSet = statement.getResultSet();
                this.currentResultSet = (resultSet != null) ? FastPathResultSet.wrap(resultSet, this.proxy, plan.table()) : null;
            }
            return result;
        }
        catch (SQLException | RuntimeException ex) {
            throw this.execution.failure(ex);
        }
        finally {
            // ShardingSphere's statement clears its parameters after every execution.
            this.parameters.clear();
        }
    }

    /** The generated keys of the last execution, as ShardingSphere's statement answers them. */
    private ResultSet generatedKeys() throws SQLException {
        KeyGeneration keyGeneration = this.context.plan.keyGeneration();
        String column = this.context.plan.generatedKeysColumn();
        if (keyGeneration != null && keyGeneration.column() != null && this.context.options.returnGeneratedKeys()
                && !this.generatedValues.isEmpty()) {
            return new GeneratedKeysResultSet(column, this.generatedValues.iterator(), this.proxy);
        }
        try (ResultSet keys = this.last.getGeneratedKeys()) {
            while (keys.next()) {
                this.generatedValues.add((Comparable<?>) keys.getObject(1));
            }
        }
        return new GeneratedKeysResultSet(column, this.generatedValues.iterator(), this.proxy);
    }

    /** A call on ShardingSphere's statement, once the statement is there. */
    private Object onGeneral(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (EXECUTIONS.contains(name)) {
            this.carriedKeys.clear();
        }
        if (name.equals("getGeneratedKeys") && !this.carriedKeys.isEmpty()) {
            List<Comparable<?>> keys = new ArrayList<>(this.carriedKeys);
            try (ResultSet batch = this.general.getGeneratedKeys()) {
                while (batch.next()) {
                    keys.add((Comparable<?>) batch.getObject(1));
                }
            }
            return new GeneratedKeysResultSet(this.context.plan.generatedKeysColumn(), keys.iterator(), this.proxy);
        }
        return JdbcProxies.passThrough(this.general, proxy, method, args);
    }

    /**
     * Hands the statement to ShardingSphere: its own statement, prepared now, gets the settings and parameters given so
     * far and runs the call.
     */
    private Object toGeneral(Object proxy, Method method, Object[] args) throws Throwable {
        if (this.general == null) {
            if (this.last != null) {
                this.carriedKeys.addAll(this.generatedValues);
            }
            PreparedStatement statement = this.context.create.prepare();
            this.physical.replaySettings(statement);
            for (int i = 0; i < this.parameters.size(); i++) {
                statement.setObject(i + 1, this.parameters.get(i));
            }
            this.general = statement;
            closePhysical();
        }
        return onGeneral(proxy, method, args);
    }

    private void close() throws SQLException {
        this.closed = true;
        closePhysical();
        if (this.general != null) {
            this.general.close();
        }
    }

    private void closePhysical() {
        this.physical.close();
        this.last = null;
    }

    /**
     * What a fast-path statement works with.
     *
     * @param fastPath the data source's fast path
     * @param rules ShardingSphere's rules the statement runs by
     * @param connection the logical connection it runs on
     * @param logical the connection the application holds
     * @param plan how the text runs
     * @param create prepares ShardingSphere's own statement, should it be needed
     * @param options how the application asked for the statement
     * @param gate checks every execution
     * @param translation translates failures
     */
    record Context(FastPath fastPath, FastPath.Plans rules, LogicalConnection connection, Connection logical, FastPathPlan plan,
            FastPath.GeneralStatement create, PrepareOptions options, StatementGate gate, FailureTranslation translation) {
    }

}
