package io.ddm.fastpath;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

import io.ddm.datasource.FailureTranslation;
import io.ddm.datasource.StatementGate;
import io.ddm.datasource.StatementListener;
import io.ddm.datasource.StatementListener.ListenedStatement;
import io.ddm.fastpath.FastPathPlan.KeyGeneration;
import io.ddm.jdbc.DelegatingPreparedStatement;
import org.apache.shardingsphere.driver.jdbc.core.resultset.GeneratedKeysResultSet;

/**
 * A prepared statement on the fast path. It keeps its parameters as ShardingSphere's statement does (values by position,
 * set on the physical statement with {@code setObject}, cleared after every execution), has each execution routed and
 * run by them ({@link FastPathExecution}) on its physical statements ({@link PhysicalStatements}), and answers results,
 * update counts and generated keys as ShardingSphere's statement answers them. It tells the listener (metrics) of every
 * execution, those it hands to ShardingSphere too.
 *
 * <p>Whatever it does not do itself (batches, metadata, parameter setters ShardingSphere does not support, an execution
 * ShardingSphere would route otherwise, a routing hint) it hands to ShardingSphere's own statement, prepared then with
 * the parameters and settings given so far: {@link #target()}. The statement stays with ShardingSphere from then on, so
 * every method below first asks whether it has been handed over.
 */
final class FastPathStatement extends DelegatingPreparedStatement<PreparedStatement> {

    private final Context context;

    private final List<Object> parameters = new ArrayList<>();

    private final FastPathExecution execution;

    private final PhysicalStatements physical;

    private final List<Comparable<?>> generatedValues = new ArrayList<>(1);

    private PreparedStatement general;

    /**
     * Generated keys of the fast executions that ShardingSphere's statement would still hold when it runs a batch: it
     * clears them at every execution but not at a batch, whose generated keys then begin with them.
     */
    private final List<Comparable<?>> carriedKeys = new ArrayList<>(1);

    private PreparedStatement last;

    private ResultSet currentResultSet;

    private boolean closed;

    FastPathStatement(Context context) {
        this.context = context;
        this.execution = new FastPathExecution(context.rules, context.connection, context.plan, context.translation);
        this.physical = new PhysicalStatements(context.options);
    }

    /**
     * ShardingSphere's statement for this text: prepared the first time something needs it, with the settings and
     * parameters given so far; the physical statements close then.
     */
    @Override
    protected PreparedStatement target() throws SQLException {
        if (this.general == null) {
            if (this.last != null) {
                this.carriedKeys.addAll(this.generatedValues);
            }
            PreparedStatement statement = this.context.create.prepare();
            this.physical.replaySettings(statement);
            for (int i = 0; i < this.parameters.size(); i++) {
                statement.setObject(i + 1, this.parameters.get(i));
            }
            this.general = statement;
            closePhysical();
        }
        return this.general;
    }

    /** Every execution ShardingSphere's statement runs, told to the listener. */
    @Override
    protected <R> R execution(String sql, boolean batch, Execution<R> call) throws SQLException {
        if (!batch) {
            // ShardingSphere's statement clears its generated keys at every execution but a batch.
            target();
            this.carriedKeys.clear();
        }
        return listened(sql, batch, call);
    }

    private <R> R listened(String sql, boolean batch, Execution<R> call) throws SQLException {
        return StatementListener.listened(this.context.listened, sql, batch, call);
    }

    @Override
    public Connection getConnection() {
        return this.context.logical;
    }

