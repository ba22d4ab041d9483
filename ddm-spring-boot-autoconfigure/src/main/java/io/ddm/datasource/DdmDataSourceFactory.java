package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.ddm.config.DdmConfigurationException;
import io.ddm.algorithm.ShardingColumnTypes;
import io.ddm.config.DdmProperties;
import io.ddm.config.RuleConfigurationFactory;
import io.ddm.config.TopologyFactory;
import io.ddm.connection.ConnectionDetailsSources;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.PropertiesDdmConnectionDetails;
import io.ddm.fastpath.FastPath;
import io.ddm.health.CheckConnections;
import io.ddm.health.ServerProbe;
import io.ddm.keygen.DdmSequences;
import io.ddm.keygen.WorkerIdLease;
import io.ddm.keygen.WorkerIdSource;
import io.ddm.keygen.WorkerIdSources;
import io.ddm.replication.DdlReplicationWait;
import io.ddm.routing.ReadYourWrites;
import io.ddm.routing.health.PrimaryHealthMonitor;
import io.ddm.routing.health.ReplicaHealthMonitor;
import io.ddm.routing.health.ReplicaHealthSettings;
import io.ddm.routing.rotation.ReadRotationHolder;
import io.ddm.routing.rotation.ReadRoutingCheck;
import io.ddm.segment.SegmentTableCreator;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;
import io.ddm.placement.LivePlacement;
import io.ddm.placement.PlacementWatcher;
import io.ddm.move.MoveRecovery;
import org.apache.shardingsphere.driver.api.ShardingSphereDataSourceFactory;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.config.mode.ModeConfiguration;
import org.apache.shardingsphere.infra.config.rule.RuleConfiguration;
import org.apache.shardingsphere.mode.repository.standalone.StandalonePersistRepositoryConfiguration;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link DdmDataSource} from {@link DdmProperties} and the {@link DdmConnectionDetails} naming its
 * servers: validates the whole configuration, creates missing shard databases when asked, opens every physical
 * pool (with one connection each until started), creates the tables of added range segments, leases a snowflake
 * worker id and starts ShardingSphere. Any failure closes whatever was opened: there is never a half-started topology.
 */
public final class DdmDataSourceFactory {

    private static final Logger logger = LoggerFactory.getLogger(DdmDataSourceFactory.class);

    private DdmDataSourceFactory() {
    }

    /**
     * Creates the logical data source.
     * @param properties the bound properties
     * @return the data source
     * @throws io.ddm.config.DdmConfigurationException for a configuration that cannot work
     * @throws NodeUnavailableException when a server is unreachable or lacks a shard database
     * @throws SQLException when ShardingSphere fails to start
     */
    public static DdmDataSource create(DdmProperties properties) throws SQLException {
        return create(properties, new PropertiesDdmConnectionDetails(properties));
    }

