package io.ddm.fastpath;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.ddm.fastpath.FastPathPlan.KeyGeneration;
import io.ddm.fastpath.FastPathPlan.Kind;
import org.apache.shardingsphere.infra.binder.context.statement.SQLStatementContext;
import org.apache.shardingsphere.infra.binder.context.statement.dml.InsertStatementContext;
import org.apache.shardingsphere.infra.binder.context.segment.insert.keygen.GeneratedKeyContext;
import org.apache.shardingsphere.infra.binder.engine.SQLBindEngine;
import org.apache.shardingsphere.infra.database.core.keygen.GeneratedKeyColumnProvider;
import org.apache.shardingsphere.infra.database.core.spi.DatabaseTypedSPILoader;
import org.apache.shardingsphere.infra.database.core.type.DatabaseType;
import org.apache.shardingsphere.infra.hint.HintValueContext;
import org.apache.shardingsphere.infra.metadata.ShardingSphereMetaData;
import org.apache.shardingsphere.infra.metadata.database.ShardingSphereDatabase;
import org.apache.shardingsphere.parser.rule.SQLParserRule;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.NoneShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.ShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.config.strategy.sharding.StandardShardingStrategyConfiguration;
import org.apache.shardingsphere.sharding.api.sharding.standard.StandardShardingAlgorithm;
import org.apache.shardingsphere.sharding.rule.ShardingRule;
import org.apache.shardingsphere.sharding.rule.ShardingTable;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.assignment.ColumnAssignmentSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.assignment.InsertValuesSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.column.ColumnSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.column.InsertColumnsSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.BetweenExpression;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.BinaryOperationExpression;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.ExpressionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.InExpression;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.ListExpression;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.simple.LiteralExpressionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.expr.simple.ParameterMarkerExpressionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.item.ColumnProjectionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.item.ProjectionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.item.ShorthandProjectionSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.order.OrderBySegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.order.item.ColumnOrderByItemSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.order.item.IndexOrderByItemSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.order.item.OrderByItemSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.dml.predicate.WhereSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.generic.OwnerSegment;
import org.apache.shardingsphere.sql.parser.statement.core.segment.generic.table.SimpleTableSegment;
import org.apache.shardingsphere.sql.parser.statement.core.statement.SQLStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.DeleteStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.InsertStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.SelectStatement;
import org.apache.shardingsphere.sql.parser.statement.core.statement.dml.UpdateStatement;

/**
 * Decides, once per SQL text, whether a statement can take the fast path, and how: with ShardingSphere's own parser
 * and binder, it accepts only a statement on one sharded table whose every sharding column is compared for equality
 * with a parameter or literal in a top-level {@code AND} of the {@code WHERE} clause (or given in the single row of an
 * insert, or generated), with plain columns, parameters and literals everywhere else. Anything else - joins, subqueries,
 * {@code OR}, {@code IN} or ranges on a sharding column, functions, aggregates, {@code GROUP BY}, {@code LIMIT}, comments
 * and hints, DDL, tables qualified by their schema - goes to ShardingSphere unchanged: {@code null}.
 */
final class FastPathClassifier {

    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=", "LIKE");

    private final ShardingSphereMetaData metaData;

    private final String databaseName;

    FastPathClassifier(ShardingSphereMetaData metaData, String databaseName) {
        this.metaData = metaData;
        this.databaseName = databaseName;
    }

    FastPathPlan classify(String sql) {
        Kind kind = kindOf(sql);
        if (kind == null) {
            return null;
        }
        ShardingSphereDatabase database = this.metaData.getDatabase(this.databaseName);
        Optional<ShardingRule> rule = database.getRuleMetaData().findSingleRule(ShardingRule.class);
        if (rule.isEmpty()) {
            return null;
        }
        SQLStatement statement;
        SQLStatementContext context;
        try {
            DatabaseType type = database.getProtocolType();
            statement = this.metaData.getGlobalRuleMetaData().getSingleRule(SQLParserRule.class).getSQLParserEngine(type).parse(sql, true);
            context = new SQLBindEngine(this.metaData, this.databaseName, new HintValueContext()).bind(statement, Collections.emptyList());
        }
        catch (RuntimeException ex) {
            // ShardingSphere reports it, in its own words, when it prepares the statement.
            return null;
        }
        Shape shape = switch (kind) {
            case SELECT -> (statement instanceof SelectStatement select) ? select(select) : null;
            case INSERT -> (statement instanceof InsertStatement insert) ? insert(insert) : null;
            case UPDATE -> (statement instanceof UpdateStatement update) ? update(update) : null;
            case DELETE -> (statement instanceof DeleteStatement delete) ? delete(delete) : null;
        };
        if (shape == null) {
            return null;
        }
        return plan(kind, sql, shape, rule.get(), context, database.getProtocolType());
    }

