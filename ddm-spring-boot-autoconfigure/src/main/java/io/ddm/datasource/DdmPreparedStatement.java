package io.ddm.datasource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.ddm.datasource.StatementListener.ListenedStatement;
import io.ddm.jdbc.DelegatingPreparedStatement;

/**
 * A prepared statement of a {@link DdmConnection} that ShardingSphere runs: each {@code execute*} call and
 * {@code addBatch} passes the gate with the prepared text (or the text the call gives), each execution is told to the
 * listener, and every failure of ShardingSphere's statement passes the translation. {@code getConnection()} returns the
 * application's connection.
 */
final class DdmPreparedStatement extends DelegatingPreparedStatement<PreparedStatement> {

    private final PreparedStatement target;

    private final DdmConnection connection;

    private final String sql;

    private final ListenedStatement listened;

    /**
     * Guards ShardingSphere's prepared statement.
     * @param target ShardingSphere's statement
     * @param connection the application's connection
     * @param sql the prepared text
     * @param listened what the listener is told, or {@code null} when the statement's executions are told elsewhere (the
     * fast path's statement tells those it hands over)
     */
    DdmPreparedStatement(PreparedStatement target, DdmConnection connection, String sql, ListenedStatement listened) {
        this.target = target;
        this.connection = connection;
        this.sql = sql;
        this.listened = listened;
    }

    @Override
    protected PreparedStatement target() {
        return this.target;
    }

    @Override
    protected SQLException failed(SQLException failure) {
        return this.connection.translate(failure);
    }

    @Override
    protected <R> R execution(String sql, boolean batch, Execution<R> call) throws SQLException {
        return this.connection.execute((sql != null) ? sql : this.sql, sql, batch, this.listened, call);
    }

    @Override
    public void addBatch() throws SQLException {
        if (this.sql != null) {
            this.connection.check(this.sql);
        }
        try {
            this.target.addBatch();
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        this.connection.check(sql);
        try {
            this.target.addBatch(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public Connection getConnection() {
        return this.connection;
    }

}
