package io.ddm.keygen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

import io.ddm.datasource.ServerConnections;
import io.ddm.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table {@value #TABLE} in the default shard database, one row per sequence: {@code next_value} is the first
 * value no instance has reserved yet. Every change is one autocommitted statement, so a value is reserved exactly
 * when the server has answered it.
 *
 * <p>It talks to the server over a connection of its own, outside the shard pools, opened with a bound on connecting
 * and on every answer ({@link ServerConnections#open(Server, Duration)}): {@code LAST_INSERT_ID()} belongs to the
 * session that set it, and a reservation must not wait for a pool connection that the application's threads, each
 * of them waiting for a key, hold. The server is looked up before every statement, and the connection is opened
 * again when it changed or failed.
 */
final class SequenceTable implements AutoCloseable {

    /** Name of the table: names starting {@code _ddm} are DDM's own. */
    static final String TABLE = "_ddm_sequence";

    private static final Logger logger = LoggerFactory.getLogger(SequenceTable.class);

    private final Supplier<Server> server;

    private final String qualifiedTable;

    private final Duration timeout;

    private Connection connection;

    private Server connectedTo;

    SequenceTable(Supplier<Server> server, String database, Duration timeout) {
        this.server = server;
        this.qualifiedTable = "`" + database.replace("`", "``") + "`." + TABLE;
        this.timeout = timeout;
    }

    /**
     * The server that holds the table now.
     * @return the default shard's primary
     */
    Server server() {
        return this.server.get();
    }

    /**
     * Creates the table when it is missing and a row, starting at 1, for each sequence that has none.
     * @param names the sequences
     * @throws SQLException when the server cannot be reached or refuses
     */
    synchronized void create(Collection<String> names) throws SQLException {
        run(() -> {
            try (Statement statement = this.connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + this.qualifiedTable + " (name VARCHAR(190) NOT NULL PRIMARY KEY,"
                        + " next_value BIGINT NOT NULL) ENGINE=InnoDB");
            }
            for (String name : names) {
                insertMissing(name);
            }
            return null;
        });
    }

    /**
     * Reserves the values {@code [end - count, end)} for this instance in one statement, starting no lower than a floor.
     * @param name the sequence
     * @param count how many values
     * @param floor the lowest value the block may start at (1 for none)
     * @return {@code end}, the first value after the block
     * @throws SQLException when the reservation may not have been committed
     */
    synchronized long reserve(String name, long count, long floor) throws SQLException {
        return run(() -> {
            String update = "UPDATE " + this.qualifiedTable
                    + " SET next_value = LAST_INSERT_ID(GREATEST(next_value, ?) + ?) WHERE name = ?";
            if (update(update, floor, count, name) == 0) {
                // Removed by hand: the row starts again at the floor, above every value this instance handed out.
                insertMissing(name);
                update(update, floor, count, name);
            }
            try (Statement statement = this.connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT LAST_INSERT_ID()")) {
                if (!result.next()) {
                    throw new SQLException("SELECT LAST_INSERT_ID() returned no row");
                }
                return result.getLong(1);
            }
        });
    }

    /**
     * Sets the first unreserved value, unless values at or above it are reserved already.
     * @param name the sequence
     * @param value the new first unreserved value
     * @return the first unreserved value before the move: at most {@code value} when it moved, above when refused
     * @throws SQLException when the server cannot be reached or refuses
     */
    synchronized long moveTo(String name, long value) throws SQLException {
        return run(() -> {
            long current = read(name);
            if (current > value) {
                return current;
            }
            // Refused, atomically, if another instance reserved past value meanwhile.
            String move = "UPDATE " + this.qualifiedTable + " SET next_value = ? WHERE name = ? AND next_value <= ?";
            if (update(move, value, name, value) == 0) {
                return read(name);
            }
            return current;
        });
    }

    /**
     * The first value no instance has reserved.
     * @param name the sequence
     * @return the value
     * @throws SQLException when the server cannot be reached
     */
    synchronized long firstUnreserved(String name) throws SQLException {
        return run(() -> read(name));
    }

    private long read(String name) throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement("SELECT next_value FROM " + this.qualifiedTable
                + " WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    insertMissing(name);
                    return 1;
                }
                return result.getLong(1);
            }
        }
    }

    private void insertMissing(String name) throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement("INSERT IGNORE INTO " + this.qualifiedTable
                + " (name, next_value) VALUES (?, 1)")) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /**
     * Runs statements on a connection to the current server; any failure closes it, so the next call connects again.
     * A connection kept from earlier calls may have died meanwhile (the server restarted): then the work is tried once
     * more on a new one. That is safe for a reservation too: a block whose statement may have run but was not
     * answered is never used, only skipped.
     */
    private <T> T run(Work<T> work) throws SQLException {
        Server current = this.server.get();
        if (this.connection != null && !current.equals(this.connectedTo)) {
            closeConnection();
        }
        boolean reused = this.connection != null;
        try {
            return runOnce(current, work);
        }
        catch (SQLException ex) {
            if (!reused) {
                throw ex;
            }
            logger.debug("The kept sequence connection to {} failed; trying once more on a new one", current, ex);
            return runOnce(current, work);
        }
    }

    private <T> T runOnce(Server current, Work<T> work) throws SQLException {
        if (this.connection == null) {
            this.connection = ServerConnections.open(current, this.timeout);
            this.connectedTo = current;
        }
        try {
            return work.run();
        }
        catch (SQLException | RuntimeException ex) {
            closeConnection();
            throw ex;
        }
    }

    private void closeConnection() {
        if (this.connection != null) {
            try {
                this.connection.close();
            }
            catch (SQLException ex) {
                logger.debug("Closing the sequence connection to {} failed", this.connectedTo, ex);
            }
            this.connection = null;
            this.connectedTo = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }

    @FunctionalInterface
    private interface Work<T> {

        T run() throws SQLException;

    }

}