    /** The kind of statement from its first word; {@code null} for any other, and for any text with a comment or hint. */
    private static Kind kindOf(String sql) {
        if (sql.contains("/*") || sql.contains("--") || sql.indexOf('#') >= 0) {
            return null;
        }
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        for (Kind kind : Kind.values()) {
            String word = kind.name();
            if (sql.regionMatches(true, start, word, 0, word.length()) && sql.length() > start + word.length()
                    && Character.isWhitespace(sql.charAt(start + word.length()))) {
                return kind;
            }
        }
        return null;
    }

    private FastPathPlan plan(Kind kind, String sql, Shape shape, ShardingRule rule, SQLStatementContext context,
            DatabaseType type) {
        SimpleTableSegment tableSegment = shape.table;
        String logicTable = tableSegment.getTableName().getIdentifier().getValue();
        Optional<ShardingTable> found = rule.findShardingTable(logicTable);
        if (found.isEmpty()) {
            return null;
        }
        ShardingTable table = found.get();
        KeyGeneration keyGeneration = null;
        if (kind == Kind.INSERT) {
            keyGeneration = keyGeneration(shape, context, rule, logicTable);
            if (keyGeneration == KeyGenerationUnsupported.INSTANCE) {
                return null;
            }
        }
        ShardingStep databaseStep;
        ShardingStep tableStep;
        try {
            databaseStep = step(rule, rule.getDatabaseShardingStrategyConfiguration(table), shape, keyGeneration, table, true);
            tableStep = step(rule, rule.getTableShardingStrategyConfiguration(table), shape, keyGeneration, table, false);
        }
        catch (NotFast ex) {
            return null;
        }
        // An update of a sharding column moves the row: ShardingSphere decides what to do with that.
        Set<String> routing = routingColumns(databaseStep, tableStep);
        if (shape.assigned.stream().anyMatch(routing::contains)) {
            return null;
        }
        if (keyGeneration != null && keyGeneration.generated()
                && (sql.charAt(keyGeneration.columnsClose()) != ')' || sql.charAt(keyGeneration.valuesClose()) != ')')) {
            return null;
        }
        return new FastPathPlan(kind, sql, table, databaseStep, tableStep, context, tableSegment.getTableName().getStartIndex(),
                tableSegment.getTableName().getStopIndex(), tableSegment.getTableName().getIdentifier().getQuoteCharacter(),
                keyGeneration, generatedKeysColumn(type, keyGeneration));
    }

    /** The name ShardingSphere gives the column of {@code getGeneratedKeys()}: the dialect's, else the key column. */
    private static String generatedKeysColumn(DatabaseType type, KeyGeneration keyGeneration) {
        return DatabaseTypedSPILoader.findService(GeneratedKeyColumnProvider.class, type).map(GeneratedKeyColumnProvider::getColumnName)
            .orElse((keyGeneration != null) ? keyGeneration.column() : null);
    }

    private static Set<String> routingColumns(ShardingStep databaseStep, ShardingStep tableStep) {
        Set<String> result = new HashSet<>();
        if (databaseStep != null) {
            result.add(lower(databaseStep.key().column()));
        }
        if (tableStep != null) {
            result.add(lower(tableStep.key().column()));
        }
        return result;
    }

