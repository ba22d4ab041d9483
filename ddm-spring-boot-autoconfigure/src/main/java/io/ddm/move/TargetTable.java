package io.ddm.move;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One table of the target database as the change stream writes it: an idempotent insert of a row image, an update
 * by the before-image's primary key and a delete by primary key, prepared once per target connection.
 */
final class TargetTable implements AutoCloseable {

    private final ShardTable table;

    private final int[] keyIndexes;

    private final PreparedStatement upsert;

    private final PreparedStatement update;

    private final PreparedStatement delete;

    TargetTable(ShardTable table, Connection connection) throws SQLException {
        this.table = table;
        this.keyIndexes = table.primaryKeyIndexes();
        List<String> names = table.columns().stream().map((column) -> ShardTable.quote(column.name())).toList();
        String where = table.primaryKey().stream().map((key) -> ShardTable.quote(key) + " = ?").collect(Collectors.joining(" AND "));
        this.upsert = connection.prepareStatement("INSERT INTO " + table.qualifiedName() + " (" + String.join(", ", names)
                + ") VALUES (" + names.stream().map((name) -> "?").collect(Collectors.joining(", ")) + ") ON DUPLICATE KEY UPDATE "
                + names.stream().map((name) -> name + " = VALUES(" + name + ")").collect(Collectors.joining(", ")));
        this.update = connection.prepareStatement("UPDATE " + table.qualifiedName() + " SET "
                + names.stream().map((name) -> name + " = ?").collect(Collectors.joining(", ")) + " WHERE " + where);
        this.delete = connection.prepareStatement("DELETE FROM " + table.qualifiedName() + " WHERE " + where);
    }

    ShardTable table() {
        return this.table;
    }

    /**
     * Inserts a row, or overwrites the row with its key, so that replaying an insert is harmless.
     * @param row the row image
     */
    void insert(Serializable[] row) throws SQLException, IOException {
        bindRow(this.upsert, 1, row);
        this.upsert.executeUpdate();
    }

    /**
     * Updates the row the before-image's key names to the after-image; when the target has no such row (a replayed
     * update whose effect the target already holds) writes the after-image.
     * @param before the before-image
     * @param after the after-image
     */
    void update(Serializable[] before, Serializable[] after) throws SQLException, IOException {
        int next = bindRow(this.update, 1, after);
        bindKey(this.update, next, before);
        if (this.update.executeUpdate() == 0) {
            insert(after);
        }
    }

    /**
     * Deletes the row with the image's key, if there is one.
     * @param row the row image
     */
    void delete(Serializable[] row) throws SQLException, IOException {
        bindKey(this.delete, 1, row);
        this.delete.executeUpdate();
    }

    private int bindRow(PreparedStatement statement, int first, Serializable[] row) throws SQLException, IOException {
        List<ShardTable.Column> columns = this.table.columns();
        for (int i = 0; i < columns.size(); i++) {
            bind(statement, first + i, BinlogValues.toTarget(columns.get(i), row[i]));
        }
        return first + columns.size();
    }

    private void bindKey(PreparedStatement statement, int first, Serializable[] row) throws SQLException, IOException {
        for (int i = 0; i < this.keyIndexes.length; i++) {
            ShardTable.Column column = this.table.columns().get(this.keyIndexes[i]);
            bind(statement, first + i, BinlogValues.toKey(column, BinlogValues.toTarget(column, row[this.keyIndexes[i]])));
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        }
        else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        }
        else if (value instanceof Float number) {
            statement.setFloat(index, number);
        }
        else if (value instanceof Double number) {
            statement.setDouble(index, number);
        }
        else {
            statement.setObject(index, value);
        }
    }

    @Override
    public void close() throws SQLException {
        try (this.upsert; this.update; this.delete) {
            // closes all three
        }
    }

}
