package io.ddm.keygen;

import org.apache.shardingsphere.infra.exception.core.external.sql.ShardingSphereSQLException;
import org.apache.shardingsphere.infra.exception.core.external.sql.sqlstate.XOpenSQLState;

/**
 * A sequence could not reserve its next block (or record an explicit value) on the default shard's primary.
 * ShardingSphere hands it to the application as a {@link java.sql.SQLException} with this message and SQL state
 * {@code HY000}; the statement that needed the value is not executed.
 */
public class SequenceUnavailableException extends ShardingSphereSQLException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     * @param message what happened, naming sequence and server; used as is (not a format)
     * @param cause the server's failure
     */
    public SequenceUnavailableException(String message, Exception cause) {
        super(XOpenSQLState.GENERAL_ERROR.getValue(), 0, 0, message, cause);
    }

}
