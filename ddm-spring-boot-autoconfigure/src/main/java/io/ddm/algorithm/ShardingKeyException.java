package io.ddm.algorithm;

import org.apache.shardingsphere.infra.exception.core.external.sql.sqlstate.XOpenSQLState;
import org.apache.shardingsphere.sharding.exception.ShardingSQLException;

/**
 * A sharding key that its algorithm cannot route: a value of the wrong type, NULL, or a key outside every
 * configured range or list. The message names the table, column, value and what the algorithm accepts.
 *
 * <p>ShardingSphere turns it into an {@link java.sql.SQLException} with SQL state {@code 22000} (data
 * exception) for prepared statements. ShardingSphere 5.5.2's plain {@code Statement.execute(String)} and
 * {@code executeUpdate(String)} let runtime exceptions through unconverted, so there it arrives as this
 * exception itself.
 */
public class ShardingKeyException extends ShardingSQLException {

    private static final long serialVersionUID = 1L;

    /** DDM's error code within ShardingSphere's sharding feature range (0-99, unused by ShardingSphere 5.5.2). */
    private static final int ERROR_CODE = 95;

    public ShardingKeyException(String message) {
        super(XOpenSQLState.DATA_EXCEPTION, ERROR_CODE, message);
    }

}
