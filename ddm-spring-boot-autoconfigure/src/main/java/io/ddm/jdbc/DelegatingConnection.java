package io.ddm.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that passes every call to another, for DDM's logical connection to override only what it does
 * itself. The JDBC interface is written out once here so that DDM's wrappers are plain classes: no proxy and no reflection
 * on every call of every statement. Each failure of the connection behind it passes {@link #failed(SQLException)}.
 */
public abstract class DelegatingConnection implements Connection {

    /**
     * The connection calls go to.
     * @return the connection
     * @throws SQLException when it cannot be had (e.g. opened)
     */
    protected abstract Connection target() throws SQLException;

    /**
     * What the application gets for a failure of the connection behind this one.
     * @param failure the failure
     * @return the failure, as it is unless a subclass translates it
     */
    protected SQLException failed(SQLException failure) {
        return failure;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        try {
            return target().unwrap(iface);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        try {
            return target().isWrapperFor(iface);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        try {
            return target().createStatement();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        try {
            return target().prepareStatement(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        try {
            return target().prepareCall(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        try {
            return target().nativeSQL(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            target().setAutoCommit(autoCommit);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        try {
            return target().getAutoCommit();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void commit() throws SQLException {
        try {
            target().commit();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            target().rollback();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            target().close();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return target().isClosed();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        try {
            return target().getMetaData();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        try {
            target().setReadOnly(readOnly);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        try {
            return target().isReadOnly();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        try {
            target().setCatalog(catalog);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        try {
            return target().getCatalog();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        try {
            target().setTransactionIsolation(level);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        try {
            return target().getTransactionIsolation();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return target().getWarnings();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            target().clearWarnings();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return target().createStatement(resultSetType, resultSetConcurrency);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return target().prepareStatement(sql, resultSetType, resultSetConcurrency);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return target().prepareCall(sql, resultSetType, resultSetConcurrency);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        try {
            return target().getTypeMap();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        try {
            target().setTypeMap(map);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        try {
            target().setHoldability(holdability);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return target().getHoldability();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        try {
            return target().setSavepoint();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        try {
            return target().setSavepoint(name);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        try {
            target().rollback(savepoint);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        try {
            target().releaseSavepoint(savepoint);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        try {
            return target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        try {
            return target().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        try {
            return target().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        try {
            return target().prepareStatement(sql, autoGeneratedKeys);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        try {
            return target().prepareStatement(sql, columnIndexes);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        try {
            return target().prepareStatement(sql, columnNames);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        try {
            return target().createClob();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Blob createBlob() throws SQLException {
        try {
            return target().createBlob();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public NClob createNClob() throws SQLException {
        try {
            return target().createNClob();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        try {
            return target().createSQLXML();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        try {
            return target().isValid(timeout);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        try {
            target().setClientInfo(name, value);
        }
        catch (SQLException ex) {
            throw clientInfoFailure(ex);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        try {
            target().setClientInfo(properties);
        }
        catch (SQLException ex) {
            throw clientInfoFailure(ex);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        try {
            return target().getClientInfo(name);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        try {
            return target().getClientInfo();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        try {
            return target().createArrayOf(typeName, elements);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        try {
            return target().createStruct(typeName, attributes);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            target().setSchema(schema);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public String getSchema() throws SQLException {
        try {
            return target().getSchema();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        try {
            target().abort(executor);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        try {
            target().setNetworkTimeout(executor, milliseconds);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        try {
            return target().getNetworkTimeout();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void beginRequest() throws SQLException {
        try {
            target().beginRequest();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void endRequest() throws SQLException {
        try {
            target().endRequest();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
        try {
            return target().setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        try {
            return target().setShardingKeyIfValid(shardingKey, timeout);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        try {
            target().setShardingKey(shardingKey, superShardingKey);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        try {
            target().setShardingKey(shardingKey);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    private SQLClientInfoException clientInfoFailure(SQLException failure) {
        SQLException translated = (failure instanceof SQLClientInfoException) ? failure : failed(failure);
        if (translated instanceof SQLClientInfoException clientInfo) {
            return clientInfo;
        }
        return new SQLClientInfoException(translated.getMessage(), translated.getSQLState(), translated.getErrorCode(), null, translated);
    }

}