    /**
     * The step of one strategy: a standard strategy needs the column's value; no strategy is fine where there is only one
     * target (checked per execution).
     */
    private static ShardingStep step(ShardingRule rule, ShardingStrategyConfiguration strategy, Shape shape, KeyGeneration keyGeneration,
            ShardingTable table, boolean database) {
        if (strategy == null || strategy instanceof NoneShardingStrategyConfiguration) {
            if ((database ? table.getActualDataSourceNames().size() : 1) != 1) {
                throw new NotFast();
            }
            return null;
        }
        if (!(strategy instanceof StandardShardingStrategyConfiguration standard)
                || !(rule.getShardingAlgorithms().get(standard.getShardingAlgorithmName())
                        instanceof StandardShardingAlgorithm<?> algorithm)) {
            throw new NotFast();
        }
        String column = standard.getShardingColumn();
        KeyValue key = shape.keys.get(lower(column));
        if (key == null && keyGeneration != null && keyGeneration.generated() && keyGeneration.column().equalsIgnoreCase(column)) {
            key = KeyValue.generated(column);
        }
        if (key == null) {
            throw new NotFast();
        }
        KeyValue named = new KeyValue(column, key.parameterIndex(), key.literal());
        return new ShardingStep(algorithm, named, table.getLogicTable(),
                database ? table.getDataSourceDataNode() : table.getTableDataNode());
    }

    private static KeyGeneration keyGeneration(Shape shape, SQLStatementContext context, ShardingRule rule, String logicTable) {
        if (!(context instanceof InsertStatementContext insert)) {
            return KeyGenerationUnsupported.INSTANCE;
        }
        Optional<GeneratedKeyContext> generatedKey = insert.getGeneratedKeyContext();
        if (generatedKey.isEmpty()) {
            return null;
        }
        String column = generatedKey.get().getColumnName();
        boolean sharding = rule.findShardingColumn(column, logicTable).isPresent();
        if (!generatedKey.get().isGenerated()) {
            return new KeyGeneration(column, false, shape.insertValues.get(lower(column)), -1, -1, sharding);
        }
        if (shape.columnsClose < 0 || shape.valuesClose < 0) {
            return KeyGenerationUnsupported.INSTANCE;
        }
        return new KeyGeneration(column, true, null, shape.columnsClose, shape.valuesClose, sharding);
    }

    private Shape select(SelectStatement select) {
        if (!(select.getFrom().orElse(null) instanceof SimpleTableSegment table) || select.getWhere().isEmpty()
                || select.getGroupBy().isPresent() || select.getHaving().isPresent() || select.getLimit().isPresent()
                || select.getCombine().isPresent() || select.getWithSegment().isPresent() || select.getWindow().isPresent()
                || select.getModelSegment().isPresent() || select.getIntoSegment().isPresent() || select.getProjections() == null
                || select.getProjections().isDistinctRow()) {
            return null;
        }
        Shape shape = new Shape(table);
        if (!shape.plainTable()) {
            return null;
        }
        for (ProjectionSegment each : select.getProjections().getProjections()) {
            boolean plain = (each instanceof ColumnProjectionSegment column) ? shape.plainColumn(column.getColumn())
                    : (each instanceof ShorthandProjectionSegment shorthand) && shape.plainOwner(shorthand.getOwner());
            if (!plain) {
                return null;
            }
        }
        if (select.getOrderBy().isPresent() && !orderBy(select.getOrderBy().get(), shape)) {
            return null;
        }
        return where(select.getWhere().get(), shape) ? shape : null;
    }

