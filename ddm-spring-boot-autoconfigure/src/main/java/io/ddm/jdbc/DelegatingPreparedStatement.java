package io.ddm.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A {@link PreparedStatement} that passes every call to another; see {@link DelegatingStatement}. Its own executions pass
 * {@link #execution} with no SQL text.
 *
 * @param <S> the kind of statement behind it
 */
public abstract class DelegatingPreparedStatement<S extends PreparedStatement> extends DelegatingStatement<S> implements PreparedStatement {

    @Override
    public ResultSet executeQuery() throws SQLException {
        return execution(null, false, () -> target().executeQuery());
    }

    @Override
    public int executeUpdate() throws SQLException {
        return execution(null, false, () -> target().executeUpdate());
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        try {
            target().setNull(parameterIndex, sqlType);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        try {
            target().setBoolean(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        try {
            target().setByte(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        try {
            target().setShort(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        try {
            target().setInt(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        try {
            target().setLong(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        try {
            target().setFloat(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        try {
            target().setDouble(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        try {
            target().setBigDecimal(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        try {
            target().setString(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        try {
            target().setBytes(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        try {
            target().setDate(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        try {
            target().setTime(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        try {
            target().setTimestamp(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            target().setAsciiStream(parameterIndex, x, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Deprecated
    @Override
    @SuppressWarnings("deprecation")
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            target().setUnicodeStream(parameterIndex, x, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            target().setBinaryStream(parameterIndex, x, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        try {
            target().clearParameters();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        try {
            target().setObject(parameterIndex, x, targetSqlType);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        try {
            target().setObject(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        return execution(null, false, () -> target().execute());
    }

    @Override
    public void addBatch() throws SQLException {
        try {
            target().addBatch();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        try {
            target().setCharacterStream(parameterIndex, reader, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        try {
            target().setRef(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        try {
            target().setBlob(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        try {
            target().setClob(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        try {
            target().setArray(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return target().getMetaData();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        try {
            target().setDate(parameterIndex, x, cal);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        try {
            target().setTime(parameterIndex, x, cal);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        try {
            target().setTimestamp(parameterIndex, x, cal);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        try {
            target().setNull(parameterIndex, sqlType, typeName);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        try {
            target().setURL(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return target().getParameterMetaData();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        try {
            target().setRowId(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        try {
            target().setNString(parameterIndex, value);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        try {
            target().setNCharacterStream(parameterIndex, value, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        try {
            target().setNClob(parameterIndex, value);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            target().setClob(parameterIndex, reader, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        try {
            target().setBlob(parameterIndex, inputStream, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            target().setNClob(parameterIndex, reader, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        try {
            target().setSQLXML(parameterIndex, xmlObject);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        try {
            target().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try {
            target().setAsciiStream(parameterIndex, x, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try {
            target().setBinaryStream(parameterIndex, x, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            target().setCharacterStream(parameterIndex, reader, length);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        try {
            target().setAsciiStream(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        try {
            target().setBinaryStream(parameterIndex, x);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        try {
            target().setCharacterStream(parameterIndex, reader);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        try {
            target().setNCharacterStream(parameterIndex, value);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        try {
            target().setClob(parameterIndex, reader);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        try {
            target().setBlob(parameterIndex, inputStream);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        try {
            target().setNClob(parameterIndex, reader);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        try {
            target().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        try {
            target().setObject(parameterIndex, x, targetSqlType);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return execution(null, false, () -> target().executeLargeUpdate());
    }
}
