package io.ddm.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.ddm.datasource.DdmDataSource;
import io.ddm.move.MoveDescriptor;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;
import io.ddm.placement.LivePlacement;
import io.ddm.topology.ShardPlacement;
import io.ddm.datasource.PhysicalPool;
import io.ddm.endpoint.TableDescriptor.FillDescriptor;
import io.ddm.endpoint.TableDescriptor.SegmentDescriptor;
import io.ddm.endpoint.TableDescriptor.SegmentsDescriptor;
import io.ddm.endpoint.TableDescriptor.StrategyDescriptor;
import io.ddm.endpoint.TopologyDescriptor.KeyGeneratorDescriptor;
import io.ddm.endpoint.TopologyDescriptor.NodeDescriptor;
import io.ddm.endpoint.TopologyDescriptor.PoolDescriptor;
import io.ddm.endpoint.TopologyDescriptor.ReadWriteSplittingDescriptor;
import io.ddm.endpoint.TopologyDescriptor.SequenceDescriptor;
import io.ddm.endpoint.TopologyDescriptor.ServerDescriptor;
import io.ddm.endpoint.TopologyDescriptor.ShardDescriptor;
import io.ddm.health.ServerProbe;
import io.ddm.health.ServerProbe.ServerState;
import io.ddm.segment.SegmentFill;
import io.ddm.topology.DataNode;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Segments.Segment;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.metadata.database.schema.model.ShardingSphereSchema;
import org.apache.shardingsphere.infra.metadata.database.schema.model.ShardingSphereTable;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/ddm}: the topology of the logical database, one table's layout, and route previews.
 * <ul>
 * <li>{@code GET /actuator/ddm}: nodes with their servers' current state, shards, every logical table with its
 * physical data nodes (and a segmented table's segments, with how full the newest is), read/write splitting and
 * key generators.</li>
 * <li>{@code GET /actuator/ddm/tables/{table}}: one table (404 when unknown).</li>
 * <li>{@code GET /actuator/ddm/tables/{table}/{key}}: where a row with this sharding key lives.</li>
 * <li>{@code POST /actuator/ddm} with {@code {"sql": "...", "parameters": [...]}}: where a statement would go.
 * Nothing is executed.</li>
 * <li>{@code POST /actuator/ddm/sequences/{name}} with {@code {"value": N}}: moves a sequence forward
 * ({@link DdmEndpointWebExtension}).</li>
 * </ul>
 * Passwords never appear, nor credentials embedded in URLs; URLs and usernames follow {@code ddm.endpoint.show-values}.
 */
@Endpoint(id = "ddm")
public class DdmEndpoint {

    private static final String TABLES = "tables";

    private final DdmDataSource dataSource;

    private final Sanitizer sanitizer;

    private final Show showValues;

    private final Set<String> roles;

    private final ServerProbe probe;

    private final RoutePreview routePreview;

    private final SegmentFill segmentFill;

    private final @Nullable ShardMoves moves;

    /**
     * Creates the endpoint.
     * @param dataSource the DDM data source
     * @param sanitizingFunctions Boot's sanitizing functions
     * @param showValues when to show URLs and usernames
     * @param roles roles for {@link Show#WHEN_AUTHORIZED}
     * @param probeTimeout longest wait for one server's state
     */
    public DdmEndpoint(DdmDataSource dataSource, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles,
            Duration probeTimeout) {
        this(dataSource, sanitizingFunctions, showValues, roles, probeTimeout, null);
    }

    /**
     * Creates the endpoint, listing the running shard moves.
     * @param dataSource the DDM data source
     * @param sanitizingFunctions Boot's sanitizing functions
     * @param showValues when to show URLs and usernames
     * @param roles roles for {@link Show#WHEN_AUTHORIZED}
     * @param probeTimeout longest wait for one server's state
     * @param moves the data source's moves, or {@code null}
     */
    public DdmEndpoint(DdmDataSource dataSource, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles,
            Duration probeTimeout, @Nullable ShardMoves moves) {
        this.moves = moves;
        this.dataSource = dataSource;
        this.sanitizer = new Sanitizer(sanitizingFunctions);
        this.showValues = showValues;
        this.roles = roles;
        this.probe = new ServerProbe(dataSource.getCheckConnections(), dataSource.getPhysicalDataSources(), probeTimeout);
        this.routePreview = new RoutePreview(dataSource);
        this.segmentFill = new SegmentFill(dataSource.getPhysicalDataSources());
    }

    @ReadOperation
    public TopologyDescriptor topology(SecurityContext securityContext) {
        Topology topology = this.dataSource.getTopology();
        boolean showUnsanitized = this.showValues.isShown(securityContext, this.roles);
        List<Server> servers = new ArrayList<>();
        topology.nodes().forEach((node) -> {
            servers.add(node.primary());
            servers.addAll(node.replicas());
        });
        Map<Server, ServerState> states = this.probe.probe(servers);
        LivePlacement placement = this.dataSource.getPlacement();
        List<NodeDescriptor> nodes = new ArrayList<>();
        for (Node node : topology.nodes()) {
            List<ServerDescriptor> replicas = new ArrayList<>();
            node.replicas().forEach((replica) -> replicas.add(server(replica, states.get(replica), showUnsanitized)));
            nodes.add(new NodeDescriptor(node.name(), server(node.primary(), states.get(node.primary()), showUnsanitized), replicas,
                    placement.current().shardsOn(node.name())));
        }
        List<ShardDescriptor> shards = new ArrayList<>();
        for (int shard = 0; shard < topology.shards(); shard++) {
            String node = placement.current().nodeOf(shard);
            String configured = placement.configured().nodeOf(shard);
            shards.add(new ShardDescriptor(shard, PhysicalNames.shardDatabase(topology.schema(), shard), node,
                    configured.equals(node) ? null : configured));
        }
        Map<String, KeyGeneratorDescriptor> keyGenerators = new LinkedHashMap<>();
        topology.tables().values().stream().filter((table) -> table.keyGeneratorColumn() != null).forEach((table) -> keyGenerators
            .put(table.name(), new KeyGeneratorDescriptor(table.keyGeneratorColumn(), lower(table.keyGeneratorType()))));
        return new TopologyDescriptor(topology.schema(), topology.shards(), nodes, shards, tables(),
                new ReadWriteSplittingDescriptor(lower(topology.loadBalancer().name()).replace('_', '-'), "primary"),
                keyGenerators, this.dataSource.getWorkerId(),
                this.dataSource.getSequences().states().stream().map(SequenceDescriptor::of).toList(), runningMoves());
    }

    @ReadOperation
    public @Nullable TableDescriptor table(@Selector String section, @Selector String table) {
        return TABLES.equals(section) ? tables().get(table) : null;
    }

    @ReadOperation
    public @Nullable RouteDescriptor routeKey(@Selector String section, @Selector String table, @Selector String key) {
        if (!TABLES.equals(section)) {
            return null;
        }
        try {
            return this.routePreview.routeKey(table, key);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "Invalid sharding key");
        }
    }

    /**
     * Where a statement would go.
     * @param sql the logical SQL, with {@code ?} placeholders
     * @param parameters placeholder values as SQL literals separated by commas ({@code 1, 'CN'}); Boot's endpoint
     * bodies carry strings, not JSON arrays
     * @return the route
     */
    @WriteOperation
    public RouteDescriptor routeSql(String sql, @Nullable String parameters) {
        try {
            return this.routePreview.route(sql, RoutePreview.parseParameters(parameters));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "Invalid SQL or parameters");
        }
    }

    private List<MoveDescriptor> runningMoves() {
        if (this.moves == null) {
            return List.of();
        }
        return this.moves.list().stream().map(ShardMove::descriptor).filter((move) -> !move.state().isFinal()).toList();
    }

    private Map<String, TableDescriptor> tables() {
        Topology topology = this.dataSource.getTopology();
        ShardPlacement placement = this.dataSource.getPlacement().current();
        Map<String, TableDescriptor> result = new LinkedHashMap<>();
        for (TableLayout table : topology.tables().values()) {
            result.put(table.name(), new TableDescriptor(table.name(), lower(table.kind().name()), table.bindingGroup(),
                    strategy(table.databaseSharding()), strategy(table.tableSharding()), table.tablesPerShard(), table.globalNumbering(),
                    table.dataNodes().stream().map((node) -> located(node, placement)).toList(), segments(table, placement)));
        }
        String defaultDatabase = topology.defaultShardDatabase();
        String defaultNode = this.dataSource.getPlacement().current().nodeOf(topology.defaultShard());
        for (String single : singleTables(topology)) {
            result.put(single, new TableDescriptor(single, "single", null, null, null, 1, false,
                    List.of(new DataNode(defaultNode, topology.defaultShard(), defaultDatabase, single).toString())));
        }
        return result;
    }

    /** Tables ShardingSphere knows that DDM does not shard or broadcast: they live in the default shard. */
    private List<String> singleTables(Topology topology) {
        List<String> result = new ArrayList<>();
        try (var connection = this.dataSource.getConnection()) {
            ShardingSphereConnection logical = connection.unwrap(ShardingSphereConnection.class);
            String database = logical.getCurrentDatabaseName();
            ShardingSphereSchema schema = logical.getContextManager().getMetaDataContexts().getMetaData().getDatabase(database)
                .getSchema(database);
            if (schema != null) {
                for (ShardingSphereTable table : schema.getAllTables()) {
                    // Names starting _ddm are DDM's own (the sequence table), not the application's.
                    if (topology.tables().keySet().stream().noneMatch((name) -> name.equalsIgnoreCase(table.getName()))
                            && !table.getName().startsWith("_ddm")) {
                        result.add(table.getName());
                    }
                }
            }
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException("Cannot read ShardingSphere's metadata", ex);
        }
        result.sort(String::compareTo);
        return result;
    }

    /** A physical table on the node that serves its shard now, which differs from the startup layout once a shard moved. */
    private static String located(DataNode node, ShardPlacement placement) {
        return new DataNode(placement.nodeOf(node.shard()), node.shard(), node.database(), node.table()).toString();
    }

    private SegmentsDescriptor segments(TableLayout table, ShardPlacement placement) {
        if (table.segments() == null) {
            return null;
        }
        List<SegmentDescriptor> segments = new ArrayList<>();
        for (Segment segment : table.segments().all()) {
            List<String> tables = table.dataNodes().stream()
                .filter((node) -> node.table().equals(PhysicalNames.segmentTable(table.name(), node.shard(), segment.index())))
                .map((node) -> located(node, placement))
                .toList();
            segments.add(new SegmentDescriptor(segment.index(), segment.from(), segment.to(), tables));
        }
        try {
            SegmentFill.Fill fill = this.segmentFill.measure(table);
            Segment newest = fill.segment();
            long used = (fill.highestKey() != null) ? Math.max(0, fill.highestKey() - newest.from() + 1) : 0;
            return new SegmentsDescriptor(table.segments().column(), segments,
                    new FillDescriptor(newest.index(), newest.capacity(), fill.highestKey(), used, fill.fill()), null);
        }
        catch (java.sql.SQLException ex) {
            return new SegmentsDescriptor(table.segments().column(), segments, null, ex.getMessage());
        }
    }

    private static StrategyDescriptor strategy(TableLayout.Strategy strategy) {
        if (strategy == null) {
            return null;
        }
        String parameters = strategy.parameters().equals(io.ddm.algorithm.FunctionParameters.NONE) ? null
                : strategy.parameters().toString();
        return new StrategyDescriptor(strategy.column(), strategy.function().propertyName(), parameters);
    }

    private ServerDescriptor server(Server server, ServerState state, boolean showUnsanitized) {
        List<String> databases = new ArrayList<>();
        ShardPlacement placement = this.dataSource.getPlacement().current();
        int perShard = 0;
        for (PhysicalPool pool : this.dataSource.getPhysicalDataSources().pools()) {
            if (pool.server().name().equals(server.name()) && placement.nodeOf(pool.shard()).equals(server.node())) {
                databases.add(pool.database());
                perShard = pool.dataSource().getMaximumPoolSize();
            }
        }
        ServerProbe.PoolStatistics pool = state.pool();
        String url = JdbcUrls.withoutCredentials(server.url());
        return new ServerDescriptor(server.name(), lower(server.role().name()), JdbcUrls.hostAndPort(server.url()), databases,
                this.sanitizer.sanitize(new SanitizableData(null, "url", url), showUnsanitized),
                (server.username() != null) ? this.sanitizer.sanitize(new SanitizableData(null, "username", server.username()),
                        showUnsanitized) : null,
                (server.role() == Server.Role.REPLICA) ? server.weight() : null,
                new PoolDescriptor(pool.maximum(), perShard, pool.active(), pool.idle(), pool.total(), pool.waiting(),
                        pool.longestWaitMillis(), pool.saturated()),
                state.up() ? "UP" : "DOWN", state.error());
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

}
