package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import io.ddm.algorithm.ShardingColumnTypes;
import io.ddm.fastpath.FastPath;
import io.ddm.health.CheckConnections;
import io.ddm.keygen.DdmSequences;
import io.ddm.placement.LivePlacement;
import io.ddm.placement.PlacementWatcher;
import io.ddm.routing.health.PrimaryHealthMonitor;
import io.ddm.routing.health.ReplicaHealthMonitor;
import io.ddm.routing.rotation.ReadRotationHolder;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.mode.manager.ContextManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The logical DataSource: one MySQL database as the application sees it, backed by ShardingSphere over the
 * physical pools of every shard. Exposes the topology and the pools for inspection (actuator endpoint, health,
 * metrics) and closes everything it opened.
 */
public class DdmDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DdmDataSource.class);

    private final Topology topology;

    private final PhysicalDataSources physicalDataSources;

    private final IntSupplier workerId;

    private final AutoCloseable workerIdLease;

    private final CheckConnections checkConnections;

    private final ReadRotationHolder readRotation;

    private final ShardingColumnTypes columnTypes;

    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile UnaryOperator<Connection> connectionDecorator;

    private volatile StatementListener statementListener;

    private volatile StatementGate statementGate = StatementGate.OPEN;

    private volatile FailureTranslation failureTranslation = FailureTranslation.NONE;

    private volatile FastPath fastPath;

    /** ShardingSphere's runtime, read from its first connection. */
    private volatile ContextManager contextManager;

    private volatile ReplicaHealthMonitor replicaMonitor;

    private volatile PrimaryHealthMonitor primaryMonitor;

    private volatile AutoCloseable readYourWrites;

    private volatile AutoCloseable ddlReplicationWait;

    private volatile DdmSequences sequences = DdmSequences.none();

    private volatile LivePlacement placement;

    private volatile PlacementWatcher placementWatcher;

    DdmDataSource(DataSource shardingSphereDataSource, Topology topology, PhysicalDataSources physicalDataSources,
            IntSupplier workerId, AutoCloseable workerIdLease, CheckConnections checkConnections, ReadRotationHolder readRotation,
            ShardingColumnTypes columnTypes) {
        super(shardingSphereDataSource);
        this.topology = topology;
        this.physicalDataSources = physicalDataSources;
        this.workerId = workerId;
        this.workerIdLease = workerIdLease;
        this.checkConnections = checkConnections;
        this.readRotation = readRotation;
        this.columnTypes = columnTypes;
        this.placement = LivePlacement.configured(topology.placement());
    }

    void setPlacementWatcher(PlacementWatcher placementWatcher) {
        this.placementWatcher = placementWatcher;
    }

    /**
     * Reads the placement the servers record now, instead of at the next scheduled check, and follows a newer version
     * that another instance recorded. Does nothing for data sources that record no placement.
     */
    public void checkPlacement() {
        PlacementWatcher watcher = this.placementWatcher;
        if (watcher != null) {
            watcher.check();
        }
    }

    void setPlacement(LivePlacement placement) {
        this.placement = placement;
    }

    /**
     * Where the shards are served from now, and where the configuration puts them: they differ once a shard moved.
     * @return the placement
     */
    public LivePlacement getPlacement() {
        return this.placement;
    }

    void setReplicaMonitor(ReplicaHealthMonitor replicaMonitor) {
        this.replicaMonitor = replicaMonitor;
    }

    void setPrimaryMonitor(PrimaryHealthMonitor primaryMonitor) {
        this.primaryMonitor = primaryMonitor;
    }

    void setReadYourWrites(AutoCloseable readYourWrites) {
        this.readYourWrites = readYourWrites;
    }

    void setDdlReplicationWait(AutoCloseable ddlReplicationWait) {
        this.ddlReplicationWait = ddlReplicationWait;
    }

    void setSequences(DdmSequences sequences) {
        this.sequences = sequences;
    }

    /**
     * The sequences of the tables with {@code key-generator.type: sequence}: their positions, and moving them forward.
     * @return the sequences, empty when no table uses one
     */
    public DdmSequences getSequences() {
        return this.sequences;
    }

    /**
     * The monitor that records which primaries are down, so that statements for their shards fail at once.
     * @return the monitor, empty with {@code ddm.primary-health.enabled=false}
     */
    public Optional<PrimaryHealthMonitor> getPrimaryMonitor() {
        return Optional.ofNullable(this.primaryMonitor);
    }

    /**
     * The monitor that keeps failing and lagging replicas out of the read rotation, with each replica's state.
     * @return the monitor, empty without replicas or with {@code ddm.read-write-splitting.health.enabled=false}
     */
    public Optional<ReplicaHealthMonitor> getReplicaMonitor() {
        return Optional.ofNullable(this.replicaMonitor);
    }

    /**
     * The check connections of the servers, one per server outside the pools, shared by every check of them.
     * @return the check connections
     */
    public CheckConnections getCheckConnections() {
        return this.checkConnections;
    }

    /**
     * The kinds of the logical tables' columns, as DDM's sharding algorithms see them.
     * @return the column kinds
     */
    public ShardingColumnTypes getShardingColumnTypes() {
        return this.columnTypes;
    }

    /**
     * Which replicas take reads, as DDM's load balancer routes them now.
     * @return the read rotation
     */
    public ReadRotationHolder getReadRotation() {
        return this.readRotation;
    }

    /**
     * The topology this data source routes over.
     * @return the topology
     */
    public Topology getTopology() {
        return this.topology;
    }

    /**
     * The physical pools, one per shard database per server.
     * @return the pools
     */
    public PhysicalDataSources getPhysicalDataSources() {
        return this.physicalDataSources;
    }

    /**
     * The snowflake worker id this instance issues keys with now. A leased id can change while the application
     * runs: after its lease was lost, another free id may be leased.
     * @return worker id, or {@code -1} while no lease is held
     */
    public int getWorkerId() {
        return this.workerId.getAsInt();
    }

    /**
     * Sets what wraps every connection handed out, e.g. a tracing proxy of the application's own. DDM's metrics need
     * none: they are a {@linkplain #setStatementListener statement listener}. Without a decorator the connections are
     * returned as DDM makes them.
     * @param connectionDecorator wraps a logical connection, or {@code null} for none
     */
    public void setConnectionDecorator(UnaryOperator<Connection> connectionDecorator) {
        this.connectionDecorator = connectionDecorator;
    }

    /**
     * Sets what is told of every statement the application runs, e.g. to time it ({@code io.ddm.metrics}). Unlike a
     * {@linkplain #setConnectionDecorator decorator} it adds no wrapper: DDM's own connection and statements tell it.
     * @param statementListener the listener, or {@code null} for none
     */
    public void setStatementListener(StatementListener statementListener) {
        this.statementListener = statementListener;
    }

    /**
     * What is told of every statement the application runs.
     * @return the listener, or {@code null} for none
     */
    public StatementListener getStatementListener() {
        return this.statementListener;
    }

    /**
     * Sets what checks every logical statement before it runs, and may refuse it (e.g. DDL while a shard moves).
     * @param statementGate the gate, or {@code null} for none
     */
    public void setStatementGate(StatementGate statementGate) {
        this.statementGate = (statementGate != null) ? statementGate : StatementGate.OPEN;
    }

    /**
     * Sets what turns the failure of a logical statement into one that says what happened (e.g. that another instance
     * moved the shard).
     * @param failureTranslation the translation, or {@code null} for none
     */
    public void setFailureTranslation(FailureTranslation failureTranslation) {
        this.failureTranslation = (failureTranslation != null) ? failureTranslation : FailureTranslation.NONE;
    }

    /**
     * Sets the fast path that runs prepared statements whose route their parameters decide on the owning shard directly.
     * @param fastPath the fast path, or {@code null} to send every statement through ShardingSphere
     */
    public void setFastPath(FastPath fastPath) {
        this.fastPath = fastPath;
    }

    /**
     * The fast path ({@code ddm.fast-path.enabled}).
     * @return the fast path, empty when it is off
     */
    public Optional<FastPath> getFastPath() {
        return Optional.ofNullable(this.fastPath);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return decorate(guard(super::getConnection));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return decorate(guard(() -> super.getConnection(username, password)));
    }

    /**
     * ShardingSphere's logical connection, guarded and listened to ({@link DdmConnection}); with the fast path on, it is
     * opened only when something needs it ({@link DeferredConnection}).
     */
    private Connection guard(DeferredConnection.Opener shardingSphere) throws SQLException {
        StatementGate gate = this.statementGate;
        FailureTranslation translation = this.failureTranslation;
        StatementListener listener = this.statementListener;
        FastPath fast = this.fastPath;
        if (fast != null) {
            return DdmConnection.deferred(DeferredConnection.deferred(contextManager(), this.topology.schema(), shardingSphere), gate,
                    translation, fast, listener);
        }
        Connection connection = shardingSphere.open();
        if (gate == StatementGate.OPEN && translation == FailureTranslation.NONE && listener == null) {
            return connection;
        }
        return DdmConnection.opened(connection, gate, translation, listener);
    }

    /** ShardingSphere's runtime, read once from one of its connections. */
    private ContextManager contextManager() throws SQLException {
        ContextManager result = this.contextManager;
        if (result == null) {
            try (Connection connection = super.getConnection()) {
                result = connection.unwrap(ShardingSphereConnection.class).getContextManager();
            }
            this.contextManager = result;
        }
        return result;
    }

    private Connection decorate(Connection connection) throws SQLException {
        UnaryOperator<Connection> decorator = this.connectionDecorator;
        if (decorator == null) {
            return connection;
        }
        try {
            return decorator.apply(connection);
        }
        catch (RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    @Override
    public void close() {
        if (!this.closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(this.placementWatcher, "the placement watcher");
        closeQuietly(this.readYourWrites, "read-your-writes");
        closeQuietly(this.ddlReplicationWait, "the DDL replication wait");
        closeQuietly(this.primaryMonitor, "the primary checks");
        closeQuietly(this.replicaMonitor, "the replica checks");
        try {
            if (getTargetDataSource() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        catch (Exception ex) {
            logger.warn("Closing the ShardingSphere data source failed", ex);
        }
        closeQuietly(this.checkConnections, "the check connections");
        this.physicalDataSources.close();
        closeQuietly(this.workerIdLease, "the worker id lease");
        closeQuietly(this.sequences, "the sequences");
        closeQuietly(this.readRotation, "the read rotation");
        closeQuietly(this.columnTypes, "the sharding column types");
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (Exception ex) {
            logger.debug("Closing {} failed", what, ex);
        }
    }

    @Override
    public String toString() {
        return "DdmDataSource[schema=" + this.topology.schema() + ", shards=" + this.topology.shards() + ", placement="
                + this.placement.current() + "]";
    }

}
