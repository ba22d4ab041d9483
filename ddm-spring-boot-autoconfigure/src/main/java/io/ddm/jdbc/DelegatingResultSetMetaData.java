package io.ddm.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * A {@link ResultSetMetaData} that passes every call to another, for DDM's result sets to override only what they answer
 * themselves; see {@link DelegatingConnection}.
 */
public abstract class DelegatingResultSetMetaData implements ResultSetMetaData {

    private final ResultSetMetaData target;

    /**
     * Creates metadata that passes its calls to another.
     * @param target the metadata calls go to
     */
    protected DelegatingResultSetMetaData(ResultSetMetaData target) {
        this.target = target;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : this.target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || this.target.isWrapperFor(iface);
    }

    @Override
    public int getColumnCount() throws SQLException {
        return this.target.getColumnCount();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        return this.target.isAutoIncrement(column);
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return this.target.isCaseSensitive(column);
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        return this.target.isSearchable(column);
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return this.target.isCurrency(column);
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return this.target.isNullable(column);
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return this.target.isSigned(column);
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        return this.target.getColumnDisplaySize(column);
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return this.target.getColumnLabel(column);
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return this.target.getColumnName(column);
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return this.target.getSchemaName(column);
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return this.target.getPrecision(column);
    }

    @Override
    public int getScale(int column) throws SQLException {
        return this.target.getScale(column);
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return this.target.getTableName(column);
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        return this.target.getCatalogName(column);
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return this.target.getColumnType(column);
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return this.target.getColumnTypeName(column);
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        return this.target.isReadOnly(column);
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        return this.target.isWritable(column);
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        return this.target.isDefinitelyWritable(column);
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return this.target.getColumnClassName(column);
    }
}
