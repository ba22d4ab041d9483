package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One table of a shard database as a move sees it: its columns in their order in the table (the order of the
 * values in the binary log's row events) and its primary key, read from {@code information_schema}.
 *
 * @param database the shard database
 * @param name the physical table name
 * @param columns the columns, in ordinal order
 * @param primaryKey the primary key's column names, in key order; empty when the table has none
 */
public record ShardTable(String database, String name, List<Column> columns, List<String> primaryKey) {

    public ShardTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /**
     * The base tables of a database, by name, with their columns and primary keys.
     * @param connection a connection to the server
     * @param database the database
     * @return the tables in name order
     * @throws SQLException when {@code information_schema} cannot be read
     */
    public static List<ShardTable> readAll(Connection connection, String database) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE,"
                + " c.IS_NULLABLE, c.CHARACTER_SET_NAME FROM information_schema.COLUMNS c JOIN information_schema.TABLES t"
                + " ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = ?"
                + " AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String columnType = rows.getString(4);
                    columns.computeIfAbsent(rows.getString(1), (table) -> new ArrayList<>())
                        .add(new Column(rows.getString(2), rows.getString(3).toLowerCase(Locale.ROOT), columnType,
                                columnType.toLowerCase(Locale.ROOT).contains("unsigned"), "YES".equals(rows.getString(5)),
                                rows.getString(6)));
                }
            }
        }
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME FROM"
                + " information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY'"
                + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.computeIfAbsent(rows.getString(1), (table) -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        List<ShardTable> result = new ArrayList<>();
        columns.forEach((table, tableColumns) -> result.add(new ShardTable(database, table, tableColumns,
                keys.getOrDefault(table, List.of()))));
        return result;
    }

    /**
     * The column with a name.
     * @param columnName the name
     * @return the column
     * @throws IllegalArgumentException when the table has no such column
     */
    public Column column(String columnName) {
        for (Column each : this.columns) {
            if (each.name().equalsIgnoreCase(columnName)) {
                return each;
            }
        }
        throw new IllegalArgumentException("Table " + this + " has no column '" + columnName + "'");
    }

    /**
     * The positions (0-based) of the primary key's columns among {@link #columns()}.
     * @return column indexes in key order
     */
    public int[] primaryKeyIndexes() {
        int[] result = new int[this.primaryKey.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = this.columns.indexOf(column(this.primaryKey.get(i)));
        }
        return result;
    }

    /**
     * The table's name quoted for SQL, with its database: {@code `shop_3`.`t_order_3`}.
     * @return the qualified name
     */
    public String qualifiedName() {
        return quote(this.database) + "." + quote(this.name);
    }

    /**
     * Quotes an identifier with backticks.
     * @param identifier the identifier
     * @return the quoted identifier
     */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return this.database + "." + this.name;
    }

    /**
     * A column.
     *
     * @param name the column name
     * @param dataType {@code DATA_TYPE}, lower case ({@code bigint}, {@code varchar}, {@code datetime})
     * @param columnType {@code COLUMN_TYPE} as the server reports it ({@code bigint(20) unsigned}, {@code enum('a','b')})
     * @param unsigned whether the column is an unsigned number
     * @param nullable whether the column takes NULL
     * @param characterSet the character set of a text column, {@code null} for other columns
     */
    public record Column(String name, String dataType, String columnType, boolean unsigned, boolean nullable, String characterSet) {

    }

}
