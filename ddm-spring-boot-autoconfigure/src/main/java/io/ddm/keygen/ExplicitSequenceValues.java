package io.ddm.keygen;

import java.util.Collection;
import java.util.Optional;

import io.ddm.routing.RoutingDryRun;
import org.apache.shardingsphere.infra.binder.context.segment.insert.keygen.GeneratedKeyContext;
import org.apache.shardingsphere.infra.binder.context.statement.dml.InsertStatementContext;
import org.apache.shardingsphere.infra.config.props.ConfigurationProperties;
import org.apache.shardingsphere.infra.rewrite.context.SQLRewriteContext;
import org.apache.shardingsphere.infra.rewrite.context.SQLRewriteContextDecorator;
import org.apache.shardingsphere.infra.route.context.RouteContext;
import org.apache.shardingsphere.sharding.rule.ShardingRule;
import org.apache.shardingsphere.single.rule.SingleRule;

/**
 * Passes the values an INSERT gives explicitly for a sequence's column to the sequence ({@link BlockSequence#explicit}),
 * so that generated values pass them. ShardingSphere calls a key generator only when the column is absent, but it
 * collects the explicit values of the key column of every INSERT (its {@link GeneratedKeyContext}, not generated);
 * this reads them after routing, before the statement runs.
 *
 * <p>It is a ShardingSphere SQL rewrite decorator of the single-table rule, which every DDM data source has and which
 * has no decorator of its own (a second decorator for the sharding rule would replace ShardingSphere's). Statements
 * of other tables cost a type check.
 */
public final class ExplicitSequenceValues implements SQLRewriteContextDecorator<SingleRule> {

    /** Order among rewrite decorators: after ShardingSphere's own, and unique among them as ShardingSphere requires. */
    static final int ORDER = 9100;

    @Override
    public void decorate(SingleRule rule, ConfigurationProperties props, SQLRewriteContext context, RouteContext routeContext) {
        if (!(context.getSqlStatementContext() instanceof InsertStatementContext insert)) {
            return;
        }
        Optional<GeneratedKeyContext> keys = insert.getGeneratedKeyContext();
        if (keys.isEmpty() || keys.get().isGenerated() || keys.get().getGeneratedValues().isEmpty() || RoutingDryRun.isActive()) {
            return;
        }
        String table = insert.getSqlStatement().getTable().map((segment) -> segment.getTableName().getIdentifier().getValue())
            .orElse(null);
        Optional<ShardingRule> sharding = context.getDatabase().getRuleMetaData().findSingleRule(ShardingRule.class);
        if (table == null || sharding.isEmpty()) {
            return;
        }
        record(sharding.get(), table, keys.get().getGeneratedValues());
    }

    /**
     * Passes the values an INSERT gives explicitly for a table's key column to its sequence, when the table's key
     * generator is one: what this decorator does after ShardingSphere's route, for an INSERT that runs on DDM's fast path
     * ({@code io.ddm.fastpath}) instead.
     * @param sharding the sharding rule
     * @param table the logical table
     * @param values the explicit values
     */
    public static void record(ShardingRule sharding, String table, Collection<? extends Comparable<?>> values) {
        sharding.findShardingTable(table)
            .map((shardingTable) -> sharding.getKeyGenerators().get(shardingTable.getKeyGeneratorName()))
            .filter(SequenceKeyGenerateAlgorithm.class::isInstance)
            .map((algorithm) -> ((SequenceKeyGenerateAlgorithm) algorithm).sequence())
            .ifPresent((sequence) -> highest(values).ifPresent(sequence::explicit));
    }

    /** The highest integer among the explicit values; others (strings that are no number, expressions) are ignored. */
    private static Optional<Long> highest(Collection<? extends Comparable<?>> values) {
        Long result = null;
        for (Comparable<?> value : values) {
            Long number = asLong(value);
            if (number != null && (result == null || number > result)) {
                result = number;
            }
        }
        return Optional.ofNullable(result);
    }

    private static Long asLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        if (value instanceof java.math.BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            }
            catch (ArithmeticException ex) {
                return null;
            }
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Class<SingleRule> getTypeClass() {
        return SingleRule.class;
    }

}