    /**
     * Creates the logical data source on the servers the connection details name; pools, weights, shards and tables
     * come from the properties.
     * @param properties the bound properties
     * @param connectionDetails where the servers are
     * @return the data source
     * @throws io.ddm.config.DdmConfigurationException for a configuration that cannot work
     * @throws NodeUnavailableException when a server is unreachable or lacks a shard database
     * @throws SQLException when ShardingSphere fails to start
     */
    public static DdmDataSource create(DdmProperties properties, DdmConnectionDetails connectionDetails) throws SQLException {
        Topology configured = TopologyFactory.create(properties, connectionDetails);
        if (!(connectionDetails instanceof PropertiesDdmConnectionDetails)) {
            logger.info("DDM servers from connection details ({}): {}", ConnectionDetailsSources.describe(connectionDetails),
                    servers(configured));
        }
        if (properties.isCreateShardDatabases()) {
            ShardDatabaseCreator.createMissing(configured);
        }
        MoveRecovery.recover(configured, properties.getPrimaryHealth().getTimeout());
        LivePlacement placement = LivePlacement.resolve(configured, properties.getPrimaryHealth().getTimeout());
        Topology topology = configured.withPlacement(placement.current());
        Duration replicationWaitTimeout = properties.getReadWriteSplitting().getReplicationWaitTimeout();
        Duration leaseCheckInterval = properties.getKeyGenerator().getLeaseCheckInterval();
        PhysicalDataSources physical = PhysicalDataSources.open(topology);
        WorkerIdSources.Registration workerIds = null;
        DdmSequences sequences = null;
        ReadRotationHolder rotation = null;
        ShardingColumnTypes columnTypes = null;
        DataSource shardingSphere = null;
        CheckConnections checks = null;
        ShardingColumnCheck.Running columnCheck = null;
        WorkerIdSource workerIdSource;
        try {
            SegmentTableCreator.createMissing(topology, physical, ShardDatabaseCreator.REPLICATION_WAIT);
            // Reads each sharded table's columns from its first physical table while ShardingSphere loads its metadata.
            columnCheck = ShardingColumnCheck.start(topology, physical);
            workerIdSource = workerIdSource(properties, topology, leaseCheckInterval);
            workerIds = WorkerIdSources.register(workerIdSource);
            sequences = sequences(properties, topology, placement::current);
            rotation = ReadRotationHolder.register(topology.schema());
            columnTypes = ShardingColumnTypes.register(topology.schema());
            Collection<RuleConfiguration> rules = RuleConfigurationFactory.create(topology, workerIds.key(), rotation.id(),
                    columnTypes.id(), sequences.names().isEmpty() ? null : sequences.key());
            Properties props = new Properties();
            props.putAll(properties.getProps());
            shardingSphere = ShardingSphereDataSourceFactory.createDataSource(topology.schema(), modeConfiguration(topology),
                    physical.byName(), rules, props);
            columnCheck.await();
            columnTypes.bind(LogicalColumnKinds.of(shardingSphere, topology.schema()));
            checks = new CheckConnections(topology, physical);
        }
        catch (SQLException | RuntimeException ex) {
            // A sharding column that does not fit its algorithm is the failure to report, whatever else failed meanwhile.
            Exception reported = (columnCheck != null) ? columnCheck.reported(ex) : ex;
            closeAll(reported, checks, shardingSphere, physical, workerIds, sequences, rotation, columnTypes);
            if (reported instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) reported;
        }
        DdmDataSource result = new DdmDataSource(shardingSphere, topology, physical, workerIdSource::currentWorkerId, workerIds,
                checks, rotation, columnTypes);
        result.setSequences(sequences);
        result.setPlacement(placement);
        if (properties.getFastPath().isEnabled()) {
            result.setFastPath(new FastPath(properties.getFastPath().getCacheSize()));
        }
        if (workerIdSource instanceof WorkerIdLease lease) {
            // The lock follows the default shard when a move switches it to another node.
            placement.onChange((version) -> lease.moveTo(topology.node(version.placement().nodeOf(topology.defaultShard())).primary()));
        }
        try {
            start(result, properties, shardingSphere, rotation, replicationWaitTimeout);
        }
        catch (RuntimeException ex) {
            result.close();
            throw ex;
        }
        // Started: the pools may now open their idle connections, which nothing needed before the first statement.
        physical.fillToMinimumIdle();
        logger.info("DDM logical database '{}': {} shards on {} nodes, placement {}", topology.schema(), topology.shards(),
                topology.nodes().size(), topology.placement());
        return result;
    }

    /** The servers for the log: {@code ds0 127.0.0.1:3311 (replicas ds0-r0 127.0.0.1:3312); ds1 ...}. */
    private static String servers(Topology topology) {
        List<String> nodes = new ArrayList<>();
        for (Node node : topology.nodes()) {
            StringBuilder text = new StringBuilder(node.name()).append(' ').append(JdbcUrls.hostAndPort(node.primary().url()));
            if (!node.replicas().isEmpty()) {
                text.append(" (replicas");
                node.replicas().forEach((replica) -> text.append(' ').append(replica.name()).append(' ')
                    .append(JdbcUrls.hostAndPort(replica.url())));
                text.append(')');
            }
            nodes.add(text.toString());
        }
        return String.join("; ", nodes);
    }

