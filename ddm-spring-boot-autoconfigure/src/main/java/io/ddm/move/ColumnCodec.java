package io.ddm.move;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Set;

/**
 * How the values of one kind of column are read from a source and written to a target so that they arrive exactly
 * as they were, how key values are bound in keyset conditions, and how a column enters a row checksum. Text is moved
 * as the column's own bytes ({@code CAST(c AS BINARY)}), so neither the connection's character set nor the driver's
 * decoding can change it; temporal values as the server's own text (in a {@code +00:00} session time zone, so
 * {@code TIMESTAMP}s are not shifted); numbers as exact Java numbers; binary strings and bits as bytes.
 */
enum ColumnCodec {

    /** Integers that fit a {@code long}. */
    INTEGER {
        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            long value = rows.getLong(index);
            return rows.wasNull() ? null : value;
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.BIGINT);
            }
            else {
                statement.setLong(index, (Long) value);
            }
        }
    },

    /** {@code DECIMAL} and {@code BIGINT UNSIGNED}. */
    DECIMAL {
        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBigDecimal(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.DECIMAL);
            }
            else {
                statement.setBigDecimal(index, (BigDecimal) value);
            }
        }
    },

    /** {@code DOUBLE}; {@code FLOAT} is read widened to a double, which holds it exactly. */
    FLOATING {
        @Override
        String select(ShardTable.Column column) {
            String quoted = ShardTable.quote(column.name());
            return "float".equals(column.dataType()) ? "(" + quoted + " + 0E0)" : quoted;
        }

        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            double value = rows.getDouble(index);
            return rows.wasNull() ? null : value;
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.DOUBLE);
            }
            else {
                statement.setDouble(index, (Double) value);
            }
        }
    },

    /** Character strings: their bytes in the column's character set; keys as strings, compared in the column's collation. */
    TEXT {
        @Override
        String select(ShardTable.Column column) {
            return "CAST(" + ShardTable.quote(column.name()) + " AS BINARY)";
        }

        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBytes(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            BYTES.bind(statement, index, value);
        }

        @Override
        String selectKey(ShardTable.Column column) {
            return ShardTable.quote(column.name());
        }

        @Override
        Object readKey(ResultSet rows, int index) throws SQLException {
            return rows.getString(index);
        }

        @Override
        void bindKey(PreparedStatement statement, int index, Object value) throws SQLException {
            bindString(statement, index, value);
        }
    },

    /** {@code ENUM} and {@code SET}: by their values' names. */
    NAMED {
        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getString(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            bindString(statement, index, value);
        }
    },

    /** Dates and times: the server's text, parsed back by the target server. */
    TEMPORAL {
        @Override
        String select(ShardTable.Column column) {
            return "CAST(" + ShardTable.quote(column.name()) + " AS CHAR)";
        }

        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getString(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            bindString(statement, index, value);
        }
    },

    /** MySQL's {@code JSON}: its text (MariaDB's JSON is a text column). */
    JSON {
        @Override
        String checksum(ShardTable.Column column) {
            return "CAST(CAST(" + ShardTable.quote(column.name()) + " AS CHAR) AS BINARY)";
        }

        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getString(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            bindString(statement, index, value);
        }
    },

    /** Binary strings, blobs, {@code BIT}, spatial and anything else: the bytes the server sends. */
    BYTES {
        @Override
        Object read(ResultSet rows, int index) throws SQLException {
            return rows.getBytes(index);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            if (value == null) {
                statement.setNull(index, Types.VARBINARY);
            }
            else {
                statement.setBytes(index, (byte[]) value);
            }
        }
    };

    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private static final Set<String> TEXTS = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");

    private static final Set<String> TEMPORALS = Set.of("date", "datetime", "timestamp", "time", "year");

    /** Key column types whose SQL order agrees with how their bound values compare. */
    private static final Set<String> KEY_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal",
            "char", "varchar", "binary", "varbinary", "date", "datetime", "timestamp", "time", "year");

    /**
     * The codec of a column.
     * @param column the column
     * @return its codec
     */
    static ColumnCodec of(ShardTable.Column column) {
        String type = column.dataType();
        if (INTEGERS.contains(type)) {
            return ("bigint".equals(type) && column.unsigned()) ? DECIMAL : INTEGER;
        }
        if ("decimal".equals(type) || "numeric".equals(type)) {
            return DECIMAL;
        }
        if ("double".equals(type) || "float".equals(type) || "real".equals(type)) {
            return FLOATING;
        }
        if (TEXTS.contains(type)) {
            return TEXT;
        }
        if ("enum".equals(type) || "set".equals(type)) {
            return NAMED;
        }
        if (TEMPORALS.contains(type)) {
            return TEMPORAL;
        }
        if ("json".equals(type)) {
            return JSON;
        }
        return BYTES;
    }

    /**
     * Whether a column can be part of a key that DDM pages through.
     * @param column the column
     * @return {@code false} for floating point, text and blob, {@code ENUM}, {@code SET}, {@code BIT}, JSON, spatial
     */
    static boolean supportsKey(ShardTable.Column column) {
        return KEY_TYPES.contains(column.dataType());
    }

    /**
     * The select-list expression that reads the column's value for copying.
     * @param column the column
     * @return the expression
     */
    String select(ShardTable.Column column) {
        return ShardTable.quote(column.name());
    }

    /**
     * The select-list expression that reads the column's value as a key bound.
     * @param column the column
     * @return the expression
     */
    String selectKey(ShardTable.Column column) {
        return select(column);
    }

    /**
     * An expression with the column's value as a binary string, for a row checksum; {@code NULL} stays {@code NULL}.
     * @param column the column
     * @return the expression
     */
    String checksum(ShardTable.Column column) {
        return "CAST(" + select(column) + " AS BINARY)";
    }

    private static void bindString(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        }
        else {
            statement.setString(index, (String) value);
        }
    }

    abstract Object read(ResultSet rows, int index) throws SQLException;

    abstract void bind(PreparedStatement statement, int index, Object value) throws SQLException;

    Object readKey(ResultSet rows, int index) throws SQLException {
        return read(rows, index);
    }

    void bindKey(PreparedStatement statement, int index, Object value) throws SQLException {
        bind(statement, index, value);
    }

}
