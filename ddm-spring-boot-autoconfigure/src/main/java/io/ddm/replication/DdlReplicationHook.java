package io.ddm.replication;

import java.util.List;

import io.ddm.datasource.StatementText;
import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * After a DDL statement ({@code CREATE}, {@code ALTER}, {@code DROP}, {@code TRUNCATE}, {@code RENAME}) succeeds on
 * the primary of a node with replicas, waits until the node's replicas have applied it ({@link DdlReplicationWait}).
 *
 * <p>Registered as a ShardingSphere SQL execution hook: ShardingSphere creates one instance per physical statement
 * and calls it on the thread that runs that statement, the calling thread or one of its executor threads, and the
 * logical statement returns only once all of them are done, so it returns only after every wait. A logical statement
 * on many physical tables waits after each; waits for one node are served one at a time, and one whose statement
 * ended before the primary's position was read for another wait that every replica passed returns at once. The
 * statement kind is told by its first keyword, without parsing; other statements cost a map look-up, nothing at all
 * while no data source has replicas. Listed last of DDM's hooks, so that the time measured for the physical
 * statement ({@code io.ddm.metrics.StatementMetricsHook}) does not include the wait.
 */
public class DdlReplicationHook implements SQLExecutionHook {

    private ReplicaCatchUp catchUp;

    private String sql;

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        ReplicaCatchUp target = DdlReplicationWait.forPrimary(dataSourceName);
        if (target != null && StatementText.isDdl(sql)) {
            this.catchUp = target;
            this.sql = sql;
        }
    }

    @Override
    public void finishSuccess() {
        ReplicaCatchUp target = this.catchUp;
        if (target != null) {
            this.catchUp = null;
            DdlReplicationWait.afterDdl(target, this.sql);
        }
    }

    @Override
    public void finishFailure(Exception cause) {
        this.catchUp = null;
    }

}
