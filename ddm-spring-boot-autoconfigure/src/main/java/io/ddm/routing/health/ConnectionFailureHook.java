package io.ddm.routing.health;

import java.util.List;

import io.ddm.datasource.Failures;
import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * Reacts at once when a statement fails with a connection error (SQLState class {@code 08}, e.g. Connector/J's
 * {@code CommunicationsException}), instead of waiting for the next scheduled check: a replica is excluded from
 * reads ({@link ReplicaHealthMonitor}), a primary is checked right away ({@link PrimaryHealthMonitor}). The
 * failing statement itself still fails. Registered as a ShardingSphere SQL execution hook; it does nothing for
 * data sources no monitor watches.
 */
public class ConnectionFailureHook implements SQLExecutionHook {

    private String dataSourceName;

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        this.dataSourceName = ConnectionFailureListeners.isWatched(dataSourceName) ? dataSourceName : null;
    }

    @Override
    public void finishSuccess() {
        this.dataSourceName = null;
    }

    @Override
    public void finishFailure(Exception cause) {
        String name = this.dataSourceName;
        this.dataSourceName = null;
        if (name != null && Failures.isConnectionFailure(cause)) {
            ConnectionFailureListeners.connectionFailed(name, cause);
        }
    }

}
