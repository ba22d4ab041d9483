package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Gives ShardingSphere's connection manager a physical connection that a {@link DeferredConnection} already holds: while
 * the manager asks the pool for one on this thread, the pool answers with the held connection instead of borrowing
 * another. ShardingSphere then caches, configures and closes it as one of its own, and statements still open on it stay
 * open.
 */
final class ConnectionHandOver {

    private static final ThreadLocal<ConnectionHandOver> CURRENT = new ThreadLocal<>();

    private final ServerDataSource pool;

    private final Connection connection;

    private ConnectionHandOver(ServerDataSource pool, Connection connection) {
        this.pool = pool;
        this.connection = connection;
    }

    /**
     * Runs a borrow during which the pool hands out the given connection.
     * @param pool the pool the borrow asks
     * @param connection the connection it is to get
     * @param borrow what asks the pool, e.g. ShardingSphere's connection manager
     * @return whether the borrow took the connection
     * @throws SQLException as the borrow throws it
     */
    static boolean run(ServerDataSource pool, Connection connection, Borrow borrow) throws SQLException {
        ConnectionHandOver handOver = new ConnectionHandOver(pool, connection);
        CURRENT.set(handOver);
        try {
            borrow.run();
            return CURRENT.get() == null;
        }
        finally {
            CURRENT.remove();
        }
    }

    /**
     * The connection handed over to this pool on this thread, taken once.
     * @param pool the pool being asked
     * @return the connection, or {@code null} when none is being handed over to it
     */
    static Connection take(ServerDataSource pool) {
        ConnectionHandOver current = CURRENT.get();
        if (current == null || current.pool != pool) {
            return null;
        }
        CURRENT.remove();
        return current.connection;
    }

    /** What asks the pool for the connection. */
    @FunctionalInterface
    interface Borrow {

        void run() throws SQLException;

    }

}
