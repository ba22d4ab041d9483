package io.ddm.metrics;

import io.ddm.datasource.StatementListener.ListenedExecution;
import io.ddm.datasource.StatementListener.ListenedStatement;

/**
 * What the metrics keep of one statement of a DDM connection: the table its executions are recorded under. Each
 * execution (query, update, batch, large variants) is one logical statement, timed and classified by the shard
 * databases its physical statements touched ({@link LogicalStatement}).
 */
final class MeteredStatement implements ListenedStatement {

    private final StatementMetrics metrics;

    /** The table of a prepared statement's SQL. */
    private final int preparedTable;

    private final boolean prepared;

    /** The first configured table among the SQL added to a plain statement's batch. */
    private int batchTable = TableFinder.NONE;

    MeteredStatement(StatementMetrics metrics, String preparedSql) {
        this.metrics = metrics;
        this.prepared = preparedSql != null;
        this.preparedTable = this.prepared ? metrics.table(preparedSql) : TableFinder.NONE;
    }

    @Override
    public void batchAdded(String sql) {
        if (this.batchTable == TableFinder.NONE) {
            this.batchTable = this.metrics.table(sql);
        }
    }

    @Override
    public void batchCleared() {
        this.batchTable = TableFinder.NONE;
    }

    @Override
    public ListenedExecution executionStarted(String sql, boolean batch) {
        int table;
        if (sql != null) {
            table = this.metrics.table(sql);
        }
        else {
            table = (!this.prepared && batch) ? this.batchTable : this.preparedTable;
        }
        LogicalStatement statement = LogicalStatement.begin(this.metrics);
        long start = System.nanoTime();
        return (success) -> this.metrics.recordLogical(table, statement.end(), success, System.nanoTime() - start);
    }

}
