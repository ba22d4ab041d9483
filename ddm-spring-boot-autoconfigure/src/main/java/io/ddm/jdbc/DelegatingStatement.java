package io.ddm.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A {@link Statement} that passes every call to another, for DDM's statements to override only what they do themselves;
 * see {@link DelegatingConnection}. Every {@code execute*} call runs through {@link #execution}: one call is one logical
 * statement, to check, time or route. Each failure of the statement behind it passes {@link #failed(SQLException)}, those
 * of executions in {@link #execution}.
 *
 * @param <S> the kind of statement behind it
 */
public abstract class DelegatingStatement<S extends Statement> implements Statement {

    /**
     * The statement calls go to.
     * @return the statement
     * @throws SQLException when it cannot be had (e.g. prepared)
     */
    protected abstract S target() throws SQLException;

    /**
     * What the application gets for a failure of the statement behind this one.
     * @param failure the failure
     * @return the failure, as it is unless a subclass translates it
     */
    protected SQLException failed(SQLException failure) {
        return failure;
    }

    /**
     * Runs one {@code execute*} call of the statement behind this one; its failure passes {@link #failed(SQLException)}.
     * @param <R> what the call returns
     * @param sql the SQL text the call gives, or {@code null} for a prepared statement's own text and for a batch
     * @param batch whether the call runs the statement's batch
     * @param call the call
     * @return what it returned
     * @throws SQLException as the call throws it, or to refuse it
     */
    protected <R> R execution(String sql, boolean batch, Execution<R> call) throws SQLException {
        try {
            return call.run();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
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
    public ResultSet executeQuery(String sql) throws SQLException {
        return execution(sql, false, () -> target().executeQuery(sql));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return execution(sql, false, () -> target().executeUpdate(sql));
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
    public int getMaxFieldSize() throws SQLException {
        try {
            return target().getMaxFieldSize();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        try {
            target().setMaxFieldSize(max);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return target().getMaxRows();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        try {
            target().setMaxRows(max);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        try {
            target().setEscapeProcessing(enable);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return target().getQueryTimeout();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        try {
            target().setQueryTimeout(seconds);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            target().cancel();
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
    public void setCursorName(String name) throws SQLException {
        try {
            target().setCursorName(name);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return execution(sql, false, () -> target().execute(sql));
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            return target().getResultSet();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return target().getUpdateCount();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return target().getMoreResults();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        try {
            target().setFetchDirection(direction);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return target().getFetchDirection();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        try {
            target().setFetchSize(rows);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return target().getFetchSize();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return target().getResultSetConcurrency();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return target().getResultSetType();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        try {
            target().addBatch(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            target().clearBatch();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return execution(null, true, () -> target().executeBatch());
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return target().getConnection();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        try {
            return target().getMoreResults(current);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            return target().getGeneratedKeys();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return execution(sql, false, () -> target().executeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return execution(sql, false, () -> target().executeUpdate(sql, columnIndexes));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return execution(sql, false, () -> target().executeUpdate(sql, columnNames));
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execution(sql, false, () -> target().execute(sql, autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execution(sql, false, () -> target().execute(sql, columnIndexes));
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execution(sql, false, () -> target().execute(sql, columnNames));
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return target().getResultSetHoldability();
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
    public void setPoolable(boolean poolable) throws SQLException {
        try {
            target().setPoolable(poolable);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return target().isPoolable();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            target().closeOnCompletion();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return target().isCloseOnCompletion();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return target().getLargeUpdateCount();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        try {
            target().setLargeMaxRows(max);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return target().getLargeMaxRows();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return execution(null, true, () -> target().executeLargeBatch());
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return execution(sql, false, () -> target().executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return execution(sql, false, () -> target().executeLargeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return execution(sql, false, () -> target().executeLargeUpdate(sql, columnIndexes));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return execution(sql, false, () -> target().executeLargeUpdate(sql, columnNames));
    }

    @Override
    public String enquoteLiteral(String val) throws SQLException {
        try {
            return target().enquoteLiteral(val);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
        try {
            return target().enquoteIdentifier(identifier, alwaysQuote);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String identifier) throws SQLException {
        try {
            return target().isSimpleIdentifier(identifier);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public String enquoteNCharLiteral(String val) throws SQLException {
        try {
            return target().enquoteNCharLiteral(val);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    /**
     * One {@code execute*} call.
     *
     * @param <R> what it returns
     */
    @FunctionalInterface
    public interface Execution<R> {

        /**
         * Makes the call.
         * @return what it returned
         * @throws SQLException as it threw it
         */
        R run() throws SQLException;

    }

}
