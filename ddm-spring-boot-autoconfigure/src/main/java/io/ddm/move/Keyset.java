package io.ddm.move;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keyset paging by a table's primary key: the select list that reads a key, the {@code ORDER BY}, and conditions
 * "after this key" and "up to this key" written out column by column ({@code a > ? OR (a = ? AND b > ?)}), which
 * MySQL and MariaDB both turn into ranges of the primary key.
 */
final class Keyset {

    private final ShardTable table;

    private final List<ShardTable.Column> columns;

    private final List<ColumnCodec> codecs;

    Keyset(ShardTable table, ShardSideException.Side side) throws ShardSideException {
        this.table = table;
        if (table.primaryKey().isEmpty()) {
            throw new ShardSideException(side, table.toString(), "it has no primary key; a shard move copies and compares tables"
                    + " by primary key, add one first");
        }
        this.columns = table.primaryKey().stream().map(table::column).toList();
        for (ShardTable.Column column : this.columns) {
            if (!ColumnCodec.supportsKey(column)) {
                throw new ShardSideException(side, table.toString(), "its primary key column " + column.name() + " is of type "
                        + column.columnType() + ", which a shard move cannot page by (keys must be integers, decimals, (var)char,"
                        + " (var)binary or dates and times)");
            }
        }
        this.codecs = this.columns.stream().map(ColumnCodec::of).toList();
    }

    /** The key's column names. */
    List<String> columnNames() {
        return this.table.primaryKey();
    }

    /** The select-list expressions that read a key, comma-separated. */
    String selectList() {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < this.columns.size(); i++) {
            result.add(this.codecs.get(i).selectKey(this.columns.get(i)));
        }
        return String.join(", ", result);
    }

    /** {@code ORDER BY} the key, ascending. */
    String orderBy() {
        return " ORDER BY " + this.columns.stream().map((column) -> ShardTable.quote(column.name())).collect(Collectors.joining(", "));
    }

    /** The condition "key after the bound" (exclusive) with placeholders, bound by {@link #bind}. */
    String after() {
        return compare(">", ">");
    }

    /** The condition "key up to the bound" (inclusive) with placeholders, bound by {@link #bind}. */
    String upTo() {
        return compare("<", "<=");
    }

    private String compare(String strict, String last) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < this.columns.size(); i++) {
            StringBuilder term = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                term.append(ShardTable.quote(this.columns.get(j).name())).append(" = ? AND ");
            }
            term.append(ShardTable.quote(this.columns.get(i).name())).append(' ')
                .append((i == this.columns.size() - 1) ? last : strict).append(" ?)");
            terms.add(term.toString());
        }
        return "(" + String.join(" OR ", terms) + ")";
    }

    /**
     * Binds a key for {@link #after()} or {@link #upTo()}.
     * @return the next parameter index
     */
    int bind(PreparedStatement statement, int firstIndex, Object[] key) throws SQLException {
        int index = firstIndex;
        for (int i = 0; i < this.columns.size(); i++) {
            for (int j = 0; j <= i; j++) {
                this.codecs.get(j).bindKey(statement, index++, key[j]);
            }
        }
        return index;
    }

    /** Reads a key selected by {@link #selectList()} starting at a column index. */
    Object[] read(ResultSet rows, int firstIndex) throws SQLException {
        Object[] key = new Object[this.columns.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = this.codecs.get(i).readKey(rows, firstIndex + i);
        }
        return key;
    }

    /** A key as text, for messages. */
    static List<String> describe(Object[] key) {
        if (key == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        for (Object value : key) {
            if (value instanceof byte[] bytes) {
                result.add("0x" + HexFormat.of().formatHex(bytes));
            }
            else if (value instanceof String text) {
                result.add("'" + text.replace("'", "''") + "'");
            }
            else {
                result.add(String.valueOf(value));
            }
        }
        return result;
    }

}