    /**
     * Verifies DDM's seam into ShardingSphere's read routing, then starts the monitors, read-your-writes and the wait
     * for replicas after DDL.
     */
    private static void start(DdmDataSource result, DdmProperties properties, DataSource shardingSphere, ReadRotationHolder rotation,
            Duration replicationWaitTimeout) {
        Topology topology = result.getTopology();
        PhysicalDataSources physical = result.getPhysicalDataSources();
        boolean replicated = topology.nodes().stream().anyMatch((node) -> !node.replicas().isEmpty());
        if (replicated) {
            ReadRoutingCheck.verify(readWriteSplittingRules(shardingSphere, topology.schema()), topology, rotation);
        }
        checkSpareNodes(topology, physical, result.getCheckConnections(), properties.getPrimaryHealth().getTimeout(),
                properties.getPrimaryHealth().isEnabled());
        if (properties.getPrimaryHealth().isEnabled()) {
            result.setPrimaryMonitor(new PrimaryHealthMonitor(topology, physical, result.getCheckConnections(),
                    properties.getPrimaryHealth().getInterval(), properties.getPrimaryHealth().getTimeout()).start());
        }
        Duration readYourWrites = properties.getReadWriteSplitting().getReadYourWritesWindow();
        if (replicated && readYourWrites != null) {
            List<String> primaries = physical.pools().stream()
                .filter((pool) -> pool.server().role() == Server.Role.PRIMARY)
                .map(PhysicalPool::dataSourceName)
                .toList();
            result.setReadYourWrites(ReadYourWrites.register(primaries, readYourWrites));
        }
        if (properties.getReadWriteSplitting().getHealth().isEnabled() && replicated) {
            result.setReplicaMonitor(new ReplicaHealthMonitor(topology, physical, result.getCheckConnections(),
                    ReplicaHealthSettings.of(properties.getReadWriteSplitting()), rotation).start());
        }
        if (replicated) {
            result.setDdlReplicationWait(DdlReplicationWait.register(topology, physical, replicationWaitTimeout));
        }
        boolean recordable = topology.nodes().stream().map((node) -> node.primary().url())
            .anyMatch((url) -> url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:"));
        if (recordable) {
            ShardRedirector redirector = new ShardRedirector(topology, physical);
            result.setPlacementWatcher(new PlacementWatcher(topology, result.getPlacement(),
                    properties.getMoves().getPlacementCheckInterval(), properties.getHealth().getTimeout(),
                    (newer) -> redirector.follow(result.getPlacement(), newer)));
        }
    }

    /**
     * A node that holds no shard opens no pool, so startup has not reached its servers: they are checked once here, and
     * one that does not answer is a warning, not a failed startup, since nothing routes to the node. A primary found
     * down is recorded down, as its monitor would (which then logs when it answers).
     */
    private static void checkSpareNodes(Topology topology, PhysicalDataSources physical, CheckConnections checks, Duration timeout,
            boolean recordPrimaries) {
        List<Server> servers = new ArrayList<>();
        for (Node node : topology.nodes()) {
            if (topology.placement().shardsOn(node.name()).isEmpty()) {
                servers.add(node.primary());
                servers.addAll(node.replicas());
            }
        }
        if (servers.isEmpty()) {
            return;
        }
        Map<String, List<String>> downByNode = new LinkedHashMap<>();
        new ServerProbe(checks, physical, timeout).probe(servers).forEach((server, state) -> {
            if (!state.up()) {
                downByNode.computeIfAbsent(server.node(), (node) -> new ArrayList<>())
                    .add(Failures.describe(server) + ": " + state.error());
                if (recordPrimaries && server.role() == Server.Role.PRIMARY) {
                    physical.availability(server.name()).markDown(state.error());
                }
            }
        });
        downByNode.forEach((node, down) -> logger.warn("Node '{}' of '{}' holds no shard and does not answer: {}. DDM starts"
                + " without it since nothing routes to it; its health shows it until it answers.", node, topology.schema(),
                String.join("; ", down)));
    }

    /** Closes what a failed start had opened, in reverse order, keeping the first failure as the one thrown. */
    private static void closeAll(Exception failure, Object... opened) {
        for (Object each : opened) {
            if (each instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                }
                catch (Exception ex) {
                    failure.addSuppressed(ex);
                }
            }
        }
    }

    /**
     * The read/write-splitting rules as ShardingSphere holds them, reached through a logical connection (which opens
     * no physical one).
     */
    private static Collection<ReadwriteSplittingRule> readWriteSplittingRules(DataSource shardingSphere, String schema) {
        try (Connection connection = shardingSphere.getConnection()) {
            return connection.unwrap(ShardingSphereConnection.class).getContextManager().getMetaDataContexts().getMetaData()
                .getDatabase(schema).getRuleMetaData().findRules(ReadwriteSplittingRule.class);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the read/write-splitting rules of '" + schema + "' from ShardingSphere", ex);
        }
    }

