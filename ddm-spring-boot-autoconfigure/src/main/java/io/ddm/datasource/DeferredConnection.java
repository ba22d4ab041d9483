package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ddm.fastpath.LogicalConnection;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.datasource.pool.CatalogSwitchableDataSource;
import org.apache.shardingsphere.infra.executor.sql.execute.engine.ConnectionMode;
import org.apache.shardingsphere.mode.manager.ContextManager;

/**
 * The logical connection behind a {@link DdmConnection}: ShardingSphere's own, opened the first time something needs
 * it. Creating ShardingSphere's connection registers a process and maps every storage unit, and closing it unregisters
 * them: work a connection that only runs fast-path statements does not need. Until it opens, auto-commit is on, and the
 * fast path's executions hold their physical connections here, one per data source, as ShardingSphere's connection
 * manager would; when it opens, they are {@link ConnectionHandOver handed} to its connection manager, so that a
 * transaction begun now uses them and statements still open on them stay open. Its state is guarded by its lock, as
 * ShardingSphere's connection manager guards its cache, for applications that share a connection between threads.
 */
final class DeferredConnection implements LogicalConnection {

    private final ContextManager contextManager;

    private final String databaseName;

    private final Opener opener;

    private Connection opened;

    private Map<String, Connection> held;

    private boolean closed;

    private DeferredConnection(ContextManager contextManager, String databaseName, Opener opener, Connection opened) {
        this.contextManager = contextManager;
        this.databaseName = databaseName;
        this.opener = opener;
        this.opened = opened;
    }

    /**
     * A logical connection that opens ShardingSphere's when it is first needed.
     * @param contextManager ShardingSphere's runtime
     * @param databaseName the logical database
     * @param opener opens ShardingSphere's connection
     * @return the connection
     */
    static DeferredConnection deferred(ContextManager contextManager, String databaseName, Opener opener) {
        return new DeferredConnection(contextManager, databaseName, opener, null);
    }

    /**
     * A logical connection that is open already, for a data source without the fast path.
     * @param connection the connection
     * @return the logical connection
     */
    static DeferredConnection opened(Connection connection) {
        return new DeferredConnection(null, null, null, connection);
    }

    /**
     * Whether the fast path can run statements on this connection: it will be ShardingSphere's.
     * @return whether it can
     */
    boolean takesFastPath() {
        return this.contextManager != null;
    }

    @Override
    public ContextManager contextManager() {
        return this.contextManager;
    }

    @Override
    public String databaseName() {
        return this.databaseName;
    }

    @Override
    public synchronized ShardingSphereConnection openedOrNull() {
        return (this.opened instanceof ShardingSphereConnection shardingSphere) ? shardingSphere : null;
    }

    @Override
    public synchronized Connection held(String dataSource) throws SQLException {
        if (this.closed) {
            throw new SQLException("The connection is closed.", "08003");
        }
        Connection result = (this.held != null) ? this.held.get(dataSource) : null;
        if (result == null) {
            result = borrow(dataSource);
            if (this.held == null) {
                this.held = new LinkedHashMap<>(4);
            }
            this.held.put(dataSource, result);
        }
        return result;
    }

    /**
     * The connection every call but a fast-path statement works on, opened now if it is not yet, with the physical
     * connections held so far handed to it.
     * @return the open connection
     * @throws SQLException when ShardingSphere's connection cannot be opened
     */
    synchronized Connection open() throws SQLException {
        if (this.opened != null) {
            return this.opened;
        }
        if (this.closed) {
            throw new SQLException("The connection is closed.", "08003");
        }
        Connection connection = this.opener.open();
        try {
            handOver(connection.unwrap(ShardingSphereConnection.class));
        }
        catch (SQLException | RuntimeException ex) {
            closeQuietly(connection);
            throw ex;
        }
        this.opened = connection;
        return connection;
    }

    /**
     * Whether auto-commit is on; without ShardingSphere's connection it always is.
     * @return the auto-commit mode
     * @throws SQLException as ShardingSphere's connection throws it
     */
    synchronized boolean getAutoCommit() throws SQLException {
        return (this.opened == null) || this.opened.getAutoCommit();
    }

    synchronized boolean isClosed() throws SQLException {
        return (this.opened != null) ? this.opened.isClosed() : this.closed;
    }

    /**
     * Closes ShardingSphere's connection, or returns the physical connections held without it to their pools.
     * @throws SQLException the first failure to close one; the others are closed still
     */
    synchronized void close() throws SQLException {
        this.closed = true;
        if (this.opened != null) {
            this.opened.close();
            return;
        }
        if (this.held == null) {
            return;
        }
        SQLException failure = null;
        for (Connection each : this.held.values()) {
            try {
                each.close();
            }
            catch (SQLException ex) {
                if (failure == null) {
                    failure = ex;
                }
                else {
                    failure.addSuppressed(ex);
                }
            }
        }
        this.held = null;
        if (failure != null) {
            throw failure;
        }
    }

    private void handOver(ShardingSphereConnection connection) throws SQLException {
        if (this.held == null) {
            return;
        }
        List<Map.Entry<String, Connection>> handing = new ArrayList<>(this.held.entrySet());
        this.held = null;
        for (int i = 0; i < handing.size(); i++) {
            String dataSource = handing.get(i).getKey();
            Connection physical = handing.get(i).getValue();
            boolean taken;
            try {
                taken = pool(dataSource) instanceof ServerDataSource pool && ConnectionHandOver.run(pool, physical,
                        () -> connection.getDatabaseConnectionManager().getConnections(this.databaseName, dataSource, 0, 1,
                                ConnectionMode.MEMORY_STRICTLY));
            }
            catch (SQLException | RuntimeException ex) {
                // Those handed over already close with ShardingSphere's connection; the others go back to their pools.
                handing.subList(i, handing.size()).forEach((each) -> closeQuietly(each.getValue()));
                throw ex;
            }
            if (!taken) {
                // Auto-commit was on: the connection holds no transaction, and ShardingSphere borrows its own when needed.
                closeQuietly(physical);
            }
        }
    }

    /** A connection of a storage unit, taken as ShardingSphere's connection manager takes it. */
    private Connection borrow(String dataSource) throws SQLException {
        DataSource storageUnit = storageUnit(dataSource);
        if (storageUnit instanceof CatalogSwitchableDataSource switchable && switchable.getDataSource() instanceof ServerDataSource pool) {
            // The storage unit sets the pool's database on the connection; the pool does that only where it can change anything.
            return pool.getConnectionOnDatabase();
        }
        return storageUnit.getConnection();
    }

    private DataSource storageUnit(String dataSource) {
        return this.contextManager.getStorageUnits(this.databaseName).get(dataSource).getDataSource();
    }

    private DataSource pool(String dataSource) {
        DataSource storageUnit = storageUnit(dataSource);
        return (storageUnit instanceof CatalogSwitchableDataSource switchable) ? switchable.getDataSource() : storageUnit;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        }
        catch (SQLException ex) {
            // Its pool evicts a connection that cannot be closed.
        }
    }

    /** Opens ShardingSphere's logical connection. */
    @FunctionalInterface
    interface Opener {

        Connection open() throws SQLException;

    }

}