    private static boolean orderBy(OrderBySegment orderBy, Shape shape) {
        for (OrderByItemSegment each : orderBy.getOrderByItems()) {
            boolean plain = (each instanceof ColumnOrderByItemSegment column) ? shape.plainColumn(column.getColumn())
                    : each instanceof IndexOrderByItemSegment;
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    private Shape update(UpdateStatement update) {
        if (!(update.getTable() instanceof SimpleTableSegment table) || update.getWhere().isEmpty() || update.getOrderBy().isPresent()
                || update.getLimit().isPresent() || update.getWithSegment().isPresent() || update.getDeleteWhere().isPresent()
                || update.getOptionHintSegment().isPresent() || update.getOutputSegment().isPresent()
                || update.getAssignmentSegment().isEmpty()) {
            return null;
        }
        Shape shape = new Shape(table);
        if (!shape.plainTable() || !where(update.getWhere().get(), shape)) {
            return null;
        }
        for (ColumnAssignmentSegment each : update.getAssignmentSegment().get().getAssignments()) {
            if (each.getColumns().size() != 1 || !shape.plainColumn(each.getColumns().get(0)) || !shape.plainValue(each.getValue())) {
                return null;
            }
            shape.assigned.add(lower(each.getColumns().get(0).getIdentifier().getValue()));
        }
        return shape;
    }

    private Shape delete(DeleteStatement delete) {
        if (!(delete.getTable() instanceof SimpleTableSegment table) || delete.getWhere().isEmpty() || delete.getOrderBy().isPresent()
                || delete.getLimit().isPresent() || delete.getWithSegment().isPresent() || delete.getOutputSegment().isPresent()) {
            return null;
        }
        Shape shape = new Shape(table);
        return (shape.plainTable() && where(delete.getWhere().get(), shape)) ? shape : null;
    }

    private Shape insert(InsertStatement insert) {
        Optional<SimpleTableSegment> table = insert.getTable();
        Optional<InsertColumnsSegment> columns = insert.getInsertColumns();
        if (table.isEmpty() || columns.isEmpty() || columns.get().getColumns().isEmpty() || insert.getValues().size() != 1
                || insert.getSetAssignment().isPresent() || insert.getInsertSelect().isPresent()
                || insert.getOnDuplicateKeyColumns().isPresent() || insert.getWithSegment().isPresent()
                || insert.getOutputSegment().isPresent() || insert.getReturningSegment().isPresent()
                || insert.getMultiTableInsertType().isPresent() || insert.getWhere().isPresent() || insert.getExecSegment().isPresent()
                || insert.getRowSetFunctionSegment().isPresent()) {
            return null;
        }
        Shape shape = new Shape(table.get());
        if (!shape.plainTable()) {
            return null;
        }
        InsertValuesSegment row = insert.getValues().iterator().next();
        List<ColumnSegment> names = new ArrayList<>(columns.get().getColumns());
        List<ExpressionSegment> values = row.getValues();
        if (names.size() != values.size()) {
            return null;
        }
        for (int i = 0; i < names.size(); i++) {
            ColumnSegment column = names.get(i);
            KeyValue value = keyValue(column.getIdentifier().getValue(), values.get(i));
            if (column.getOwner().isPresent() || value == null
                    || shape.insertValues.put(lower(column.getIdentifier().getValue()), value) != null) {
                return null;
            }
        }
        shape.keys.putAll(shape.insertValues);
        shape.columnsClose = columns.get().getStopIndex();
        shape.valuesClose = row.getStopIndex();
        return shape;
    }

    /**
     * Reads the conditions of a {@code WHERE} clause: a top-level {@code AND} of comparisons of plain columns with
     * parameters or literals; equalities are the candidates for sharding keys. Records them in the shape.
     */
    private static boolean where(WhereSegment where, Shape shape) {
        List<ExpressionSegment> conditions = new ArrayList<>();
        if (!conjuncts(where.getExpr(), conditions)) {
            return false;
        }
        Map<String, Integer> comparisons = new LinkedHashMap<>();
        for (ExpressionSegment each : conditions) {
            ColumnSegment column;
            if (each instanceof BinaryOperationExpression binary && binary.getLeft() instanceof ColumnSegment left
                    && COMPARISONS.contains(binary.getOperator().toUpperCase(Locale.ROOT)) && isValue(binary.getRight())) {
                column = left;
                if ("=".equals(binary.getOperator())) {
                    String name = left.getIdentifier().getValue();
                    shape.equalities.put(lower(name), keyValue(name, binary.getRight()));
                }
            }
            else if (each instanceof BetweenExpression between && between.getLeft() instanceof ColumnSegment left
                    && isValue(between.getBetweenExpr()) && isValue(between.getAndExpr())) {
                column = left;
            }
            else if (each instanceof InExpression in && in.getLeft() instanceof ColumnSegment left
                    && in.getRight() instanceof ListExpression list
                    && list.getItems().stream().allMatch(FastPathClassifier::isValue)) {
                column = left;
            }
            else {
                return false;
            }
            if (!shape.plainColumn(column)) {
                return false;
            }
            comparisons.merge(lower(column.getIdentifier().getValue()), 1, Integer::sum);
        }
        // A column compared more than once, or by anything but one equality, is not a key here (see ShardingStep).
        shape.equalities.forEach((column, value) -> {
            if (comparisons.get(column) == 1) {
                shape.keys.put(column, value);
            }
        });
        return true;
    }

    private static boolean conjuncts(ExpressionSegment expression, Collection<ExpressionSegment> result) {
        if (expression instanceof BinaryOperationExpression binary
                && ("AND".equalsIgnoreCase(binary.getOperator()) || "&&".equals(binary.getOperator()))) {
            return conjuncts(binary.getLeft(), result) && conjuncts(binary.getRight(), result);
        }
        result.add(expression);
        return true;
    }

    private static boolean isValue(ExpressionSegment expression) {
        return expression instanceof ParameterMarkerExpressionSegment || expression instanceof LiteralExpressionSegment;
    }

    /** The value of a sharding column given by a parameter or a comparable literal; {@code null} for anything else. */
    private static KeyValue keyValue(String column, ExpressionSegment expression) {
        if (expression instanceof ParameterMarkerExpressionSegment parameter) {
            return KeyValue.parameter(column, parameter.getParameterMarkerIndex());
        }
        if (expression instanceof LiteralExpressionSegment literal && literal.getLiterals() instanceof Comparable<?> value) {
            return KeyValue.literal(column, value);
        }
        return null;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** What one statement names: its table, how it may be named, and the values it gives its columns. */
    private static final class Shape {

        final SimpleTableSegment table;

        final String alias;

        /** Columns compared for equality exactly once, with their values: candidates for sharding keys. */
        final Map<String, KeyValue> keys = new LinkedHashMap<>();

        final Map<String, KeyValue> equalities = new LinkedHashMap<>();

        final Set<String> assigned = new HashSet<>();

        final Map<String, KeyValue> insertValues = new LinkedHashMap<>();

        int columnsClose = -1;

        int valuesClose = -1;

        Shape(SimpleTableSegment table) {
            this.table = table;
            this.alias = table.getAliasName().orElse(null);
        }

        /** A table named by itself: no schema, link or pivot. */
        boolean plainTable() {
            return this.table.getOwner().isEmpty() && this.table.getDbLink().isEmpty() && this.table.getAt().isEmpty()
                    && this.table.getPivot().isEmpty() && this.table.getIndexHintSegments().isEmpty();
        }

        /** A column without owner, or owned by the table's alias (ShardingSphere rewrites an owner that names the table). */
        boolean plainColumn(ColumnSegment column) {
            return !column.isVariable() && (column.getNestedObjectAttributes() == null || column.getNestedObjectAttributes().isEmpty())
                    && plainOwner(column.getOwner());
        }

        boolean plainOwner(Optional<OwnerSegment> owner) {
            return owner.isEmpty() || (this.alias != null && owner.get().getOwner().isEmpty()
                    && this.alias.equalsIgnoreCase(owner.get().getIdentifier().getValue()));
        }

        /** A value an update assigns: a parameter, literal, plain column, or arithmetic of those. */
        boolean plainValue(ExpressionSegment value) {
            if (isValue(value)) {
                return true;
            }
            if (value instanceof ColumnSegment column) {
                return plainColumn(column);
            }
            return value instanceof BinaryOperationExpression binary && Set.of("+", "-", "*", "/").contains(binary.getOperator())
                    && plainValue(binary.getLeft()) && plainValue(binary.getRight());
        }

    }

    /** Marks an insert whose key generation the fast path does not reproduce. */
    private static final class KeyGenerationUnsupported {

        static final KeyGeneration INSTANCE = new KeyGeneration(null, false, null, -1, -1, false);

    }

    /** Leaves a strategy that cannot route the statement by its values. */
    private static final class NotFast extends RuntimeException {

        NotFast() {
            super(null, null, false, false);
        }

    }

}
