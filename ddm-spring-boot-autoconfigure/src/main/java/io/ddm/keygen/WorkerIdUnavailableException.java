package io.ddm.keygen;

import org.apache.shardingsphere.infra.exception.core.external.sql.ShardingSphereSQLException;
import org.apache.shardingsphere.infra.exception.core.external.sql.sqlstate.XOpenSQLState;

/**
 * No snowflake key can be generated now, because this instance holds no worker id that it may use: its lease was
 * lost or could not be confirmed in time. ShardingSphere hands it to the application as a {@link java.sql.SQLException}
 * with this message and SQL state {@code HY000}; the statement that needed a key is not executed.
 */
public class WorkerIdUnavailableException extends ShardingSphereSQLException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     * @param message what happened and what to do; used as is (not a format)
     */
    public WorkerIdUnavailableException(String message) {
        super(XOpenSQLState.GENERAL_ERROR, 0, 0, message);
    }

}
