package io.ddm.routing;

import java.util.List;

import org.apache.shardingsphere.infra.database.core.connector.ConnectionProperties;
import org.apache.shardingsphere.infra.executor.sql.hook.SQLExecutionHook;

/**
 * Records, for {@link ReadYourWrites}, that the application's thread ran a write on a primary. ShardingSphere
 * runs the first physical statement of every logical one on the calling ("trunk") thread, and the others
 * possibly on its executor: only trunk-thread statements say which thread wrote. Reads (SELECT, SHOW, ...)
 * on a primary, e.g. inside a transaction, do not count. Registered as a ShardingSphere SQL execution hook;
 * costs an emptiness check per statement while no data source uses read-your-writes.
 */
public class WriteTrackingHook implements SQLExecutionHook {

    private static final String[] READS = { "SELECT", "SHOW", "EXPLAIN", "DESC", "WITH" };

    @Override
    public void start(String dataSourceName, String sql, List<Object> params, ConnectionProperties connectionProps,
            boolean isTrunkThread) {
        if (isTrunkThread && ReadYourWrites.isTracked(dataSourceName) && isWrite(sql)) {
            ReadYourWrites.written(dataSourceName);
        }
    }

    @Override
    public void finishSuccess() {
    }

    @Override
    public void finishFailure(Exception cause) {
    }

    static boolean isWrite(String sql) {
        int start = 0;
        while (start < sql.length() && (Character.isWhitespace(sql.charAt(start)) || sql.charAt(start) == '(')) {
            start++;
        }
        for (String read : READS) {
            if (sql.regionMatches(true, start, read, 0, read.length())) {
                return false;
            }
        }
        return true;
    }

}
