package io.ddm.fastpath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical statements of one fast-path statement, one per physical table and connection, kept for the next execution
 * on the same connection as ShardingSphere keeps its physical statements; each prepared with the application's options
 * and the statement settings given so far, which ShardingSphere too records and replays on every physical statement.
 */
final class PhysicalStatements {

    private final PrepareOptions options;

    private final List<Setting> settings = new ArrayList<>(2);

    /** Few: one per physical table and data source the statement ran on; looked up by scanning, without a key to build. */
    private final List<Physical> kept = new ArrayList<>(2);

    PhysicalStatements(PrepareOptions options) {
        this.options = options;
    }

    /**
     * The statement for a physical table on a connection: the one kept from an earlier execution on that connection, or a
     * new one.
     * @param connection the physical connection
     * @param dataSource its data source
     * @param table the physical table
     * @param sql the physical SQL
     * @return the statement
     * @throws SQLException as the driver or a recorded setting throws it
     */
    PreparedStatement get(Connection connection, String dataSource, String table, String sql) throws SQLException {
        int index = indexOf(dataSource, table);
        if (index >= 0) {
            Physical kept = this.kept.get(index);
            if (kept.connection == connection && !kept.statement.isClosed()) {
                return kept.statement;
            }
            closeQuietly(kept.statement);
            this.kept.remove(index);
        }
        PreparedStatement statement;
        if (this.options.returnGeneratedKeys()) {
            statement = (this.options.columns() == null || this.options.columns().length == 0)
                    ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                    : connection.prepareStatement(sql, this.options.columns());
        }
        else {
            statement = connection.prepareStatement(sql, this.options.type(), this.options.concurrency(), this.options.holdability());
        }
        replaySettings(statement);
        this.kept.add(new Physical(dataSource, table, connection, statement));
        return statement;
    }

    private int indexOf(String dataSource, String table) {
        for (int i = 0; i < this.kept.size(); i++) {
            Physical each = this.kept.get(i);
            if (each.table.equals(table) && each.dataSource.equals(dataSource)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Records a statement setting ({@code setFetchSize}, {@code setQueryTimeout}, ...) and applies it to every open
     * physical statement.
     * @param setting the setting
     * @throws SQLException as a physical statement throws it
     */
    void set(Setting setting) throws SQLException {
        this.settings.add(setting);
        for (Physical each : this.kept) {
            setting.apply(each.statement);
        }
    }

    /**
     * Applies the settings recorded so far to another statement, e.g. ShardingSphere's own when the statement goes to it.
     * @param statement the statement
     * @throws SQLException as the statement throws it
     */
    void replaySettings(PreparedStatement statement) throws SQLException {
        for (Setting each : this.settings) {
            each.apply(statement);
        }
    }

    /** Closes every physical statement; a failure to close one is left to its connection, which closes it in any case. */
    void close() {
        for (Physical each : this.kept) {
            closeQuietly(each.statement);
        }
        this.kept.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        }
        catch (SQLException ex) {
            // Closed with its connection in any case.
        }
    }

    /** A statement setting, applied to a statement. */
    @FunctionalInterface
    interface Setting {

        void apply(Statement statement) throws SQLException;

    }

    private record Physical(String dataSource, String table, Connection connection, PreparedStatement statement) {
    }

}
