package io.ddm.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import io.ddm.connection.ConnectionDetailsSources;
import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.PropertiesDdmConnectionDetails;
import io.ddm.datasource.PoolSettings;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.TableLayout;
import io.ddm.topology.Topology;

/**
 * Checks {@link DdmProperties} as a whole and turns them into a {@link Topology}: nodes and servers, shard
 * count and placement, pool budgets, with the tables laid out by {@link TableLayoutFactory} and the settings of
 * checks, read routing and key generation checked by {@link SettingsValidator}. A bad configuration
 * fails here, before any pool connects, with a {@link DdmConfigurationException} naming the property and the
 * fix. Plain code: testable without Spring.
 */
public final class TopologyFactory {

    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private static final Pattern TABLE_NAME = Pattern.compile(DdmProperties.IDENTIFIER);

    /** MySQL's maximum database name length. */
    private static final int MAX_DATABASE_NAME = 64;

    private TopologyFactory() {
    }

    /**
     * Validates the properties and builds the topology.
     * @param properties the bound properties
     * @return the topology
     * @throws DdmConfigurationException on the first problem found
     */
    public static Topology create(DdmProperties properties) {
        return create(properties, new PropertiesDdmConnectionDetails(properties));
    }

    /**
     * Validates the properties and builds the topology on the servers the connection details name: they give the
     * nodes, servers and coordinates (URL, username, password); {@code ddm.nodes.*} still gives pools and weights.
     * @param properties the bound properties
     * @param connectionDetails where the servers are
     * @return the topology
     * @throws DdmConfigurationException on the first problem found
     */
    public static Topology create(DdmProperties properties, DdmConnectionDetails connectionDetails) {
        String schema = properties.getSchema();
        if (schema == null || !TABLE_NAME.matcher(schema).matches()) {
            throw new DdmConfigurationException("ddm.schema", "'" + schema + "' is not a valid logical schema name",
                    "Use a name that starts with a letter and contains only letters, digits and '_'; shard databases are"
                            + " named {schema}_{index}.");
        }
        List<Node> nodes = nodes(properties, connectionDetails);
        int shards = (properties.getShards() != null) ? properties.getShards() : nodes.size();
        if (shards < 1) {
            throw new DdmConfigurationException("ddm.shards", "must be at least 1 but is " + shards,
                    "Set ddm.shards to the number of shard databases (a fixed number, e.g. 8), or leave it unset to use one"
                            + " shard per node.");
        }
        String longest = PhysicalNames.shardDatabase(schema, shards - 1);
        if (longest.length() > MAX_DATABASE_NAME) {
            throw new DdmConfigurationException("ddm.schema", "shard database names such as '" + longest + "' are longer than"
                    + " MySQL's limit of " + MAX_DATABASE_NAME + " characters", "Use a shorter logical schema name.");
        }
        ShardPlacement placement = placement(properties, nodes, shards);
        checkPoolBudgets(nodes, placement);
        if (properties.getDefaultShard() < 0 || properties.getDefaultShard() >= shards) {
            throw new DdmConfigurationException("ddm.default-shard", "shard " + properties.getDefaultShard()
                    + " does not exist; shards are 0.." + (shards - 1), "Set ddm.default-shard to a shard index below " + shards + ".");
        }
        Map<String, TableLayout> tables = TableLayoutFactory.create(properties, schema, shards, placement);
        SettingsValidator.validate(properties);
        return new Topology(schema, nodes, placement, tables, properties.getDefaultShard(),
                properties.getReadWriteSplitting().getLoadBalancer());
    }

