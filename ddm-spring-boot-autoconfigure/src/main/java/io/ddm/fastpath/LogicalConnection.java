package io.ddm.fastpath;

import java.sql.Connection;
import java.sql.SQLException;

import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.mode.manager.ContextManager;

/**
 * The logical connection a fast-path statement runs on. ShardingSphere's own logical connection is opened only once
 * something needs it (a statement the fast path leaves to ShardingSphere, a transaction, any other connection call);
 * until then the fast path's executions hold their physical connections here, one per data source as ShardingSphere's
 * connection manager would, and they are handed to ShardingSphere's connection when it opens.
 */
public interface LogicalConnection {

    /**
     * ShardingSphere's runtime, for its metadata and rules.
     * @return the context manager
     */
    ContextManager contextManager();

    /**
     * The logical database the connection works in.
     * @return its name
     */
    String databaseName();

    /**
     * ShardingSphere's logical connection, if it is open.
     * @return the connection, or {@code null} while nothing needed it: auto-commit is then on and no transaction runs
     */
    ShardingSphereConnection openedOrNull();

    /**
     * The physical connection of one data source for a statement while ShardingSphere's connection is not open: the one
     * held since an earlier statement, or one borrowed now and held until the logical connection closes or hands it to
     * ShardingSphere's.
     * @param dataSource the physical data source's name
     * @return the connection
     * @throws SQLException as the data source throws it
     */
    Connection held(String dataSource) throws SQLException;

}
