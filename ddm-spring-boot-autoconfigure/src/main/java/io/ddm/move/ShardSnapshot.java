package io.ddm.move;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import io.ddm.datasource.MySqlErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consistent read snapshot of a shard database held open on one connection, together with the binary-log position it
 * corresponds to: every transaction committed before {@link #position()} is visible in it, none committed after.
 * Reading the snapshot's tables through {@link #connection()} sees the shard as it was at that position, however long
 * the copy takes and whatever is written meanwhile; the binary log from {@link #position()} on then carries exactly the
 * changes the snapshot misses.
 *
 * <p>On MariaDB the server reports the position of a snapshot itself ({@code binlog_snapshot_file} /
 * {@code binlog_snapshot_position} in a transaction started {@code WITH CONSISTENT SNAPSHOT}), so no lock is taken. MySQL
 * has no such status: writes to the shard's tables are blocked for a moment with {@code FLUSH TABLES ... WITH READ LOCK}
 * while the position is read and the snapshot starts. That lock has to be held by a second connection, because starting
 * a transaction on the connection that holds table locks releases them before the snapshot is taken, leaving a window
 * in which a commit would be in neither the snapshot nor the log after the position. The second connection is opened
 * through the {@link ConnectionOpener} given and closed before {@link #open} returns.
 *
 * <p>The snapshot is a read-only {@code REPEATABLE READ} transaction; the connection is switched to manual commit while
 * it is open and {@link #close()} rolls it back and restores the connection's auto-commit. Nothing else may commit or
 * run DDL on the connection meanwhile (either ends the snapshot). Not thread-safe: one thread uses the connection at a
 * time.
 */
public final class ShardSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardSnapshot.class);

    private final Connection connection;

    private final BinlogPosition position;

    private final boolean restoreAutoCommit;

    private boolean closed;

    private ShardSnapshot(Connection connection, BinlogPosition position, boolean restoreAutoCommit) {
        this.connection = connection;
        this.position = position;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    /**
     * Opens a snapshot of a source shard with its binary-log position, on a MariaDB server (which reports the position
     * of a snapshot). Use {@link #open(Connection, List, ConnectionOpener)} when the server may be MySQL.
     * @param connection a connection to the source primary; the snapshot lives on it until {@link #close()}
     * @return the snapshot
     * @throws SQLException when the snapshot cannot be started, the server's binary log is off, or the server does not
     *     report snapshot positions (MySQL)
     */
    public static ShardSnapshot open(Connection connection) throws SQLException {
        if (!reportsSnapshotPosition(connection)) {
            throw new SQLException("This server does not report snapshot positions (MySQL): open the snapshot with the shard's"
                    + " tables and a second connection to hold FLUSH TABLES ... WITH READ LOCK");
        }
        return open(connection, List.of(), null, Method.SNAPSHOT_STATUS);
    }

    /**
     * Opens a snapshot of a source shard with its binary-log position, on MariaDB or MySQL.
     * @param connection a connection to the source primary; the snapshot lives on it until {@link #close()}
     * @param tables the shard's tables, locked for a moment on MySQL
     * @param lockConnection opens a second connection to the same server, used only on MySQL to hold the lock; may be
     *     {@code null} for MariaDB
     * @return the snapshot
     * @throws SQLException when the snapshot cannot be started, the binary log is off, or the lock cannot be taken
     */
    public static ShardSnapshot open(Connection connection, List<ShardTable> tables, ConnectionOpener lockConnection)
            throws SQLException {
        return open(connection, tables, lockConnection, reportsSnapshotPosition(connection) ? Method.SNAPSHOT_STATUS : Method.TABLE_LOCK);
    }

    static ShardSnapshot open(Connection connection, List<ShardTable> tables, ConnectionOpener lockConnection, Method method)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            BinlogPosition position = (method == Method.SNAPSHOT_STATUS) ? startReportingPosition(connection)
                    : startUnderTableLock(connection, tables, lockConnection);
            LOG.debug("Opened a consistent snapshot at binary log position {}", position);
            return new ShardSnapshot(connection, position, autoCommit);
        }
        catch (SQLException | RuntimeException ex) {
            endQuietly(connection, autoCommit, ex);
            throw ex;
        }
    }

    /**
     * Opens a consistent read snapshot without a position, e.g. on the target side of a comparison once the target
     * has applied the changes up to the source snapshot's position.
     * @param connection a connection to the target primary
     * @return the snapshot; its {@link #position()} is {@code null}
     * @throws SQLException when the snapshot cannot be started
     */
    public static ShardSnapshot targetSnapshot(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            startSnapshot(connection);
            return new ShardSnapshot(connection, null, autoCommit);
        }
        catch (SQLException | RuntimeException ex) {
            endQuietly(connection, autoCommit, ex);
            throw ex;
        }
    }

    /**
     * The server's current binary-log position ({@code SHOW MASTER STATUS}, or {@code SHOW BINARY LOG STATUS} on MySQL
     * 8.4 and later): where the next event will be written.
     * @param connection a connection to the server
     * @return the position
     * @throws SQLException when the server cannot be asked, or its binary log is off
     */
    public static BinlogPosition currentPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = masterStatus(statement)) {
            if (!rows.next()) {
                throw new SQLException("The server's binary log is off (SHOW MASTER STATUS is empty): a shard move needs"
                        + " log_bin enabled with binlog_format=ROW");
            }
            return new BinlogPosition(rows.getString(1), rows.getLong(2));
        }
    }

    private static ResultSet masterStatus(Statement statement) throws SQLException {
        try {
            return statement.executeQuery("SHOW MASTER STATUS");
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() != MySqlErrorCodes.ER_PARSE_ERROR) {
                throw ex;
            }
            // MySQL 8.4 removed SHOW MASTER STATUS
            return statement.executeQuery("SHOW BINARY LOG STATUS");
        }
    }

    /**
     * The binary-log position the snapshot corresponds to.
     * @return the position, {@code null} for a {@link #targetSnapshot(Connection) target snapshot}
     */
    public BinlogPosition position() {
        return this.position;
    }

    /**
     * The connection that holds the snapshot: statements on it read the snapshot.
     * @return the connection given to {@code open}
     */
    public Connection connection() {
        return this.connection;
    }

    /**
     * Ends the snapshot: rolls the read-only transaction back and restores the connection's auto-commit. The connection
     * stays open (it belongs to the caller). Calling it again does nothing.
     * @throws SQLException when the rollback fails
     */
    @Override
    public void close() throws SQLException {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.connection.rollback();
        if (this.restoreAutoCommit) {
            this.connection.setAutoCommit(true);
        }
    }

    private static boolean reportsSnapshotPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'binlog_snapshot_file'")) {
            return rows.next();
        }
    }

    private static BinlogPosition startReportingPosition(Connection connection) throws SQLException {
        startSnapshot(connection);
        String file = null;
        long offset = -1;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
            while (rows.next()) {
                if ("binlog_snapshot_file".equalsIgnoreCase(rows.getString(1))) {
                    file = rows.getString(2);
                }
                else if ("binlog_snapshot_position".equalsIgnoreCase(rows.getString(1))) {
                    offset = rows.getLong(2);
                }
            }
        }
        if (file == null || file.isEmpty() || offset < 0) {
            throw new SQLException("The server reports no binary log position for the snapshot (binlog_snapshot_file is empty):"
                    + " a shard move needs log_bin enabled with binlog_format=ROW");
        }
        return new BinlogPosition(file, offset);
    }

    private static BinlogPosition startUnderTableLock(Connection connection, List<ShardTable> tables, ConnectionOpener lockConnection)
            throws SQLException {
        if (tables.isEmpty()) {
            startSnapshot(connection);
            return currentPosition(connection);
        }
        if (lockConnection == null) {
            throw new SQLException("This server does not report snapshot positions (MySQL): opening a snapshot of "
                    + tables.get(0).database() + " needs a second connection to hold FLUSH TABLES ... WITH READ LOCK");
        }
        String names = tables.stream().map(ShardTable::qualifiedName).collect(Collectors.joining(", "));
        try (Connection lock = lockConnection.open(); Statement locking = lock.createStatement()) {
            locking.execute("FLUSH TABLES " + names + " WITH READ LOCK");
            try {
                // No write to these tables can commit while the lock is held, so the position read now and the snapshot
                // started now agree; other databases' events in between are not the shard's.
                BinlogPosition position = currentPosition(connection);
                startSnapshot(connection);
                return position;
            }
            finally {
                locking.execute("UNLOCK TABLES");
            }
        }
    }

    private static void startSnapshot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
    }

    private static void endQuietly(Connection connection, boolean autoCommit, Exception failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        catch (SQLException ex) {
            failure.addSuppressed(ex);
        }
    }

    /**
     * Opens a new connection to a server.
     */
    @FunctionalInterface
    public interface ConnectionOpener {

        /**
         * Opens a connection that the caller closes.
         * @return the connection
         * @throws SQLException when the server cannot be reached
         */
        Connection open() throws SQLException;

    }

    /** How the position of a snapshot is found. */
    enum Method {

        /** MariaDB: the snapshot transaction reports its position. */
        SNAPSHOT_STATUS,

        /** MySQL: the position is read while the shard's tables are locked, and the snapshot starts under the lock. */
        TABLE_LOCK

    }

}
