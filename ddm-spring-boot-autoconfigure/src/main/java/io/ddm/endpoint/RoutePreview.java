package io.ddm.endpoint;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddm.algorithm.ShardingKeyKind;
import io.ddm.datasource.DdmDataSource;
import io.ddm.routing.RoutingDryRun;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.TableLayout;
import io.ddm.topology.Topology;
import org.apache.shardingsphere.driver.jdbc.core.connection.ShardingSphereConnection;
import org.apache.shardingsphere.infra.binder.context.aware.ParameterAware;
import org.apache.shardingsphere.infra.binder.context.statement.SQLStatementContext;
import org.apache.shardingsphere.infra.binder.context.type.TableAvailable;
import org.apache.shardingsphere.infra.binder.engine.SQLBindEngine;
import org.apache.shardingsphere.infra.connection.kernel.KernelProcessor;
import org.apache.shardingsphere.infra.executor.sql.context.ExecutionContext;
import org.apache.shardingsphere.infra.executor.sql.context.ExecutionUnit;
import org.apache.shardingsphere.infra.hint.HintValueContext;
import org.apache.shardingsphere.infra.hint.SQLHintUtils;
import org.apache.shardingsphere.infra.metadata.ShardingSphereMetaData;
import org.apache.shardingsphere.infra.route.context.RouteMapper;
import org.apache.shardingsphere.infra.route.context.RouteUnit;
import org.apache.shardingsphere.infra.session.query.QueryContext;
import org.apache.shardingsphere.parser.rule.SQLParserRule;
import org.apache.shardingsphere.sql.parser.statement.core.statement.SQLStatement;

/**
 * Computes where a statement would go with ShardingSphere's own parser, binder, router and rewriter, exactly as
 * executing it would, but without executing it: no physical connection is opened. Reads outside a transaction
 * show the replica the load balancer would pick for the next read; a preview changes no state of DDM's algorithms
 * (no round-robin turn is taken, no key is consumed).
 */
public class RoutePreview {

    private final DdmDataSource dataSource;

