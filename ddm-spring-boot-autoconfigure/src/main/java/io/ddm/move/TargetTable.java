package io.ddm.move;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One table of the target database as the change stream writes it: an idempotent insert of a row image, an update
 * by the before-image's primary key and a delete by primary key, prepared once per target connection.
 *
 * <p>A table whose only unique key is a primary key without text columns can also take changes {@link #stage staged}:
 * each key keeps only its last change (its row image to write, or its deletion), and {@link #flushStaged()} sends the
 * deletions and then the rows in two JDBC batches (multi-row statements with Connector/J's
 * {@code rewriteBatchedStatements}). For such a table the outcome is the same as applying each change in turn: changes
 * of different keys touch different rows, and the last change of a key decides its row. With another unique key, or
 * a text key that a case-insensitive collation compares, two images could meet on one row, so those tables apply each
 * change as it comes.
 */
final class TargetTable implements AutoCloseable {

    private final ShardTable table;

    private final int[] keyIndexes;

    private final PreparedStatement upsert;

    private final PreparedStatement update;

    private final PreparedStatement delete;

    private final boolean stageable;

    /** Key to the row image to write, in the order keys were last changed. */
    private final Map<List<Object>, Serializable[]> staged = new LinkedHashMap<>();

    /** Key to an image holding it, of the keys to delete. */
    private final Map<List<Object>, Serializable[]> stagedDeletes = new LinkedHashMap<>();

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
        this.stageable = !hasTextKey(table) && !hasOtherUniqueKey(connection, table);
    }

    /**
     * Whether changes of this table may be staged.
     * @return whether its only unique key is a primary key without text columns
     */
    boolean isStageable() {
        return this.stageable;
    }

    /**
     * Stages a change: {@code after} is the row image to write (insert or update), {@code null} for a deletion of
     * {@code before}'s key; an update that changes the key deletes the old one.
     * @param before the before-image, {@code null} for an insert
     * @param after the after-image, {@code null} for a delete
     */
    void stage(Serializable[] before, Serializable[] after) throws IOException {
        if (before != null) {
            List<Object> oldKey = key(before);
            if (after == null || !oldKey.equals(key(after))) {
                this.staged.remove(oldKey);
                this.stagedDeletes.put(oldKey, before);
            }
        }
        if (after != null) {
            List<Object> newKey = key(after);
            this.stagedDeletes.remove(newKey);
            this.staged.remove(newKey);
            this.staged.put(newKey, after);
        }
    }

    /**
     * Writes the staged changes: deletions first, then row images.
     */
    void flushStaged() throws SQLException, IOException {
        if (!this.stagedDeletes.isEmpty()) {
            for (Serializable[] row : this.stagedDeletes.values()) {
                bindKey(this.delete, 1, row);
                this.delete.addBatch();
            }
            this.delete.executeBatch();
            this.stagedDeletes.clear();
        }
        if (!this.staged.isEmpty()) {
            for (Serializable[] row : this.staged.values()) {
                bindRow(this.upsert, 1, row);
                this.upsert.addBatch();
            }
            this.upsert.executeBatch();
            this.staged.clear();
        }
    }

    /**
     * Forgets staged changes (the target transaction they were for rolls back).
     */
    void discardStaged() {
        this.staged.clear();
        this.stagedDeletes.clear();
    }

    private List<Object> key(Serializable[] row) throws IOException {
        List<Object> result = new ArrayList<>(this.keyIndexes.length);
        for (int index : this.keyIndexes) {
            Object value = BinlogValues.toTarget(this.table.columns().get(index), row[index]);
            result.add((value instanceof byte[] bytes) ? ByteBuffer.wrap(bytes) : value);
        }
        return result;
    }

    private static boolean hasTextKey(ShardTable table) {
        return table.primaryKey().stream().map(table::column).anyMatch((column) -> column.characterSet() != null);
    }

    private static boolean hasOtherUniqueKey(Connection connection, ShardTable table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' LIMIT 1")) {
            statement.setString(1, table.database());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
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