    private static List<Node> nodes(DdmProperties properties, DdmConnectionDetails details) {
        Coordinates coordinates = (details instanceof PropertiesDdmConnectionDetails) ? Coordinates.PROPERTIES
                : new Coordinates(ConnectionDetailsSources.describe(details));
        List<DdmConnectionDetails.Node> detailNodes = details.getNodes();
        if (detailNodes == null || detailNodes.isEmpty()) {
            if (coordinates.fromProperties()) {
                throw new DdmConfigurationException("ddm.nodes", "no node is configured",
                        "Add at least one MySQL server under ddm.nodes (e.g. ddm.nodes.ds0.url=jdbc:mysql://host:3306/, with"
                                + " username and password), or set ddm.enabled=false to let Spring Boot configure the DataSource.");
            }
            throw new DdmConfigurationException(coordinates.source(), "the connection details name no node",
                    "Give the connection details at least one node with its primary, or remove them to use ddm.nodes.");
        }
        if (!coordinates.fromProperties()) {
            checkPropertiesNameOnlyDetailNodes(properties, detailNodes, coordinates);
        }
        Set<String> serverNames = new LinkedHashSet<>();
        List<Node> result = new ArrayList<>();
        for (DdmConnectionDetails.Node detailNode : detailNodes) {
            String name = detailNode.name();
            String path = "ddm.nodes." + name;
            DdmProperties.Node node = properties.getNodes().getOrDefault(name, new DdmProperties.Node());
            checkServerName(name, coordinates.path(name, null, path), serverNames);
            DdmConnectionDetails.Server primaryAddress = detailNode.primary();
            Server primary = server(name, name, Server.Role.PRIMARY, primaryAddress.url(), coordinates, path,
                    (primaryAddress.username() != null) ? primaryAddress.username() : node.getUsername(),
                    (primaryAddress.password() != null) ? primaryAddress.password() : node.getPassword(), node.getPool(), 1);
            List<Server> replicas = new ArrayList<>();
            for (Map.Entry<String, DdmConnectionDetails.Server> replicaEntry : detailNode.replicas().entrySet()) {
                String replicaName = replicaEntry.getKey();
                String replicaPath = path + ".replicas." + replicaName;
                checkServerName(replicaName, coordinates.path(name, replicaName, replicaPath), serverNames);
                DdmConnectionDetails.Server address = replicaEntry.getValue();
                DdmProperties.Replica replica = node.getReplicas().getOrDefault(replicaName, new DdmProperties.Replica());
                Map<String, String> pool = new LinkedHashMap<>(node.getPool());
                pool.putAll(replica.getPool());
                String username = firstNonNull(address.username(), replica.getUsername(), node.getUsername());
                String password = firstNonNull(address.password(), replica.getPassword(), node.getPassword());
                replicas.add(server(replicaName, name, Server.Role.REPLICA, address.url(), coordinates, replicaPath, username,
                        password, pool, replica.getWeight()));
            }
            result.add(new Node(name, primary, replicas));
        }
        result.sort(java.util.Comparator.comparing(Node::name, ShardPlacement.NODE_ORDER));
        return result;
    }

