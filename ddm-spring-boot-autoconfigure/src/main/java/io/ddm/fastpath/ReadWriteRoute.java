package io.ddm.fastpath;

import java.util.List;

import org.apache.shardingsphere.infra.binder.context.statement.SQLStatementContext;
import org.apache.shardingsphere.infra.binder.context.statement.dml.SelectStatementContext;
import org.apache.shardingsphere.infra.hint.HintManager;
import org.apache.shardingsphere.infra.session.connection.ConnectionContext;
import org.apache.shardingsphere.infra.session.connection.transaction.TransactionConnectionContext;
import org.apache.shardingsphere.readwritesplitting.route.ReadwriteSplittingDataSourceRouter;
import org.apache.shardingsphere.readwritesplitting.route.standard.filter.ReadDataSourcesFilter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.sql.parser.statement.core.statement.SQLStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.SelectStatement;

/**
 * Which physical data source of a shard database one fast-path execution runs on, chosen as ShardingSphere's
 * {@link ReadwriteSplittingDataSourceRouter} (5.5.2) chooses it: the primary for a statement that is no select, locks,
 * or reads {@code LAST_INSERT_ID()}, and under a write-route hint; inside a transaction what the group's transactional
 * read strategy says; otherwise the group's load balancer over the read data sources its filters leave. What
 * ShardingSphere decides from the statement alone on every route is decided here once per text, and the filters are
 * created from constructors looked up once ({@link ServiceInstances}).
 */
final class ReadWriteRoute {

    private static final ServiceInstances<ReadDataSourcesFilter> FILTERS = ServiceInstances.of(ReadDataSourcesFilter.class);

    private final boolean primaryStatement;

    /**
     * The route of one SQL text.
     * @param context ShardingSphere's context of the statement
     */
    ReadWriteRoute(SQLStatementContext context) {
        this.primaryStatement = isPrimaryStatement(context);
    }

    /** ShardingSphere's {@code QualifiedReadwriteSplittingPrimaryDataSourceRouter.isWriteRouteStatement}. */
    private static boolean isPrimaryStatement(SQLStatementContext context) {
        SQLStatement statement = context.getSqlStatement();
        if (!(statement instanceof SelectStatement select)) {
            return true;
        }
        return select.getLock().isPresent() || (context instanceof SelectStatementContext selectContext
                && selectContext.getProjectionsContext().isContainsLastInsertIdProjection());
    }

    /**
     * The physical data source for one execution.
     * @param group the shard database's read/write-splitting group
     * @param connection the logical connection's context (whether a transaction runs)
     * @return the data source's name
     */
    String route(ReadwriteSplittingDataSourceGroupRule group, ConnectionContext connection) {
        // The fast path gives ShardingSphere's router an empty hint value context, so only the thread's hint counts.
        if (this.primaryStatement || HintManager.isWriteRouteOnly()) {
            return group.getWriteDataSource();
        }
        TransactionConnectionContext transaction = connection.getTransactionContext();
        if (transaction.isInTransaction()) {
            switch (group.getTransactionalReadQueryStrategy()) {
                case FIXED:
                    if (transaction.getReadWriteSplitReplicaRoute().isEmpty()) {
                        transaction.setReadWriteSplitReplicaRoute(balanced(group));
                    }
                    return transaction.getReadWriteSplitReplicaRoute().get();
                case DYNAMIC:
                    return balanced(group);
                case PRIMARY:
                default:
                    return group.getWriteDataSource();
            }
        }
        return balanced(group);
    }

    /** ShardingSphere's {@code StandardReadwriteSplittingDataSourceRouter}. */
    private static String balanced(ReadwriteSplittingDataSourceGroupRule group) {
        List<String> readDataSources = group.getReadwriteSplittingGroup().getReadDataSources();
        for (int i = 0; i < FILTERS.size(); i++) {
            readDataSources = FILTERS.get(i).filter(group, readDataSources);
        }
        return group.getLoadBalancer().getTargetName(group.getName(), readDataSources);
    }

}
