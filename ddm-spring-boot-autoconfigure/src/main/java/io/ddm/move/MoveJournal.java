package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.ddm.datasource.MySqlErrorCodes;

/**
 * A move's durable record, table {@value #TABLE} in the shard database on the source's primary (which is there for the
 * whole move: the switch renames only the application's tables away), so that the next start of the application can
 * resolve a move it did not finish ({@link MoveRecovery}).
 */
final class MoveJournal {

    static final String TABLE = "_ddm_move";

    private MoveJournal() {
    }

    /**
     * One move as recorded.
     *
     * @param id move id
     * @param shard shard index
     * @param source source node
     * @param target target node
     * @param state last recorded state
     * @param epoch the placement version the move records when it switches
     * @param retiredDatabase where the switch renames the source's tables
     * @param targetCreated whether the move created the shard database on the target
     * @param error the error of a failed move
     */
    record Entry(String id, int shard, String source, String target, MoveState state, long epoch, String retiredDatabase,
            boolean targetCreated, String error) {

        Entry withState(MoveState newState, String newError) {
            return new Entry(this.id, this.shard, this.source, this.target, newState, this.epoch, this.retiredDatabase,
                    this.targetCreated, newError);
        }

    }

    static void write(Connection connection, String database, Entry entry) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + qualified(database) + " (id VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " shard INT NOT NULL, source VARCHAR(64) NOT NULL, target VARCHAR(64) NOT NULL, state VARCHAR(16) NOT NULL,"
                    + " epoch BIGINT NOT NULL, retired_database VARCHAR(64) NOT NULL, target_created BOOLEAN NOT NULL,"
                    + " error TEXT, updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3))");
        }
        try (PreparedStatement statement = connection.prepareStatement("REPLACE INTO " + qualified(database)
                + " (id, shard, source, target, state, epoch, retired_database, target_created, error)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, entry.id());
            statement.setInt(2, entry.shard());
            statement.setString(3, entry.source());
            statement.setString(4, entry.target());
            statement.setString(5, entry.state().name());
            statement.setLong(6, entry.epoch());
            statement.setString(7, entry.retiredDatabase());
            statement.setBoolean(8, entry.targetCreated());
            statement.setString(9, entry.error());
            statement.executeUpdate();
        }
    }

    static List<Entry> unfinished(Connection connection, String database) throws SQLException {
        List<Entry> result = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, shard, source, target, state, epoch, retired_database,"
                        + " target_created, error FROM " + qualified(database) + " WHERE state NOT IN ('DONE', 'FAILED', 'ABORTED')")) {
            while (rows.next()) {
                result.add(new Entry(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getString(4),
                        MoveState.valueOf(rows.getString(5)), rows.getLong(6), rows.getString(7), rows.getBoolean(8), rows.getString(9)));
            }
        }
        return result;
    }

    /**
     * The move that is switching a shard, as its source records it.
     * @param connection a connection to the source's primary
     * @param database the shard database
     * @return the move, empty when none is switching (or the shard database records no move)
     * @throws SQLException when the table cannot be read
     */
    static Optional<Entry> switching(Connection connection, String database) throws SQLException {
        try {
            return unfinished(connection, database).stream().filter((entry) -> entry.state() == MoveState.SWITCHING).findFirst();
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() == MySqlErrorCodes.ER_NO_SUCH_TABLE || ex.getErrorCode() == MySqlErrorCodes.ER_BAD_DB_ERROR) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    private static String qualified(String database) {
        return ShardTable.quote(database) + "." + ShardTable.quote(TABLE);
    }

}
