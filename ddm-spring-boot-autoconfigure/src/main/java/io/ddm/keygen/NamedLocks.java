package io.ddm.keygen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import io.ddm.datasource.ServerConnections;
import io.ddm.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session on a server's named locks, which the server releases when the session ends.
 */
interface NamedLocks extends AutoCloseable {

    /**
     * Takes a lock if it is free, without waiting.
     * @param name the lock's name (at most 64 characters)
     * @return whether this session holds it now
     * @throws SQLException when the server cannot answer
     */
    boolean tryLock(String name) throws SQLException;

    /**
     * Whether the server records this very session as the lock's holder.
     * @param name the lock's name
     * @return {@code false} when the lock is free or held by another session
     * @throws SQLException when the server cannot answer
     */
    boolean holds(String name) throws SQLException;

    /**
     * Ends the session, releasing its locks.
     */
    @Override
    void close();

    /**
     * Opens sessions.
     */
    @FunctionalInterface
    interface Opener {

        /**
         * Opens a session.
         * @return the session
         * @throws SQLException when the server cannot be reached
         */
        NamedLocks open() throws SQLException;

    }

    /**
     * Sessions on a MySQL server ({@code GET_LOCK}, {@code IS_USED_LOCK}), each a connection of its own whose
     * connect, login and every round trip are bounded, so that a server that hangs cannot hang the caller.
     * @param server the server
     * @param timeout bound of connecting and of each round trip
     * @return the opener
     */
    static Opener onServer(Server server, Duration timeout) {
        return () -> new MySqlNamedLocks(MySqlNamedLocks.connect(server, timeout));
    }

    /**
     * Named locks of one JDBC connection.
     */
    final class MySqlNamedLocks implements NamedLocks {

        private static final Logger logger = LoggerFactory.getLogger(MySqlNamedLocks.class);

        private final Connection connection;

        private MySqlNamedLocks(Connection connection) {
            this.connection = connection;
        }

        private static Connection connect(Server server, Duration timeout) throws SQLException {
            // Whatever the URL says: each round trip of the lease's checks is bounded.
            return ServerConnections.open(server, timeout);
        }

        @Override
        public boolean tryLock(String name) throws SQLException {
            try (PreparedStatement statement = this.connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                statement.setString(1, name);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() && result.getInt(1) == 1;
                }
            }
        }

        @Override
        public boolean holds(String name) throws SQLException {
            try (PreparedStatement statement = this.connection.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
                statement.setString(1, name);
                try (ResultSet result = statement.executeQuery()) {
                    // NULL (the lock is free) is not ours either.
                    return result.next() && result.getInt(1) == 1;
                }
            }
        }

        @Override
        public void close() {
            try {
                this.connection.close();
            }
            catch (SQLException ex) {
                logger.debug("Closing a worker id lease connection failed", ex);
            }
        }

    }

}
