package io.ddm.fastpath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.ddm.datasource.FailureTranslation;
import io.ddm.fastpath.FastPathPlan.KeyGeneration;
import io.ddm.keygen.ExplicitSequenceValues;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.algorithm.core.context.AlgorithmSQLContext;
import org.apache.shardingsphere.infra.exception.dialect.SQLExceptionTransformEngine;
import org.apache.shardingsphere.infra.executor.sql.execute.engine.ConnectionMode;
import org.apache.shardingsphere.infra.hint.HintManager;
import org.apache.shardingsphere.infra.session.connection.ConnectionContext;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;

/**
 * How one fast-path text executes with the values set: whether ShardingSphere would route them as the fast path does
 * ({@link #route}), and then the execution itself ({@link #run}) - ShardingSphere's transaction begun where auto-commit
 * is off, the physical data source chosen as ShardingSphere's read/write-splitting router chooses it, the shard's connection taken
 * from ShardingSphere's connection manager (or, before ShardingSphere's logical connection was needed, held by the
 * {@link LogicalConnection}), the physical SQL run between ShardingSphere's execution hooks.
 */
final class FastPathExecution {

    /**
     * The connection context of a logical connection outside any transaction, for the read/write-splitting router while
     * ShardingSphere's connection is not open. The router only asks it whether a transaction runs.
     */
    private static final ConnectionContext OUTSIDE_TRANSACTION = new ConnectionContext(Collections::emptyList);

    private final FastPath.Plans rules;

    private final LogicalConnection connection;

    private final FastPathPlan plan;

    private final FailureTranslation translation;

    FastPathExecution(FastPath.Plans rules, LogicalConnection connection, FastPathPlan plan, FailureTranslation translation) {
        this.rules = rules;
        this.connection = connection;
        this.plan = plan;
        this.translation = translation;
    }

    /**
     * Where the values set route the statement, with the key generated for it.
     * @param parameters the values set
     * @return the route, or {@code null} when ShardingSphere must run the execution (a routing hint, a value missing,
     * values ShardingSphere would route otherwise)
     * @throws SQLException when a key cannot be generated or an explicit sequence value not recorded
     */
    Route route(List<Object> parameters) throws SQLException {
        if (isHinted(this.plan.logicTable())) {
            return null;
        }
        KeyGeneration keyGeneration = this.plan.keyGeneration();
        boolean generates = keyGeneration != null && keyGeneration.generated();
        if (!this.plan.valuesPresent(parameters)) {
            return null;
        }
        Comparable<?> key = (generates && keyGeneration.shardingColumn()) ? generateKey() : null;
        String[] node = this.plan.route(parameters, key);
        if (node == null) {
            return null;
        }
        if (generates && key == null) {
            key = generateKey();
        }
        Comparable<?> supplied = (keyGeneration != null && !generates && keyGeneration.supplied() != null)
                ? keyGeneration.supplied().value(parameters, null) : null;
        if (supplied != null) {
            // What DDM's rewrite decorator does after ShardingSphere's route: a sequence passes explicit values.
            try {
                ExplicitSequenceValues.record(this.rules.sharding(), this.plan.logicTable(), List.of(supplied));
            }
            catch (RuntimeException ex) {
                throw failure(ex);
            }
        }
        Comparable<?> reportedKey = null;
        if (keyGeneration != null && keyGeneration.column() != null) {
            reportedKey = generates ? key : supplied;
        }
        return new Route(node[0], node[1], generates ? key : null, reportedKey);
    }

