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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.ddm.datasource.FailureTranslation;
import io.ddm.datasource.JdbcProxies;
import io.ddm.datasource.StatementGate;
import io.ddm.fastpath.FastPathPlan.KeyGeneration;
import io.ddm.keygen.ExplicitSequenceValues;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.driver.jdbc.core.resultset.GeneratedKeysResultSet;
import org.apache.shardingsphere.infra.algorithm.core.context.AlgorithmSQLContext;
import org.apache.shardingsphere.infra.exception.dialect.SQLExceptionTransformEngine;
import org.apache.shardingsphere.infra.executor.sql.execute.engine.ConnectionMode;
import org.apache.shardingsphere.infra.hint.HintManager;
import org.apache.shardingsphere.infra.hint.HintValueContext;
import org.apache.shardingsphere.readwritesplitting.route.ReadwriteSplittingDataSourceRouter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;

/**
 * A prepared statement on the fast path. It keeps its parameters as ShardingSphere's statement does (values by position,
 * set on the physical statement with {@code setObject}, cleared after every execution), and on each execution routes by
 * them, takes the shard's connection from ShardingSphere's connection manager (beginning ShardingSphere's transaction
 * first where auto-commit is off), runs the physical SQL with ShardingSphere's execution hooks around it, and answers
 * results, update counts and generated keys as ShardingSphere's statement answers them.
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

    private final List<Setting> settings = new ArrayList<>(2);

    private final Map<String, Physical> physical = new HashMap<>(4);

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
            this.settings.add(new Setting(method, args));
            for (Physical each : this.physical.values()) {
                JdbcProxies.delegate(each.statement, method, args);
            }
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
        if (isHinted(plan.logicTable())) {
            return toGeneral(proxy, method, null);
        }
        KeyGeneration keyGeneration = plan.keyGeneration();
        boolean generates = keyGeneration != null && keyGeneration.generated();
        if (!plan.valuesPresent(this.parameters)) {
            return toGeneral(proxy, method, null);
        }
        ShardingSphereConnection connection = this.context.connection;
        Comparable<?> key = (generates && keyGeneration.shardingColumn()) ? generateKey(connection, plan) : null;
        String[] node = plan.route(this.parameters, key);
        if (node == null) {
            return toGeneral(proxy, method, null);
        }
        if (generates && key == null) {
            key = generateKey(connection, plan);
        }
        if (keyGeneration != null && !generates && keyGeneration.supplied() != null) {
            // What DDM's rewrite decorator does after ShardingSphere's route: a sequence passes explicit values.
            Comparable<?> supplied = keyGeneration.supplied().value(this.parameters, null);
            if (supplied != null) {
                try {
                    ExplicitSequenceValues.record(this.context.rules.sharding(), plan.logicTable(), List.of(supplied));
                }
                catch (RuntimeException ex) {
                    throw failure(ex);
                }
            }
        }
        this.currentResultSet = null;
        this.generatedValues.clear();
        List<Object> values = this.parameters;
        try {
            // As ShardingSphere does before it routes: a statement with auto-commit off begins its transaction.
            connection.beginTransactionIfNeededWhenAutoCommitFalse();
            String dataSource = readWriteSplitting(connection, plan, node[0]);
            Connection physicalConnection = connection.getDatabaseConnectionManager()
                .getConnections(connection.getCurrentDatabaseName(), dataSource, 0, 1, ConnectionMode.MEMORY_STRICTLY).get(0);
            String sql = plan.physicalSql(node[1]);
            PreparedStatement statement = physicalStatement(physicalConnection, dataSource + "." + node[1], sql);
            List<Object> physicalParameters = values;
            if (generates) {
                physicalParameters = new ArrayList<>(values);
                physicalParameters.add(key);
            }
            for (int i = 0; i < physicalParameters.size(); i++) {
                statement.setObject(i + 1, physicalParameters.get(i));
            }
            Object result = run(connection, dataSource, sql, physicalParameters, statement, method);
            this.last = statement;
            if (keyGeneration != null && keyGeneration.column() != null) {
                KeyValue supplied = keyGeneration.supplied();
                Comparable<?> value = generates ? key : (supplied != null) ? supplied.value(values, null) : null;
                if (value != null) {
                    this.generatedValues.add(value);
                }
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
            throw failure(ex);
        }
        finally {
            // ShardingSphere's statement clears its parameters after every execution.
            this.parameters.clear();
        }
    }

    /** Runs the physical statement between ShardingSphere's execution hooks, on this ("trunk") thread as ShardingSphere would. */
    private Object run(ShardingSphereConnection connection, String dataSource, String sql, List<Object> parameters,
            PreparedStatement statement, Method method) throws Throwable {
        ExecutionHooks hook = ExecutionHooks.create();
        hook.start(dataSource, sql, parameters, this.context.rules.connectionProperties(dataSource));
        try {
            Object result = JdbcProxies.delegate(statement, method, null);
            hook.finishSuccess();
            return result;
        }
        catch (SQLException | RuntimeException ex) {
            hook.finishFailure(ex);
            throw ex;
        }
    }

    /** Whether a ShardingSphere hint other than "primary only" is set on this thread: ShardingSphere routes by it. */
    private static boolean isHinted(String logicTable) {
        return HintManager.isInstantiated() && (HintManager.getDataSourceName().isPresent() || HintManager.isDatabaseShardingOnly()
                || !HintManager.getDatabaseShardingValues(logicTable).isEmpty()
                || !HintManager.getTableShardingValues(logicTable).isEmpty());
    }

    /** The physical data source of a shard database, chosen by ShardingSphere's own read/write-splitting router. */
    private String readWriteSplitting(ShardingSphereConnection connection, FastPathPlan plan, String dataSource) {
        ReadwriteSplittingRule rule = this.context.rules.readWriteSplitting();
        if (rule == null) {
            return dataSource;
        }
        Optional<ReadwriteSplittingDataSourceGroupRule> group = rule.findDataSourceGroupRule(dataSource);
        if (group.isEmpty()) {
            return dataSource;
        }
        return new ReadwriteSplittingDataSourceRouter(group.get(), connection.getDatabaseConnectionManager().getConnectionContext())
            .route(plan.context(), new HintValueContext());
    }

    private Comparable<?> generateKey(ShardingSphereConnection connection, FastPathPlan plan) throws SQLException {
        String database = connection.getCurrentDatabaseName();
        AlgorithmSQLContext context = new AlgorithmSQLContext(database, database, plan.logicTable(), plan.keyGeneration().column());
        try {
            return this.context.rules.sharding().generateKeys(context, 1).iterator().next();
        }
        catch (RuntimeException ex) {
            throw failure(ex);
        }
    }

    /**
     * A failure as ShardingSphere's statement throws it - its own (a key that cannot be generated) as an SQLException -
     * and then as DDM translates it.
     */
    private SQLException failure(Exception ex) {
        return this.context.translation.translate(SQLExceptionTransformEngine.toSQLException(ex, this.context.rules.protocolType()));
    }



    /**
     * The physical statement for one table on one connection: kept for the next execution on the same connection, as
     * ShardingSphere keeps its physical statements; prepared with the application's options and settings.
     */
    private PreparedStatement physicalStatement(Connection connection, String target, String sql) throws Throwable {
        Physical kept = this.physical.get(target);
        if (kept != null && kept.connection == connection && !kept.statement.isClosed()) {
            return kept.statement;
        }
        if (kept != null) {
            closeQuietly(kept.statement);
        }
        PrepareOptions options = this.context.options;
        PreparedStatement statement;
        if (options.returnGeneratedKeys()) {
            statement = (options.columns() == null || options.columns().length == 0)
                    ? connection.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)
                    : connection.prepareStatement(sql, options.columns());
        }
        else {
            statement = connection.prepareStatement(sql, options.type(), options.concurrency(), options.holdability());
        }
        for (Setting each : this.settings) {
            JdbcProxies.delegate(statement, each.method, each.args);
        }
        this.physical.put(target, new Physical(connection, statement));
        return statement;
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
            for (Setting each : this.settings) {
                JdbcProxies.delegate(statement, each.method, each.args);
            }
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
        for (Physical each : this.physical.values()) {
            closeQuietly(each.statement);
        }
        this.physical.clear();
        this.last = null;
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        }
        catch (SQLException ex) {
            // Closed with its connection in any case.
        }
    }

    /**
     * What a fast-path statement works with.
     *
     * @param fastPath the data source's fast path
     * @param rules ShardingSphere's rules the statement runs by
     * @param connection ShardingSphere's logical connection
     * @param logical the connection the application holds
     * @param plan how the text runs
     * @param create prepares ShardingSphere's own statement, should it be needed
     * @param options how the application asked for the statement
     * @param gate checks every execution
     * @param translation translates failures
     */
    record Context(FastPath fastPath, FastPath.Plans rules, ShardingSphereConnection connection, Connection logical, FastPathPlan plan,
            FastPath.GeneralStatement create, PrepareOptions options, StatementGate gate, FailureTranslation translation) {
    }

    private record Setting(Method method, Object[] args) {
    }

    private record Physical(Connection connection, PreparedStatement statement) {
    }

}
