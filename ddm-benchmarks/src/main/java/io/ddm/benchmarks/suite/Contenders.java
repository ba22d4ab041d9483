package io.ddm.benchmarks.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.metrics.DdmMetrics;
import io.ddm.move.MoveSettings;
import io.ddm.move.ShardMoves;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Opens the suite's contenders over one topology: direct pools, DDM from {@code ddm.*} properties (with and without
 * its metrics) and stock ShardingSphere-JDBC from its own YAML.
 */
public final class Contenders {

    /** Connections of each pool of one shard database on one server, for every contender: HikariCP's default. */
    public static final int POOL_SIZE_PER_SHARD = 10;

    private Contenders() {
    }

    /**
     * The suite's DDM configuration as {@code ddm.*} properties, as a user would write them in
     * {@code application.properties}.
     * @param topology the servers
     * @param overrides more properties, replacing those of the same name (e.g. a node's
     * {@code pool.data-source-properties.*})
     * @return property names to values
     */
    public static Map<String, String> ddmProperties(DatabaseTopology topology, Map<String, String> overrides) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("ddm.schema", BenchmarkData.SCHEMA);
        result.put("ddm.shards", Integer.toString(BenchmarkData.SHARDS));
        int shardsPerNode = BenchmarkData.SHARDS / topology.primaries().size();
        // A server's budget, split among its shards: the same pool per shard database as the other contenders.
        result.putAll(nodeProperties(topology, POOL_SIZE_PER_SHARD * shardsPerNode, ""));
        for (String table : BenchmarkData.TABLE_NAMES) {
            String prefix = "ddm.tables." + table;
            result.put(prefix + ".database-sharding.column", "user_id");
            result.put(prefix + ".database-sharding.algorithm", "mod-hash");
            result.put(prefix + ".table-sharding.column", "user_id");
            result.put(prefix + ".table-sharding.algorithm", "mod-hash");
            result.put(prefix + ".table-sharding.tables-per-shard", Integer.toString(BenchmarkData.TABLES_PER_SHARD));
        }
        result.putAll(overrides);
        return result;
    }

    /**
     * The {@code ddm.nodes.*} properties of a harness topology: every primary as a node (named like the server) with
     * its replicas, as a user would write them in {@code application.properties}.
     * @param topology the servers
     * @param poolBudget each server's {@code pool.maximum-pool-size}, divided by DDM among the shards of its node
     * @param urlParameters Connector/J parameters appended to every server URL ({@code ?socketTimeout=5000}), or
     * {@code ""} for none
     * @return property names to values
     */
    public static Map<String, String> nodeProperties(DatabaseTopology topology, int poolBudget, String urlParameters) {
        Map<String, String> result = new LinkedHashMap<>(topology.ddmNodeProperties(urlParameters));
        for (DatabaseServer primary : topology.primaries()) {
            result.put("ddm.nodes." + primary.name() + ".pool.maximum-pool-size", Integer.toString(poolBudget));
        }
        return result;
    }

    /**
     * Binds {@code ddm.*} properties as Spring Boot does.
     * @param properties property names to values
     * @return the bound properties
     */
    public static DdmProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bind("ddm", DdmProperties.class).get();
    }

    /**
     * Opens DDM's data source.
     * @param name the contender's name
     * @param properties {@code ddm.*} properties
     * @param metrics whether DDM's Micrometer instrumentation is bound (to a {@link SimpleMeterRegistry}), as with
     * Spring Boot's actuator; shard moves' statement gate is always on, as in every Boot application
     * @return the contender
     * @throws SQLException when DDM cannot start
     */
    static LogicalContender ddm(String name, Map<String, String> properties, boolean metrics) throws SQLException {
        DdmDataSource dataSource = DdmDataSourceFactory.create(bind(properties));
        if (metrics) {
            new DdmMetrics(dataSource).bindTo(new SimpleMeterRegistry());
        }
        // As in every Boot application: shard moves put their statement gate on every logical connection.
        ShardMoves moves = new ShardMoves(dataSource, MoveSettings.DEFAULTS);
        return new LogicalContender(name, dataSource, () -> {
            moves.close();
            dataSource.close();
        });
    }

    /**
     * The Connector/J properties DDM gives its pools, read from a started DDM data source.
     * @param ddm a DDM contender
     * @return the data source properties of its first pool
     */
    static Properties driverProperties(LogicalContender ddm) {
        return ((DdmDataSource) ddm.dataSource()).getPhysicalDataSources().pools().get(0).dataSource().getDataSourceProperties();
    }

    /**
     * Opens stock ShardingSphere-JDBC from its YAML configuration, the way its driver does
     * ({@code jdbc:shardingsphere:absolutepath:...} loads the file and calls
     * {@link YamlShardingSphereDataSourceFactory#createDataSource(byte[])}).
     * @param file the YAML file, from {@link #shardingSphereYaml}
     * @return the contender
     * @throws SQLException when ShardingSphere cannot start
     * @throws IOException when the file cannot be read
     */
    static LogicalContender shardingSphere(Path file) throws SQLException, IOException {
        DataSource dataSource = YamlShardingSphereDataSourceFactory.createDataSource(file.toFile());
        return new LogicalContender("shardingsphere", dataSource, (AutoCloseable) dataSource);
    }

    /**
     * The stock ShardingSphere YAML for a topology, from the template {@code stock-shardingsphere.yaml}.
     * @param topology the servers
     * @return the YAML text
     * @throws IOException when the template cannot be read
     */
    public static String shardingSphereYaml(DatabaseTopology topology) throws IOException {
        String template;
        try (InputStream in = Contenders.class.getResourceAsStream("stock-shardingsphere.yaml")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder dataSources = new StringBuilder();
        StringBuilder groups = new StringBuilder();
        int nodes = topology.primaries().size();
        for (int shard = 0; shard < BenchmarkData.SHARDS; shard++) {
            String database = BenchmarkData.database(shard);
            int node = BenchmarkData.nodeOf(shard, nodes);
            DatabaseServer primary = topology.primary(node);
            List<DatabaseServer> replicas = topology.replicasOf(node);
            dataSources.append(yamlDataSource(database + "_primary", primary, database));
            for (int r = 0; r < replicas.size(); r++) {
                dataSources.append(yamlDataSource(database + "_replica" + r, replicas.get(r), database));
            }
            groups.append("    ").append(database).append(":\n      writeDataSourceName: ").append(database).append("_primary\n")
                    .append("      readDataSourceNames:\n");
            for (int r = 0; r < replicas.size(); r++) {
                groups.append("        - ").append(database).append("_replica").append(r).append('\n');
            }
        }
        String result = template.replace("{{dataSources}}", dataSources).replace("{{readwriteGroups}}", groups);
        for (String table : BenchmarkData.TABLE_NAMES) {
            result = result.replace("{{" + table + ".actualDataNodes}}", IntStream.range(0, BenchmarkData.SHARDS)
                    .mapToObj((shard) -> BenchmarkData.database(shard) + "." + table + "_${" + shard * BenchmarkData.TABLES_PER_SHARD
                            + ".." + ((shard + 1) * BenchmarkData.TABLES_PER_SHARD - 1) + "}")
                    .collect(Collectors.joining(",")));
        }
        return result;
    }

    private static String yamlDataSource(String name, DatabaseServer server, String database) {
        return "  " + name + ":\n"
                + "    dataSourceClassName: com.zaxxer.hikari.HikariDataSource\n"
                + "    driverClassName: com.mysql.cj.jdbc.Driver\n"
                + "    jdbcUrl: " + server.jdbcUrl(database) + "\n"
                + "    username: " + server.username() + "\n"
                + "    password: " + server.password() + "\n";
    }

    /**
     * Opens the direct pools with the driver settings DDM uses.
     * @param topology the servers
     * @param driverProperties Connector/J properties
     * @return the contender
     */
    static DirectContender direct(DatabaseTopology topology, Properties driverProperties) {
        return new DirectContender(topology, POOL_SIZE_PER_SHARD, driverProperties);
    }

}