    /**
     * With servers from connection details, {@code ddm.nodes.*} may only tune the nodes and replicas they name: a node
     * or replica configured only here would otherwise be silently dropped (or, kept, point at a server of another
     * environment).
     */
    private static void checkPropertiesNameOnlyDetailNodes(DdmProperties properties, List<DdmConnectionDetails.Node> detailNodes,
            Coordinates coordinates) {
        Map<String, DdmConnectionDetails.Node> byName = new LinkedHashMap<>();
        detailNodes.forEach((node) -> byName.put(node.name(), node));
        for (Map.Entry<String, DdmProperties.Node> entry : properties.getNodes().entrySet()) {
            DdmConnectionDetails.Node detailNode = byName.get(entry.getKey());
            String path = "ddm.nodes." + entry.getKey();
            if (detailNode == null) {
                throw new DdmConfigurationException(path, "node '" + entry.getKey() + "' is configured, but the servers come"
                        + " from connection details (" + coordinates.source() + ") that name only the nodes " + byName.keySet(),
                        "Remove " + path + ".* (connection details replace ddm.nodes.*.url, username and password; pool and"
                                + " weight settings apply to the nodes they name), or add node '" + entry.getKey()
                                + "' to the topology the connection details come from.");
            }
            for (String replica : entry.getValue().getReplicas().keySet()) {
                if (!detailNode.replicas().containsKey(replica)) {
                    throw new DdmConfigurationException(path + ".replicas." + replica, "replica '" + replica + "' is configured,"
                            + " but the connection details (" + coordinates.source() + ") give node '" + entry.getKey()
                            + "' only the replicas " + detailNode.replicas().keySet(), "Remove " + path + ".replicas." + replica
                                    + ".*, or add the replica to the topology the connection details come from.");
                }
            }
        }
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Where servers' coordinates come from, for error messages: {@code ddm.nodes.*} paths, or the connection details.
     *
     * @param source description of the connection details, {@code null} for properties
     */
    private record Coordinates(String source) {

        static final Coordinates PROPERTIES = new Coordinates(null);

        boolean fromProperties() {
            return this.source == null;
        }

        /** The property path, or the server within the connection details. */
        String path(String node, String replica, String propertyPath) {
            if (fromProperties()) {
                return propertyPath;
            }
            return ((replica != null) ? "replica '" + replica + "' of node '" + node + "'" : "node '" + node + "'")
                    + " in connection details (" + this.source + ")";
        }

    }

    private static void checkServerName(String name, String path, Set<String> serverNames) {
        if (!SERVER_NAME.matcher(name).matches()) {
            throw new DdmConfigurationException(path, "'" + name + "' is not a valid node or replica name",
                    "Use a name that starts with a letter and contains only letters, digits, '_' and '-'.");
        }
        if (!serverNames.add(name.toLowerCase(Locale.ROOT))) {
            throw new DdmConfigurationException(path, "the name '" + name + "' is used by another node or replica",
                    "Give every node and replica its own name.");
        }
    }

    private static Server server(String name, String node, Server.Role role, String configuredUrl, Coordinates coordinates,
            String path, String username, String password, Map<String, String> pool, int weight) {
        String url = (configuredUrl != null) ? configuredUrl.strip() : null;
        String urlPath = coordinates.fromProperties() ? path + ".url"
                : coordinates.path(node, (role == Server.Role.REPLICA) ? name : null, path);
        String where = coordinates.fromProperties() ? "Set " + path + ".url to" : "Give the connection details";
        if (url == null || url.isEmpty()) {
            throw new DdmConfigurationException(urlPath, "no URL is configured for " + role.name().toLowerCase(Locale.ROOT)
                    + " '" + name + "'", where + " the server's JDBC URL without a database, e.g."
                            + " jdbc:mysql://127.0.0.1:3306/.");
        }
        if (!JdbcUrls.isSupported(url)) {
            throw new DdmConfigurationException(urlPath, "'" + JdbcUrls.withoutCredentials(url)
                    + "' is not a URL DDM can add shard databases to", "Use the form jdbc:mysql://host:port/ (DDM appends each"
                            + " shard database), or put a {database} placeholder where the database belongs.");
        }
        String database = JdbcUrls.databaseOf(url);
        if (database != null && !database.isEmpty()) {
            throw new DdmConfigurationException(urlPath, "the URL names the database '" + database
                    + "', but DDM adds each shard's database itself", "Remove the database from the URL: "
                            + JdbcUrls.withoutCredentials(JdbcUrls.forDatabase(url, "")));
        }
        checkPoolSettingsDdmSets(PoolSettings.bind(pool, path + ".pool"), path + ".pool");
        // Credentials in the URL become the server's credentials (explicit properties win): ShardingSphere cannot
        // parse such URLs, and its parse errors would print the password.
        String[] userInfo = JdbcUrls.userInfo(url);
        if (userInfo != null) {
            url = JdbcUrls.withoutUserInfo(url);
            username = (username != null) ? username : userInfo[0];
            password = (password != null) ? password : userInfo[1];
        }
        return new Server(name, node, role, url, username, password, weight, pool);
    }

    /**
     * DDM gives every shard pool its own URL, database and name: settings that would replace or redirect them are
     * rejected rather than overridden silently (or, for catalog and schema, sending every shard to one database).
     */
    private static void checkPoolSettingsDdmSets(HikariConfig pool, String path) {
        String setting = null;
        if (pool.getJdbcUrl() != null) {
            setting = "jdbc-url";
        }
        else if (pool.getDataSourceClassName() != null) {
            setting = "data-source-class-name";
        }
        else if (pool.getCatalog() != null) {
            setting = "catalog";
        }
        else if (pool.getSchema() != null) {
            setting = "schema";
        }
        else if (pool.getPoolName() != null) {
            setting = "pool-name";
        }
        if (setting != null) {
            throw new DdmConfigurationException(path + "." + setting, "DDM sets the " + setting + " of every shard pool itself"
                    + " (one pool per shard database, connected to that database)", "Remove " + path + "." + setting
                            + "; give the server's address in " + path.substring(0, path.length() - ".pool".length())
                            + ".url, connection properties as URL parameters or " + path + ".data-source-properties.*.");
        }
    }

    private static ShardPlacement placement(DdmProperties properties, List<Node> nodes, int shards) {
        List<String> nodeNames = nodes.stream().map(Node::name).toList();
        if (properties.getPlacement().isEmpty()) {
            if (shards < nodes.size()) {
                throw new DdmConfigurationException("ddm.shards", nodes.size() + " nodes but only " + shards
                        + " shard(s): node '" + nodeNames.get(nodes.size() - 1) + "' would host no shard",
                        "Raise ddm.shards to at least " + nodes.size() + ", remove the extra node, or, to keep it as a spare"
                                + " node holding no shard (a move target), give ddm.placement explicitly and leave it out (e.g."
                                + " ddm.placement." + nodeNames.get(0) + "=" + range(shards) + ").");
            }
            return ShardPlacement.evenSplit(nodeNames, shards);
        }
        // Nodes the placement leaves out (or gives an empty list) hold no shard: spare nodes, targets of moves. They
        // are checked like every node but get no shard pools and no shard databases.
        String[] nodeByShard = new String[shards];
        for (Map.Entry<String, List<Integer>> entry : properties.getPlacement().entrySet()) {
            String path = "ddm.placement." + entry.getKey();
            if (!nodeNames.contains(entry.getKey())) {
                throw new DdmConfigurationException(path, "'" + entry.getKey() + "' is not a configured node (nodes: "
                        + nodeNames + ")", "Place shards only on nodes declared under ddm.nodes.");
            }
            for (Integer shard : entry.getValue()) {
                if (shard == null || shard < 0 || shard >= shards) {
                    throw new DdmConfigurationException(path, "shard " + shard + " does not exist; shards are 0.."
                            + (shards - 1), "Place only shard indexes 0.." + (shards - 1) + ", or change ddm.shards.");
                }
                if (nodeByShard[shard] != null) {
                    throw new DdmConfigurationException(path, "shard " + shard + " is placed twice (on '"
                            + nodeByShard[shard] + "' and '" + entry.getKey() + "')", "Place every shard on exactly one node.");
                }
                nodeByShard[shard] = entry.getKey();
            }
        }
        Set<Integer> unplaced = new TreeSet<>();
        for (int shard = 0; shard < shards; shard++) {
            if (nodeByShard[shard] == null) {
                unplaced.add(shard);
            }
        }
        if (!unplaced.isEmpty()) {
            throw new DdmConfigurationException("ddm.placement", "shard(s) " + unplaced + " are placed on no node",
                    "Place every shard 0.." + (shards - 1) + " on exactly one node.");
        }
        return ShardPlacement.of(List.of(nodeByShard));
    }

    /** Shard indexes 0..shards-1 as a property value: {@code 0,1,2}. */
    private static String range(int shards) {
        StringBuilder result = new StringBuilder();
        for (int shard = 0; shard < shards; shard++) {
            result.append((shard > 0) ? "," : "").append(shard);
        }
        return result.toString();
    }

    private static void checkPoolBudgets(List<Node> nodes, ShardPlacement placement) {
        for (Node node : nodes) {
            int hosted = placement.shardsOn(node.name()).size();
            List<Server> servers = new ArrayList<>(node.replicas());
            servers.add(0, node.primary());
            for (Server server : servers) {
                int budget = PoolSettings.bind(server.pool(), "").getMaximumPoolSize();
                if (hosted > budget) {
                    String path = (server.role() == Server.Role.PRIMARY) ? "ddm.nodes." + node.name() + ".pool.maximum-pool-size"
                            : "ddm.nodes." + node.name() + ".replicas." + server.name() + ".pool.maximum-pool-size";
                    throw new DdmConfigurationException(path, "node '" + node.name() + "' hosts " + hosted
                            + " shards but its pool budget is " + budget + " connections; every shard needs at least one",
                            "Raise " + path + " to at least " + hosted + " (the budget is divided among the node's shards).");
                }
            }
        }
    }

}