    /**
     * Runs the statement where it was routed.
     * @param route the route
     * @param parameters the values set
     * @param call the execution the application called
     * @param statements the statement's physical statements
     * @return the physical statement that ran and what the execution returned
     * @throws SQLException as ShardingSphere's connection manager or the driver throws it, untranslated
     */
    Executed run(Route route, List<Object> parameters, FastPathStatement.PhysicalCall call, PhysicalStatements statements)
            throws SQLException {
        ShardingSphereConnection opened = this.connection.openedOrNull();
        String dataSource;
        Connection physicalConnection;
        if (opened != null) {
            // As ShardingSphere does before it routes: a statement with auto-commit off begins its transaction.
            opened.beginTransactionIfNeededWhenAutoCommitFalse();
            dataSource = readWriteSplitting(route.dataSource(), opened.getDatabaseConnectionManager().getConnectionContext());
            physicalConnection = opened.getDatabaseConnectionManager()
                .getConnections(opened.getCurrentDatabaseName(), dataSource, 0, 1, ConnectionMode.MEMORY_STRICTLY).get(0);
        }
        else {
            dataSource = readWriteSplitting(route.dataSource(), OUTSIDE_TRANSACTION);
            physicalConnection = this.connection.held(dataSource);
        }
        String sql = this.plan.physicalSql(route.table());
        PreparedStatement statement = statements.get(physicalConnection, dataSource, route.table(), sql);
        List<Object> physicalParameters = parameters;
        if (route.generatedKey() != null) {
            physicalParameters = new ArrayList<>(parameters);
            physicalParameters.add(route.generatedKey());
        }
        for (int i = 0; i < physicalParameters.size(); i++) {
            statement.setObject(i + 1, physicalParameters.get(i));
        }
        return new Executed(statement, runHooked(dataSource, sql, physicalParameters, statement, call));
    }

    /** Runs the physical statement between ShardingSphere's execution hooks, on this ("trunk") thread as ShardingSphere would. */
    private Object runHooked(String dataSource, String sql, List<Object> parameters, PreparedStatement statement,
            FastPathStatement.PhysicalCall call) throws SQLException {
        ExecutionHooks hook = ExecutionHooks.create();
        hook.start(dataSource, sql, parameters, this.rules.connectionProperties(dataSource));
        try {
            Object result = call.run(statement);
            hook.finishSuccess();
            return result;
        }
        catch (SQLException | RuntimeException ex) {
            hook.finishFailure(ex);
            throw ex;
        }
    }

    /**
     * A failure as ShardingSphere's statement throws it - its own (a key that cannot be generated) as an SQLException -
     * and then as DDM translates it.
     * @param ex the failure
     * @return what the application gets
     */
    SQLException failure(Exception ex) {
        return this.translation.translate(SQLExceptionTransformEngine.toSQLException(ex, this.rules.protocolType()));
    }

    /** Whether a ShardingSphere hint other than "primary only" is set on this thread: ShardingSphere routes by it. */
    private static boolean isHinted(String logicTable) {
        return HintManager.isInstantiated() && (HintManager.getDataSourceName().isPresent() || HintManager.isDatabaseShardingOnly()
                || !HintManager.getDatabaseShardingValues(logicTable).isEmpty()
                || !HintManager.getTableShardingValues(logicTable).isEmpty());
    }

    /** The physical data source of a shard database, chosen as ShardingSphere's read/write-splitting router chooses it. */
    private String readWriteSplitting(String dataSource, ConnectionContext context) {
        ReadwriteSplittingRule rule = this.rules.readWriteSplitting();
        if (rule == null) {
            return dataSource;
        }
        Optional<ReadwriteSplittingDataSourceGroupRule> group = rule.findDataSourceGroupRule(dataSource);
        if (group.isEmpty()) {
            return dataSource;
        }
        return this.plan.readWriteRoute().route(group.get(), context);
    }

    private Comparable<?> generateKey() throws SQLException {
        String database = this.connection.databaseName();
        AlgorithmSQLContext context = new AlgorithmSQLContext(database, database, this.plan.logicTable(),
                this.plan.keyGeneration().column());
        try {
            return this.rules.sharding().generateKeys(context, 1).iterator().next();
        }
        catch (RuntimeException ex) {
            throw failure(ex);
        }
    }

    /**
     * Where one execution runs.
     *
     * @param dataSource the shard database's logical data source
     * @param table the physical table
     * @param generatedKey the key generated for the statement's key column, appended to the parameters, or {@code null}
     * @param reportedKey the key {@code getGeneratedKeys()} answers (generated, or the value given for the key column), or
     * {@code null}
     */
    record Route(String dataSource, String table, Comparable<?> generatedKey, Comparable<?> reportedKey) {
    }

    /**
     * One execution's outcome.
     *
     * @param statement the physical statement that ran
     * @param result what its execution returned
     */
    record Executed(PreparedStatement statement, Object result) {
    }

}
