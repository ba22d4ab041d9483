package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.ddm.datasource.StatementListener.ListenedStatement;
import io.ddm.jdbc.DelegatingStatement;

/**
 * A plain statement of a {@link DdmConnection}: each {@code execute*} call and {@code addBatch} passes the gate with the
 * text it gives, each execution is told to the listener, and every failure of ShardingSphere's statement passes the
 * translation. {@code getConnection()} returns the application's connection.
 */
final class DdmStatement extends DelegatingStatement<Statement> {

    private final Statement target;

    private final DdmConnection connection;

    private final ListenedStatement listened;

    DdmStatement(Statement target, DdmConnection connection, ListenedStatement listened) {
        this.target = target;
        this.connection = connection;
        this.listened = listened;
    }

    @Override
    protected Statement target() {
        return this.target;
    }

    @Override
    protected SQLException failed(SQLException failure) {
        return this.connection.translate(failure);
    }

    @Override
    protected <R> R execution(String sql, boolean batch, Execution<R> call) throws SQLException {
        return this.connection.execute(sql, sql, batch, this.listened, call);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        this.connection.check(sql);
        try {
            if (this.listened != null) {
                this.listened.batchAdded(sql);
            }
            this.target.addBatch(sql);
        }
        catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        if (this.listened != null) {
            this.listened.batchCleared();
        }
        super.clearBatch();
    }

    @Override
    public Connection getConnection() {
        return this.connection;
    }

}
