package io.ddm.routing.health;

import java.sql.SQLException;
import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * Excludes a replica from reads as soon as a statement on it fails with a connection error (SQLState class
 * {@code 08}, e.g. Connector/J's {@code CommunicationsException}), instead of waiting for the next checks of
 * the {@link ReplicaHealthMonitor}, which re-admit it once it answers again. The failing statement itself still
 * fails. Registered as a ShardingSphere SQL execution hook; it does nothing for data sources that are not
 * replicas watched by a monitor.
 */
public class ReplicaFailureHook implements SQLExecutionHook {

    private String dataSourceName;

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        this.dataSourceName = ReplicaMonitors.isWatched(dataSourceName) ? dataSourceName : null;
    }

    @Override
    public void finishSuccess() {
        this.dataSourceName = null;
    }

    @Override
    public void finishFailure(Exception cause) {
        String name = this.dataSourceName;
        this.dataSourceName = null;
        if (name != null && isConnectionFailure(cause)) {
            ReplicaMonitors.connectionFailed(name, cause);
        }
    }

    static boolean isConnectionFailure(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof SQLException sqlException && sqlException.getSQLState() != null
                    && sqlException.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause.getClass().getSimpleName().equals("CommunicationsException")) {
                return true;
            }
        }
        return false;
    }

}
