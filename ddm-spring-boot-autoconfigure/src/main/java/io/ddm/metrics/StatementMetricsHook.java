package io.ddm.metrics;

import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * Times every statement ShardingSphere runs on a physical data source and tells the current
 * {@link LogicalStatement} which shard it touched. Registered as a ShardingSphere SQL execution hook; ShardingSphere
 * creates one instance per physical statement and calls it on the thread that runs the statement. Does nothing
 * (one thread-local read) outside a statement started by DDM's metrics, e.g. when metrics are off.
 */
public class StatementMetricsHook implements SQLExecutionHook {

    private LogicalStatement statement;

    private String dataSourceName;

    private long startNanos;

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        LogicalStatement current = LogicalStatement.current();
        if (current == null) {
            return;
        }
        this.statement = current;
        this.dataSourceName = dataSourceName;
        current.physicalStarted(dataSourceName);
        this.startNanos = System.nanoTime();
    }

    @Override
    public void finishSuccess() {
        finish(true);
    }

    @Override
    public void finishFailure(Exception cause) {
        finish(false);
    }

    private void finish(boolean success) {
        LogicalStatement current = this.statement;
        if (current != null) {
            this.statement = null;
            current.physicalFinished(this.dataSourceName, success, System.nanoTime() - this.startNanos);
        }
    }

}
