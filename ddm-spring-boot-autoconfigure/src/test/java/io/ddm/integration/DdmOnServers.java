package io.ddm.integration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Builds DDM configurations over a real-server topology of the harness, and reads physical tables directly
 * (bypassing DDM) so tests assert what a user would see on each server.
 */
public final class DdmOnServers {

    /** Connector/J settings for the tests: fail fast rather than hang. */
    static final String URL_PARAMETERS = "?connectTimeout=5000&socketTimeout=60000";

    private static final Duration AWAIT_DEADLINE = Duration.ofSeconds(60);

    private final DatabaseTopology topology;

    private final DdmProperties properties;

    DdmOnServers(DatabaseTopology topology, String schema, int shards) {
        this(topology, schema, shards, URL_PARAMETERS);
    }

    /**
     * A configuration of every server of the topology, 16 connections per server, worker id 1, creating its shard
     * databases, without tables.
     * @param topology the servers
     * @param schema logical database
     * @param shards shard count
     * @param urlParameters Connector/J parameters of every server URL, e.g. {@code ?socketTimeout=3000}
     */
    public DdmOnServers(DatabaseTopology topology, String schema, int shards, String urlParameters) {
        this.topology = topology;
        // The harness's own mapping of its servers to ddm.nodes.*, bound as Spring Boot binds application.yml.
        Map<String, String> nodes = new LinkedHashMap<>(topology.ddmNodeProperties(urlParameters));
        topology.primaries().forEach((primary) -> nodes.put("ddm.nodes." + primary.name() + ".pool.maximum-pool-size", "16"));
        this.properties = new Binder(new MapConfigurationPropertySource(nodes)).bind("ddm", DdmProperties.class).get();
        this.properties.setSchema(schema);
        this.properties.setShards(shards);
        this.properties.setCreateShardDatabases(true);
        this.properties.getKeyGenerator().setWorkerId(1);
    }

    public DdmProperties properties() {
        return this.properties;
    }

    /**
     * Adds a sharded table.
     */
    public DdmOnServers table(String name, String databaseColumn, String databaseAlgorithm, String tableColumn, String tableAlgorithm,
            Integer tablesPerShard) {
        DdmProperties.Table table = new DdmProperties.Table();
        DdmProperties.Sharding database = new DdmProperties.Sharding();
        database.setColumn(databaseColumn);
        database.setAlgorithm(io.ddm.algorithm.ShardingFunction.valueOf(databaseAlgorithm.toUpperCase().replace('-', '_')));
        table.setDatabaseSharding(database);
        if (tableColumn != null) {
            DdmProperties.TableSharding sharding = new DdmProperties.TableSharding();
            sharding.setColumn(tableColumn);
            sharding.setAlgorithm(io.ddm.algorithm.ShardingFunction.valueOf(tableAlgorithm.toUpperCase().replace('-', '_')));
            sharding.setTablesPerShard(tablesPerShard);
            table.setTableSharding(sharding);
        }
        this.properties.getTables().put(name, table);
        return this;
    }

    DdmProperties.Table table(String name) {
        return this.properties.getTables().get(name);
    }

    public DdmDataSource open() throws SQLException {
        return DdmDataSourceFactory.create(this.properties);
    }

    /** The primary of the node hosting a shard, under the default placement. */
    DatabaseServer primaryOfShard(int shard) {
        int shards = this.properties.getShards();
        int nodes = this.topology.primaries().size();
        int perNode = shards / nodes;
        return this.topology.primary(Math.min(shard / perNode, nodes - 1));
    }

    String database(int shard) {
        return this.properties.getSchema() + "_" + shard;
    }

    /** Rows of a physical table read directly from a server, each row as a list of column values. */
    static List<List<Object>> rows(DatabaseServer server, String database, String sql) throws SQLException {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    /**
     * The server's count of SELECT statements, to see which server served reads (the query itself counts once).
     * @param server the server
     * @return its global {@code Com_select}
     */
    public static long comSelect(DatabaseServer server) throws SQLException {
        return Long.parseLong(String.valueOf(rows(server, "mysql", "SHOW GLOBAL STATUS LIKE 'Com_select'").get(0).get(1)));
    }

    static long count(DatabaseServer server, String database, String table) throws SQLException {
        return ((Number) rows(server, database, "SELECT COUNT(*) FROM `" + table + "`").get(0).get(0)).longValue();
    }

    /** Row count of every physical table of a sharded table, by "database.table". */
    Map<String, Long> physicalCounts(String table, int tablesPerShard) throws SQLException {
        Map<String, Long> result = new LinkedHashMap<>();
        for (int shard = 0; shard < this.properties.getShards(); shard++) {
            for (int i = 0; i < tablesPerShard; i++) {
                String physical = (tablesPerShard > 1) ? table + "_" + (shard * tablesPerShard + i) : table;
                result.put(database(shard) + "." + physical, count(primaryOfShard(shard), database(shard), physical));
            }
        }
        return result;
    }

    /** Results of a query through any data source as rows of values. */
    static List<List<Object>> query(javax.sql.DataSource dataSource, String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<List<Object>> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = rows.getObject(i);
                        row.add((value instanceof Number number && !(value instanceof java.math.BigDecimal))
                                ? new java.math.BigDecimal(number.toString()) : value);
                    }
                    result.add(row);
                }
                return result;
            }
        }
    }

    /**
     * Creates {@code t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40))} through DDM with the rows {@code (k, 'v<k>')} for k in
     * 0 to rows - 1.
     * @param dataSource the DDM data source
     * @param rows how many rows
     * @throws SQLException when a statement fails
     */
    public static void createKeyValues(javax.sql.DataSource dataSource, long rows) throws SQLException {
        execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
        StringBuilder insert = new StringBuilder("INSERT INTO t_kv (k, v) VALUES ");
        for (long k = 0; k < rows; k++) {
            insert.append((k > 0) ? ", " : "").append('(').append(k).append(", 'v").append(k).append("')");
        }
        if (rows > 0) {
            execute(dataSource, insert.toString());
        }
    }

    public static void execute(javax.sql.DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * Waits, polling every 20 ms for at most a minute, until a condition holds.
     * @param condition the condition
     * @param description what is awaited, for the failure message
     */
    public static void await(BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + AWAIT_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not reached within " + AWAIT_DEADLINE.toSeconds() + " s: " + description.get());
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

}