    /**
     * The sequences of the tables with {@code key-generator.type: sequence}, in table {@code _ddm_sequence} of the
     * default shard database, created (with a row per sequence) before ShardingSphere starts. Their server is looked
     * up from the topology's placement before every reservation.
     */
    private static DdmSequences sequences(DdmProperties properties, Topology topology, Supplier<ShardPlacement> placementOf) {
        Map<String, String> columns = new LinkedHashMap<>();
        topology.tables().values().stream().filter((table) -> "SEQUENCE".equals(table.keyGeneratorType()))
            .forEach((table) -> columns.put(table.name(), table.keyGeneratorColumn()));
        if (columns.isEmpty()) {
            return DdmSequences.none();
        }
        DdmProperties.SequenceSettings settings = properties.getKeyGenerator().getSequence();
        // Looked up before every reservation: it follows the default shard when a move switches it to another node.
        Supplier<Server> server = () -> topology.node(placementOf.get().nodeOf(topology.defaultShard())).primary();
        try {
            return DdmSequences.create(server, topology.defaultShardDatabase(), columns, settings.getBlockSize(), settings.getTimeout());
        }
        catch (SQLException ex) {
            String table = columns.keySet().iterator().next();
            DdmConfigurationException failure = new DdmConfigurationException("ddm.tables." + table + ".key-generator.type",
                    "is sequence, but the sequence table _ddm_sequence cannot be created in '" + topology.defaultShardDatabase()
                            + "' on " + Failures.describe(server.get()) + ": " + Failures.describe(ex),
                    "Let DDM's user create and update tables in the default shard database on that server, or choose"
                            + " key-generator.type snowflake for the tables " + columns.keySet() + ".");
            failure.initCause(ex);
            throw failure;
        }
    }

    private static boolean usesSnowflake(Topology topology) {
        return topology.tables().values().stream().map(TableLayout::keyGeneratorType).anyMatch("SNOWFLAKE"::equals);
    }

    /**
     * The worker id of snowflake keys: the configured one, else a lease on the default shard's primary (moved with the
     * default shard, {@link WorkerIdLease#moveTo}). A server
     * that cannot grant a lease fails the startup: an id that other instances may share would let them issue the
     * same keys. Only H2 (tests, demos), which has no named locks, gets an id derived from host and process.
     */
    private static WorkerIdSource workerIdSource(DdmProperties properties, Topology topology, Duration checkInterval) {
        if (properties.getKeyGenerator().getWorkerId() != null) {
            return WorkerIdSource.fixed(properties.getKeyGenerator().getWorkerId());
        }
        if (!usesSnowflake(topology)) {
            return WorkerIdSource.fixed(0);
        }
        Server server = topology.node(topology.placement().nodeOf(topology.defaultShard())).primary();
        if (server.url().startsWith("jdbc:h2:")) {
            int derived = WorkerIdLease.derived();
            logger.warn("H2 has no named locks to lease a snowflake worker id on {}; using {}, derived from host and process id,"
                    + " which another instance may share with probability 1/1024. Set ddm.key-generator.worker-id to be sure.",
                    Failures.describe(server), derived);
            return WorkerIdSource.fixed(derived);
        }
        try {
            return WorkerIdLease.acquire(server, topology.schema(), checkInterval);
        }
        catch (SQLException ex) {
            DdmConfigurationException failure = new DdmConfigurationException("ddm.key-generator.worker-id",
                    "is not set, and no snowflake worker id can be leased on " + Failures.describe(server) + ": " + Failures.describe(ex),
                    "Fix that server so that DDM can take a MySQL named lock (GET_LOCK) on it, or set ddm.key-generator.worker-id to"
                            + " an id (0-1023) that no other running instance of this application uses.");
            failure.initCause(ex);
            throw failure;
        }
    }

    /**
     * ShardingSphere's standalone mode keeps its metadata in an in-memory H2 database; each logical data source
     * gets its own, so that several in one JVM (tests, multi-tenant apps) never see each other's metadata.
     */
    private static ModeConfiguration modeConfiguration(Topology topology) {
        Properties props = new Properties();
        props.setProperty("provider", "H2");
        props.setProperty("jdbc_url", "jdbc:h2:mem:ddm_" + topology.schema() + "_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=0;DATABASE_TO_UPPER=false;MODE=MYSQL");
        return new ModeConfiguration("Standalone", new StandalonePersistRepositoryConfiguration("JDBC", props));
    }

}