    public RoutePreview(DdmDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The route of a SQL statement.
     * @param sql the logical SQL, with {@code ?} placeholders
     * @param parameters the placeholder values
     * @return the route
     * @throws IllegalArgumentException when the SQL cannot be parsed or routed
     */
    public RouteDescriptor route(String sql, List<Object> parameters) {
        // A dry run: DDM's load balancer and key generator show what the next statement would get and change nothing.
        return RoutingDryRun.run(() -> routeWithoutSideEffects(sql, parameters));
    }

    private RouteDescriptor routeWithoutSideEffects(String sql, List<Object> parameters) {
        try (Connection connection = this.dataSource.getConnection()) {
            ShardingSphereConnection logical = connection.unwrap(ShardingSphereConnection.class);
            ShardingSphereMetaData metaData = logical.getContextManager().getMetaDataContexts().getMetaData();
            String database = logical.getCurrentDatabaseName();
            HintValueContext hint = SQLHintUtils.extractHint(sql);
            String cleanSql = SQLHintUtils.removeHint(sql);
            SQLStatement statement = metaData.getGlobalRuleMetaData().getSingleRule(SQLParserRule.class)
                .getSQLParserEngine(metaData.getDatabase(database).getProtocolType())
                .parse(cleanSql, false);
            List<Object> params = new ArrayList<>(parameters);
            SQLStatementContext context = new SQLBindEngine(metaData, database, hint).bind(statement, params);
            if (context instanceof ParameterAware aware) {
                aware.setUpParameters(params);
            }
            QueryContext query = new QueryContext(context, cleanSql, params, hint,
                    logical.getDatabaseConnectionManager().getConnectionContext(), metaData);
            ExecutionContext execution = new KernelProcessor().generateExecutionContext(query, metaData.getGlobalRuleMetaData(),
                    metaData.getProps());
            return describe(sql, firstConfiguredTable(context), execution);
        }
        catch (SQLException | RuntimeException ex) {
            throw new IllegalArgumentException("Cannot route '" + sql + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * Parses statement parameters written as SQL literals separated by commas: {@code 1, 'CN', 2.5, NULL}.
     * Quoted values are strings ({@code ''} escapes a quote), integers become {@code Long}, decimals
     * {@code BigDecimal}; anything else is taken as a string.
     * @param text the parameters, or {@code null}
     * @return the values
     */
    public static List<Object> parseParameters(String text) {
        List<Object> result = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return result;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' && quoted && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                current.append('\'');
                i++;
            }
            else if (c == '\'') {
                quoted = !quoted;
                wasQuoted = true;
            }
            else if (c == ',' && !quoted) {
                result.add(literal(current.toString(), wasQuoted));
                current.setLength(0);
                wasQuoted = false;
            }
            else if (quoted || !Character.isWhitespace(c)) {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("Unterminated quote in parameters: " + text);
        }
        result.add(literal(current.toString(), wasQuoted));
        return result;
    }

    private static Object literal(String value, boolean quoted) {
        if (quoted) {
            return value;
        }
        if (value.equalsIgnoreCase("NULL")) {
            return null;
        }
        if (value.matches("-?[0-9]+")) {
            BigInteger number = new BigInteger(value);
            return (number.bitLength() < 64) ? (Object) number.longValue() : number;
        }
        if (value.matches("-?[0-9]+\\.[0-9]+")) {
            return new java.math.BigDecimal(value);
        }
        return value;
    }

    /**
     * The route of a point query by the table's database sharding key.
     * @param table logical table
     * @param value the key as text; converted to the column's type (integer, string or date)
     * @return the route, or {@code null} for a table DDM does not shard
     */
    public RouteDescriptor routeKey(String table, String value) {
        TableLayout layout = this.dataSource.getTopology().tables().get(table);
        if (layout == null || layout.kind() != TableLayout.Kind.SHARDED) {
            return null;
        }
        String column = layout.databaseSharding().column();
        Object key = convert(value, this.dataSource.getShardingColumnTypes().kindOf(table, column),
                layout.databaseSharding().acceptedKinds());
        return route("SELECT * FROM " + table + " WHERE " + column + " = ?", List.of(key));
    }

    /** The key as the JDBC driver would hand it to the algorithm for a column of this type. */
    static Object convert(String value, ShardingKeyKind columnKind, Set<ShardingKeyKind> acceptedKinds) {
        boolean dateColumn = (columnKind != null) ? columnKind == ShardingKeyKind.DATE : acceptedKinds.contains(ShardingKeyKind.DATE);
        boolean integerColumn = (columnKind != null) ? columnKind == ShardingKeyKind.INTEGER
                : acceptedKinds.contains(ShardingKeyKind.INTEGER) && value.matches("-?[0-9]+");
        if (dateColumn) {
            try {
                return (value.length() > 10) ? Timestamp.valueOf(LocalDateTime.parse(value.replace(' ', 'T')))
                        : java.sql.Date.valueOf(LocalDate.parse(value));
            }
            catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("'" + value + "' is not a date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss)", ex);
            }
        }
        if (integerColumn) {
            try {
                BigInteger number = new BigInteger(value);
                return (number.bitLength() < 64) ? (Object) number.longValue() : number;
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("'" + value + "' is not an integer", ex);
            }
        }
        return value;
    }

    private String firstConfiguredTable(SQLStatementContext context) {
        if (context instanceof TableAvailable available) {
            for (var each : available.getTablesContext().getSimpleTables()) {
                String name = each.getTableName().getIdentifier().getValue();
                for (String configured : this.dataSource.getTopology().tables().keySet()) {
                    if (configured.equalsIgnoreCase(name)) {
                        return configured;
                    }
                }
            }
        }
        return null;
    }

    private RouteDescriptor describe(String sql, String table, ExecutionContext execution) {
        Topology topology = this.dataSource.getTopology();
        // ShardingSphere may merge the tables of one data source into one statement (UNION ALL): list them all.
        Map<String, List<String>> tablesByDataSource = new LinkedHashMap<>();
        for (RouteUnit route : execution.getRouteContext().getRouteUnits()) {
            List<String> tables = tablesByDataSource.computeIfAbsent(route.getDataSourceMapper().getActualName(),
                    (name) -> new ArrayList<>());
            route.getTableMappers().forEach((mapper) -> tables.add(mapper.getActualName()));
        }
        List<RouteDescriptor.UnitDescriptor> units = new ArrayList<>();
        Set<String> databases = new LinkedHashSet<>();
        for (ExecutionUnit unit : execution.getExecutionUnits()) {
            String dataSourceName = unit.getDataSourceName();
            int separator = dataSourceName.indexOf(PhysicalNames.SERVER_SEPARATOR);
            String database = (separator < 0) ? dataSourceName : dataSourceName.substring(0, separator);
            String node = this.dataSource.getPlacement().current().nodeOf(shardIndex(topology, database));
            String server = (separator < 0) ? node : dataSourceName.substring(separator + PhysicalNames.SERVER_SEPARATOR.length());
            String named = server;
            io.ddm.topology.Node serving = topology.node(node);
            if (!serving.primary().name().equals(named) && serving.replicas().stream().noneMatch((each) -> each.name().equals(named))) {
                // A moved shard: ShardingSphere still names the source's servers, whose pools hand out the target's connections.
                server = node;
            }
            List<String> tables = tablesByDataSource.getOrDefault(dataSourceName, List.of());
            if (tables.isEmpty()) {
                tables = unit.getSqlUnit().getTableRouteMappers().stream().map(RouteMapper::getActualName).toList();
            }
            databases.add(database);
            units.add(new RouteDescriptor.UnitDescriptor(node, server, database, tables, unit.getSqlUnit().getSql()));
        }
        return new RouteDescriptor(sql, table, routeType(topology, table, databases.size()), databases.size(), units);
    }

    private static int shardIndex(Topology topology, String database) {
        return Integer.parseInt(database.substring(PhysicalNames.shardDatabasePrefix(topology.schema()).length()));
    }

    private static String routeType(Topology topology, String table, int shards) {
        if (shards == 0) {
            return "none";
        }
        if (shards == 1) {
            return "single-shard";
        }
        TableLayout layout = (table != null) ? topology.tables().get(table) : null;
        int tableShards = (layout != null) ? (int) layout.dataNodes().stream().map((node) -> node.database()).distinct().count()
                : topology.shards();
        return (shards >= tableShards) ? "all-shards" : "multi-shard";
    }

}
