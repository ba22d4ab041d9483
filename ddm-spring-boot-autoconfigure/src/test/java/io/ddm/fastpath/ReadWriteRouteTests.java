package io.ddm.fastpath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.apache.shardingsphere.infra.algorithm.loadbalancer.core.LoadBalanceAlgorithm;
import org.apache.shardingsphere.infra.binder.context.segment.select.projection.ProjectionsContext;
import org.apache.shardingsphere.infra.binder.context.statement.SQLStatementContext;
import org.apache.shardingsphere.infra.binder.context.statement.dml.SelectStatementContext;
import org.apache.shardingsphere.infra.hint.HintManager;
import org.apache.shardingsphere.infra.hint.HintValueContext;
import org.apache.shardingsphere.infra.session.connection.ConnectionContext;
import org.apache.shardingsphere.readwritesplitting.config.rule.ReadwriteSplittingDataSourceGroupRuleConfiguration;
import org.apache.shardingsphere.readwritesplitting.route.ReadwriteSplittingDataSourceRouter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;
import org.apache.shardingsphere.readwritesplitting.transaction.TransactionalReadQueryStrategy;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.predicate.LockSegment;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.InsertStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.SelectStatement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The fast path's read/write route against ShardingSphere's own router, for every kind of statement it tells apart,
 * with and without a write-route hint, outside and inside a transaction under each transactional read strategy, and with
 * a read data source disabled: both must choose the same data source, twice in a row.
 */
class ReadWriteRouteTests {

    @Test
    void choosesWhatShardingSpheresRouterChooses() {
        List<String> cases = new ArrayList<>();
        for (SQLStatementContext statement : List.of(insert(), select(false, false), select(true, false), select(false, true))) {
            for (boolean hinted : List.of(false, true)) {
                for (TransactionalReadQueryStrategy strategy : TransactionalReadQueryStrategy.values()) {
                    for (boolean inTransaction : List.of(false, true)) {
                        for (boolean disabled : List.of(false, true)) {
                            String expected = routeTwice(statement, hinted, strategy, inTransaction, disabled, false);
                            String actual = routeTwice(statement, hinted, strategy, inTransaction, disabled, true);
                            assertThat(actual).as("%s, hint %s, %s, in transaction %s, a replica disabled %s",
                                    statement.getSqlStatement().getClass().getSimpleName(), hinted, strategy, inTransaction, disabled)
                                .isEqualTo(expected);
                            cases.add(expected);
                        }
                    }
                }
            }
        }
        // The cases reach the primary and both replicas, so that an equal answer means something.
        assertThat(cases).anyMatch((route) -> route.contains("primary")).anyMatch((route) -> route.contains("replica_0"))
            .anyMatch((route) -> route.contains("replica_1"));
    }

    private static String routeTwice(SQLStatementContext statement, boolean hinted, TransactionalReadQueryStrategy strategy,
            boolean inTransaction, boolean disabled, boolean fastPath) {
        ReadwriteSplittingDataSourceGroupRule group = new ReadwriteSplittingDataSourceGroupRule(
                new ReadwriteSplittingDataSourceGroupRuleConfiguration("shard_0", "primary", List.of("replica_0", "replica_1"), strategy,
                        "turns"),
                strategy, new Turns());
        if (disabled) {
            group.disableDataSource("replica_1");
        }
        ConnectionContext connection = new ConnectionContext(Collections::emptyList);
        if (inTransaction) {
            connection.getTransactionContext().beginTransaction("LOCAL", null);
        }
        ReadWriteRoute route = new ReadWriteRoute(statement);
        try (HintManager hint = HintManager.getInstance()) {
            if (hinted) {
                hint.setWriteRouteOnly();
            }
            if (fastPath) {
                return route.route(group, connection) + "," + route.route(group, connection);
            }
            return new ReadwriteSplittingDataSourceRouter(group, connection).route(statement, new HintValueContext()) + ","
                    + new ReadwriteSplittingDataSourceRouter(group, connection).route(statement, new HintValueContext());
        }
    }

    private static SQLStatementContext insert() {
        SQLStatementContext context = mock(SQLStatementContext.class);
        when(context.getSqlStatement()).thenReturn(mock(InsertStatement.class));
        return context;
    }

    private static SQLStatementContext select(boolean locking, boolean lastInsertId) {
        SelectStatement statement = mock(SelectStatement.class);
        when(statement.getLock()).thenReturn(locking ? Optional.of(mock(LockSegment.class)) : Optional.empty());
        SelectStatementContext context = mock(SelectStatementContext.class);
        when(context.getSqlStatement()).thenReturn(statement);
        ProjectionsContext projections = mock(ProjectionsContext.class);
        when(projections.isContainsLastInsertIdProjection()).thenReturn(lastInsertId);
        when(context.getProjectionsContext()).thenReturn(projections);
        return context;
    }

    /** Takes the available data sources in turn: a route that filters or balances differently answers differently. */
    private static final class Turns implements LoadBalanceAlgorithm {

        private int turn;

        @Override
        public String getTargetName(String groupName, List<String> availableTargetNames) {
            return availableTargetNames.get(this.turn++ % availableTargetNames.size());
        }

        @Override
        public String getType() {
            return "TURNS";
        }

    }

}