    // Executions

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (this.general != null || this.closed) {
            return super.executeQuery();
        }
        return listened(null, false, () -> (ResultSet) fast(PhysicalCall.QUERY));
    }

    @Override
    public int executeUpdate() throws SQLException {
        if (this.general != null || this.closed) {
            return super.executeUpdate();
        }
        return listened(null, false, () -> (Integer) fast(PhysicalCall.UPDATE));
    }

    @Override
    public boolean execute() throws SQLException {
        if (this.general != null || this.closed) {
            return super.execute();
        }
        return listened(null, false, () -> (Boolean) fast(PhysicalCall.EXECUTE));
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        if (this.general != null || this.closed) {
            return super.executeLargeUpdate();
        }
        return listened(null, false, () -> (Long) fast(PhysicalCall.LARGE_UPDATE));
    }

    /** One execution on the fast path, or by ShardingSphere's statement where the values set route it otherwise. */
    private Object fast(PhysicalCall call) throws SQLException {
        FastPathPlan plan = this.context.plan;
        this.context.gate.check(plan.sql());
        FastPathExecution.Route route = this.execution.route(this.parameters);
        if (route == null) {
            PreparedStatement statement = target();
            this.carriedKeys.clear();
            return call.run(statement);
        }
        this.currentResultSet = null;
        this.generatedValues.clear();
        try {
            FastPathExecution.Executed executed = this.execution.run(route, this.parameters, call, this.physical);
            PreparedStatement statement = executed.statement();
            Object result = executed.result();
            this.last = statement;
            if (route.reportedKey() != null) {
                this.generatedValues.add(route.reportedKey());
            }
            this.context.fastPath.executedFast();
            if (result instanceof ResultSet resultSet) {
                this.currentResultSet = new FastPathResultSet(resultSet, this, plan.table());
                return this.currentResultSet;
            }
            if (Boolean.TRUE.equals(result) && call == PhysicalCall.EXECUTE) {
                ResultSet resultSet = statement.getResultSet();
                this.currentResultSet = (resultSet != null) ? new FastPathResultSet(resultSet, this, plan.table()) : null;
            }
            return result;
        }
        catch (SQLException | RuntimeException ex) {
            throw this.execution.failure(ex);
        }
        finally {
            // ShardingSphere's statement clears its parameters after every execution.
            this.parameters.clear();
        }
    }

    // What an execution left

    @Override
    public ResultSet getResultSet() throws SQLException {
        return (this.general == null && this.last != null) ? this.currentResultSet : super.getResultSet();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return (this.general == null && this.last != null) ? this.last.getUpdateCount() : super.getUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return (this.general == null && this.last != null) ? this.last.getLargeUpdateCount() : super.getLargeUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        if (this.general == null && this.last != null) {
            this.currentResultSet = null;
            return this.last.getMoreResults();
        }
        return super.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        if (this.general == null && this.last != null) {
            this.currentResultSet = null;
            return this.last.getMoreResults(current);
        }
        return super.getMoreResults(current);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        if (this.general != null) {
            if (this.carriedKeys.isEmpty()) {
                return super.getGeneratedKeys();
            }
            List<Comparable<?>> keys = new ArrayList<>(this.carriedKeys);
            try (ResultSet batch = this.general.getGeneratedKeys()) {
                while (batch.next()) {
                    keys.add((Comparable<?>) batch.getObject(1));
                }
            }
            return new GeneratedKeysResultSet(this.context.plan.generatedKeysColumn(), keys.iterator(), this);
        }
        return (this.last != null) ? generatedKeys() : super.getGeneratedKeys();
    }

    /** The generated keys of the last execution, as ShardingSphere's statement answers them. */
    private ResultSet generatedKeys() throws SQLException {
        KeyGeneration keyGeneration = this.context.plan.keyGeneration();
        String column = this.context.plan.generatedKeysColumn();
        if (keyGeneration != null && keyGeneration.column() != null && this.context.options.returnGeneratedKeys()
                && !this.generatedValues.isEmpty()) {
            return new GeneratedKeysResultSet(column, this.generatedValues.iterator(), this);
        }
        try (ResultSet keys = this.last.getGeneratedKeys()) {
            while (keys.next()) {
                this.generatedValues.add((Comparable<?>) keys.getObject(1));
            }
        }
        return new GeneratedKeysResultSet(column, this.generatedValues.iterator(), this);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        // ShardingSphere's statements report no warnings.
        return (this.general != null) ? super.getWarnings() : null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        if (this.general != null) {
            super.clearWarnings();
        }
    }

    @Override
    public void cancel() throws SQLException {
        if (this.general != null) {
            super.cancel();
        }
        else if (this.last != null) {
            this.last.cancel();
        }
    }

    @Override
    public void close() throws SQLException {
        if (this.general != null) {
            super.close();
            return;
        }
        this.closed = true;
        closePhysical();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return (this.general != null) ? super.isClosed() : this.closed;
    }

    private void closePhysical() {
        this.physical.close();
        this.last = null;
    }

    @Override
    public String toString() {
        return "FastPathStatement[" + this.context.plan.sql() + "]";
    }

    // Statement settings ShardingSphere records and replays on every physical statement

    @Override
    public void setFetchSize(int rows) throws SQLException {
        if (this.general != null) {
            super.setFetchSize(rows);
            return;
        }
        this.physical.set((statement) -> statement.setFetchSize(rows));
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        if (this.general != null) {
            super.setMaxRows(max);
            return;
        }
        this.physical.set((statement) -> statement.setMaxRows(max));
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        if (this.general != null) {
            super.setLargeMaxRows(max);
            return;
        }
        this.physical.set((statement) -> statement.setLargeMaxRows(max));
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        if (this.general != null) {
            super.setQueryTimeout(seconds);
            return;
        }
        this.physical.set((statement) -> statement.setQueryTimeout(seconds));
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        if (this.general != null) {
            super.setEscapeProcessing(enable);
            return;
        }
        this.physical.set((statement) -> statement.setEscapeProcessing(enable));
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        if (this.general != null) {
            super.setFetchDirection(direction);
            return;
        }
        this.physical.set((statement) -> statement.setFetchDirection(direction));
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        if (this.general != null) {
            super.setPoolable(poolable);
            return;
        }
        this.physical.set((statement) -> statement.setPoolable(poolable));
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        if (this.general != null) {
            super.setMaxFieldSize(max);
            return;
        }
        this.physical.set((statement) -> statement.setMaxFieldSize(max));
    }

    // Parameters: the setters ShardingSphere's statement supports keep the value as it does; it refuses the others

    @Override
    public void clearParameters() throws SQLException {
        if (this.general != null) {
            super.clearParameters();
            return;
        }
        this.parameters.clear();
    }

    /**
     * Stores a parameter as ShardingSphere's statement does: by position, with {@code null} for any left unset before it.
     * @return whether it was stored here; {@code false} once ShardingSphere's statement has the parameters
     */
    private boolean stored(int index, Object value) {
        if (this.general != null) {
            return false;
        }
        while (this.parameters.size() < index) {
            this.parameters.add(null);
        }
        this.parameters.set(index - 1, value);
        return true;
    }

    /** What ShardingSphere's statement keeps of a character stream: the text, read at once. */
    private static String text(Reader reader) throws SQLException {
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[4096];
            for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
                text.append(buffer, 0, read);
            }
            return text.toString();
        }
        catch (IOException ex) {
            throw new SQLException("Cannot read the character stream of a parameter: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        if (!stored(parameterIndex, null)) {
            super.setNull(parameterIndex, sqlType);
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        if (!stored(parameterIndex, null)) {
            super.setNull(parameterIndex, sqlType, typeName);
        }
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBoolean(parameterIndex, x);
        }
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setByte(parameterIndex, x);
        }
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setShort(parameterIndex, x);
        }
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setInt(parameterIndex, x);
        }
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setLong(parameterIndex, x);
        }
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setFloat(parameterIndex, x);
        }
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setDouble(parameterIndex, x);
        }
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBigDecimal(parameterIndex, x);
        }
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setString(parameterIndex, x);
        }
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBytes(parameterIndex, x);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setDate(parameterIndex, x);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setDate(parameterIndex, x, cal);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setTime(parameterIndex, x);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setTime(parameterIndex, x, cal);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setTimestamp(parameterIndex, x);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setTimestamp(parameterIndex, x, cal);
        }
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBlob(parameterIndex, x);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        if (!stored(parameterIndex, inputStream)) {
            super.setBlob(parameterIndex, inputStream);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        if (!stored(parameterIndex, inputStream)) {
            super.setBlob(parameterIndex, inputStream, length);
        }
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setClob(parameterIndex, x);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        if (!stored(parameterIndex, reader)) {
            super.setClob(parameterIndex, reader);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        if (!stored(parameterIndex, reader)) {
            super.setClob(parameterIndex, reader, length);
        }
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setArray(parameterIndex, x);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setAsciiStream(parameterIndex, x);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setAsciiStream(parameterIndex, x, length);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setAsciiStream(parameterIndex, x, length);
        }
    }

    @Deprecated
    @Override
    @SuppressWarnings("deprecation")
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setUnicodeStream(parameterIndex, x, length);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBinaryStream(parameterIndex, x);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBinaryStream(parameterIndex, x, length);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setBinaryStream(parameterIndex, x, length);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        if (this.general != null) {
            super.setCharacterStream(parameterIndex, reader);
            return;
        }
        stored(parameterIndex, text(reader));
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        if (this.general != null) {
            super.setCharacterStream(parameterIndex, reader, length);
            return;
        }
        stored(parameterIndex, text(reader));
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        if (this.general != null) {
            super.setCharacterStream(parameterIndex, reader, length);
            return;
        }
        stored(parameterIndex, text(reader));
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setURL(parameterIndex, x);
        }
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        if (!stored(parameterIndex, xmlObject)) {
            super.setSQLXML(parameterIndex, xmlObject);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setObject(parameterIndex, x);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setObject(parameterIndex, x, targetSqlType);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        if (!stored(parameterIndex, x)) {
            super.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        }
    }

    /** The execution calls a fast-path statement runs on its physical statement. */
    enum PhysicalCall {

        QUERY, UPDATE, EXECUTE, LARGE_UPDATE;

        Object run(PreparedStatement statement) throws SQLException {
            return switch (this) {
                case QUERY -> statement.executeQuery();
                case UPDATE -> statement.executeUpdate();
                case EXECUTE -> statement.execute();
                case LARGE_UPDATE -> statement.executeLargeUpdate();
            };
        }

    }

    /**
     * What a fast-path statement works with.
     *
     * @param fastPath the data source's fast path
     * @param rules ShardingSphere's rules the statement runs by
     * @param connection the logical connection it runs on
     * @param logical the connection the application holds
     * @param plan how the text runs
     * @param create prepares ShardingSphere's own statement, should it be needed
     * @param options how the application asked for the statement
     * @param gate checks every execution
     * @param translation translates failures
     * @param listened what the listener (metrics) is told of the statement's executions, or {@code null}
     */
    record Context(FastPath fastPath, FastPath.Plans rules, LogicalConnection connection, Connection logical, FastPathPlan plan,
            FastPath.GeneralStatement create, PrepareOptions options, StatementGate gate, FailureTranslation translation,
            ListenedStatement listened) {
    }

}
