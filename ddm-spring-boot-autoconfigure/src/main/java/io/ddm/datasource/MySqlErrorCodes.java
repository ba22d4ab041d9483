package io.ddm.datasource;

import java.sql.SQLException;

/**
 * The server error codes DDM tells apart, named as MySQL's error reference names them (MariaDB uses the same numbers),
 * so that a check reads {@code ER_NO_SUCH_TABLE}, not {@code 1146}.
 */
public final class MySqlErrorCodes {

    /** Unknown database. */
    public static final int ER_BAD_DB_ERROR = 1049;

    /** A statement this server does not know (e.g. {@code SHOW MASTER STATUS} on MySQL 8.4). */
    public static final int ER_PARSE_ERROR = 1064;

    /** A table that does not exist. */
    public static final int ER_NO_SUCH_TABLE = 1146;

    /** A lock wait that exceeded {@code innodb_lock_wait_timeout} (or {@code lock_wait_timeout} for metadata locks). */
    public static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    /** A stored or built-in function this server does not know (e.g. {@code SOURCE_POS_WAIT} before MySQL 8.0.26). */
    public static final int ER_SP_DOES_NOT_EXIST = 1305;

    private MySqlErrorCodes() {
    }

    /**
     * Whether a failure, or any of its causes, is a server error with one of the given codes: pools and ShardingSphere
     * wrap the driver's exception, so the code is not always on the outermost one.
     * @param failure a failure
     * @param errorCodes the codes to look for
     * @return whether one of them is in the cause chain
     */
    public static boolean inCauseChain(Throwable failure, int... errorCodes) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof SQLException sqlException) {
                for (int errorCode : errorCodes) {
                    if (sqlException.getErrorCode() == errorCode) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

}
