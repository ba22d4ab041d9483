package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.ddm.placement.PlacementStore;

/**
 * Retires a moved shard's source copy: one {@code RENAME TABLE} moves every application table of the shard database
 * into a retired database on the same server ({@code shop_3__moved_1}). The statement waits for the transactions
 * that use those tables, from any instance, to end, and from then on no statement can reach them under their old
 * names: it is the fence that keeps every write out of the old copy. The rename replicates, so the source's replicas
 * stop serving the shard too. DDM's own tables ({@value PlacementStore#TABLE}, {@value MoveJournal#TABLE}) stay.
 */
final class SourceRetirement {

    private SourceRetirement() {
    }

    /**
     * The retired database of a move.
     * @param database the shard database
     * @param epoch the placement version the move records
     * @return the name
     */
    static String retiredDatabase(String database, long epoch) {
        return database + "__moved_" + epoch;
    }

    /**
     * The application's base tables in a database: all but DDM's placement and journal tables.
     * @param connection a connection to the server
     * @param database the database
     * @return table names in name order
     * @throws SQLException when {@code information_schema} cannot be read
     */
    static List<String> applicationTables(Connection connection, String database) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String table = rows.getString(1);
                    if (!isDdmTable(table)) {
                        result.add(table);
                    }
                }
            }
        }
        return result;
    }

    /**
     * Whether a table is DDM's own record of placement or moves, which each copy keeps for itself.
     * @param table the table name
     * @return whether it is {@value PlacementStore#TABLE} or {@value MoveJournal#TABLE}
     */
    static boolean isDdmTable(String table) {
        return PlacementStore.TABLE.equalsIgnoreCase(table) || MoveJournal.TABLE.equalsIgnoreCase(table);
    }

    /**
     * Renames the tables into the retired database, waiting at most {@code lockWait} for transactions using them.
     * @param connection a connection to the source primary
     * @param database the shard database
     * @param retired the retired database (created when missing)
     * @param tables the tables
     * @param lockWait longest wait for the tables' metadata locks
     * @throws SQLException when the rename fails or times out: then nothing was renamed
     */
    static void retire(Connection connection, String database, String retired, List<String> tables, Duration lockWait)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + ShardTable.quote(retired));
            if (tables.isEmpty()) {
                return;
            }
            statement.execute("SET SESSION lock_wait_timeout = " + Math.max(1, (lockWait.toMillis() + 999) / 1000));
            statement.execute(renameStatement(database, retired, tables));
        }
    }

    /**
     * The statement that retires the tables: the binary-log stream of the move skips exactly this statement.
     */
    static String renameStatement(String from, String to, List<String> tables) {
        StringJoiner renames = new StringJoiner(", ", "RENAME TABLE ", "");
        for (String table : tables) {
            renames.add(ShardTable.quote(from) + "." + ShardTable.quote(table) + " TO " + ShardTable.quote(to) + "."
                    + ShardTable.quote(table));
        }
        return renames.toString();
    }

    /**
     * Renames every table of the retired database back into the shard database and drops the retired one: undoes
     * {@link #retire} for a move that did not reach its point of no return.
     * @param connection a connection to the source primary
     * @param retired the retired database
     * @param database the shard database
     * @throws SQLException when the rename fails
     */
    static void restore(Connection connection, String retired, String database) throws SQLException {
        List<String> tables = applicationTables(connection, retired);
        try (Statement statement = connection.createStatement()) {
            if (!tables.isEmpty()) {
                statement.execute(renameStatement(retired, database, tables));
            }
            statement.execute("DROP DATABASE IF EXISTS " + ShardTable.quote(retired));
        }
    }

}
