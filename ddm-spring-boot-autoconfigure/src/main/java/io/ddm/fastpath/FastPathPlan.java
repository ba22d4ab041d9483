package io.ddm.fastpath;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.shardingsphere.infra.binder.context.statement.SQLStatementContext;
import org.apache.shardingsphere.infra.database.core.metadata.database.enums.QuoteCharacter;
import org.apache.shardingsphere.sharding.rule.ShardingTable;

/**
 * How one SQL text runs on the fast path: the sharded table it names, the steps that route it by its parameter values,
 * and where its physical SQL differs from the logical (the table name and, for an insert that leaves the generated key
 * out, the key's column and value). Immutable, shared by every statement of the same text; the physical SQL of each
 * table is made once.
 */
final class FastPathPlan {

    enum Kind {
        SELECT, INSERT, UPDATE, DELETE
    }

    private final Kind kind;

    private final String sql;

    private final ShardingTable table;

    private final ShardingStep databaseStep;

    private final ShardingStep tableStep;

    private final SQLStatementContext context;

    private final int tableStart;

    private final int tableStop;

    private final QuoteCharacter quote;

    private final KeyGeneration keyGeneration;

    private final String generatedKeysColumn;

    private final ReadWriteRoute readWriteRoute;

    private final ConcurrentMap<String, String> physicalSql = new ConcurrentHashMap<>();

    FastPathPlan(Kind kind, String sql, ShardingTable table, ShardingStep databaseStep, ShardingStep tableStep,
            SQLStatementContext context, int tableStart, int tableStop, QuoteCharacter quote, KeyGeneration keyGeneration,
            String generatedKeysColumn) {
        this.kind = kind;
        this.sql = sql;
        this.table = table;
        this.databaseStep = databaseStep;
        this.tableStep = tableStep;
        this.context = context;
        this.tableStart = tableStart;
        this.tableStop = tableStop;
        this.quote = quote;
        this.keyGeneration = keyGeneration;
        this.generatedKeysColumn = generatedKeysColumn;
        this.readWriteRoute = new ReadWriteRoute(context);
    }

    Kind kind() {
        return this.kind;
    }

    String sql() {
        return this.sql;
    }

    String logicTable() {
        return this.table.getLogicTable();
    }

    ShardingTable table() {
        return this.table;
    }

    SQLStatementContext context() {
        return this.context;
    }

    /**
     * How the text chooses between a shard database's primary and replicas.
     * @return the read/write route
     */
    ReadWriteRoute readWriteRoute() {
        return this.readWriteRoute;
    }

    /**
     * What ShardingSphere's key generation does for this insert, or {@code null} when the table has no key generator or
     * the statement is not an insert.
     * @return the key generation
     */
    KeyGeneration keyGeneration() {
        return this.keyGeneration;
    }

    /**
     * The column name of {@code getGeneratedKeys()}, as ShardingSphere names it.
     * @return the name, or {@code null}
     */
    String generatedKeysColumn() {
        return this.generatedKeysColumn;
    }

    /**
     * Whether the parameters give every sharding column a value (that is not generated): without one, ShardingSphere
     * routes the statement otherwise, or refuses it.
     * @param parameters the parameters set
     * @return whether every value is there
     */
    boolean valuesPresent(List<Object> parameters) {
        return present(this.databaseStep, parameters) && present(this.tableStep, parameters);
    }

    private static boolean present(ShardingStep step, List<Object> parameters) {
        return step == null || step.key().parameterIndex() == KeyValue.GENERATED || step.key().value(parameters, null) != null;
    }

    /**
     * The data node of one execution, as ShardingSphere's standard route would find it.
     * @param parameters the parameters set
     * @param generatedKey the key generated for this execution, or {@code null}
     * @return the logical data source (the shard database's) and the physical table, or {@code null} when the statement
     * must go to ShardingSphere
     */
    String[] route(List<Object> parameters, Comparable<?> generatedKey) {
        Collection<String> dataSources = this.table.getActualDataSourceNames();
        String dataSource = (this.databaseStep != null) ? this.databaseStep.target(dataSources, parameters, generatedKey)
                : only(dataSources);
        if (dataSource == null) {
            return null;
        }
        Collection<String> tables = this.table.getActualTableNames(dataSource);
        String physicalTable = (this.tableStep != null) ? this.tableStep.target(tables, parameters, generatedKey) : only(tables);
        return (physicalTable != null) ? new String[] { dataSource, physicalTable } : null;
    }

    private static String only(Collection<String> targets) {
        return (targets.size() == 1) ? targets.iterator().next() : null;
    }

    /**
     * The SQL sent to the physical table: the logical text with the table's name replaced, quoted as it was (as
     * ShardingSphere's table token writes it), and the generated key's column and parameter added where ShardingSphere
     * adds them.
     * @param physicalTable the physical table
     * @return the SQL
     */
    String physicalSql(String physicalTable) {
        String result = this.physicalSql.get(physicalTable);
        return (result != null) ? result : this.physicalSql.computeIfAbsent(physicalTable, this::rewrite);
    }

    private String rewrite(String physicalTable) {
        StringBuilder result = new StringBuilder(this.sql.length() + 32);
        KeyGeneration generation = this.keyGeneration;
        if (generation != null && generation.generated()) {
            // Both additions lie after the table name: splice from the end so that earlier positions stay valid.
            StringBuilder text = new StringBuilder(this.sql);
            text.insert(generation.valuesClose(), ", ?");
            text.insert(generation.columnsClose(), ", " + generation.column());
            return result.append(text, 0, this.tableStart).append(this.quote.wrap(physicalTable))
                .append(text, this.tableStop + 1, text.length()).toString();
        }
        return result.append(this.sql, 0, this.tableStart).append(this.quote.wrap(physicalTable))
            .append(this.sql, this.tableStop + 1, this.sql.length()).toString();
    }

    /**
     * The key generation of an insert into a table with a key generator.
     *
     * @param column the key column
     * @param generated whether the insert leaves the column out, so that the key is generated and added
     * @param supplied where the insert gives the key when it is not generated
     * @param columnsClose position of the parenthesis that closes the column list
     * @param valuesClose position of the parenthesis that closes the row of values
     * @param shardingColumn whether the key column routes the statement
     */
    record KeyGeneration(String column, boolean generated, KeyValue supplied, int columnsClose, int valuesClose,
            boolean shardingColumn) {
    }

}
