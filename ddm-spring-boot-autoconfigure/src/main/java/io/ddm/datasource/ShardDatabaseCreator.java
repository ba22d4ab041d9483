package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing shard databases on each node's primary ({@code CREATE DATABASE IF NOT EXISTS}); replicas
 * receive them through replication.
 */
public final class ShardDatabaseCreator {

    private static final Logger logger = LoggerFactory.getLogger(ShardDatabaseCreator.class);

    private ShardDatabaseCreator() {
    }

    /**
     * Creates the shard databases each primary hosts. Servers whose URL has a {@code {database}} placeholder
     * (e.g. H2 in-memory databases, created on first connect) are skipped.
     * @param topology the topology
     */
    public static void createMissing(Topology topology) {
        for (Node node : topology.nodes()) {
            if (node.primary().url().contains(JdbcUrls.DATABASE_PLACEHOLDER)) {
                continue;
            }
            List<Integer> shards = topology.placement().shardsOn(node.name());
            if (shards.isEmpty()) {
                continue;
            }
            Properties credentials = new Properties();
            if (node.primary().username() != null) {
                credentials.setProperty("user", node.primary().username());
            }
            if (node.primary().password() != null) {
                credentials.setProperty("password", node.primary().password());
            }
            try (Connection connection = DriverManager.getConnection(JdbcUrls.forDatabase(node.primary().url(), ""), credentials);
                    Statement statement = connection.createStatement()) {
                for (int shard : shards) {
                    String database = PhysicalNames.shardDatabase(topology.schema(), shard);
                    statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
                    logger.debug("Shard database {} exists on node {}", database, node.name());
                }
            }
            catch (SQLException ex) {
                throw new NodeUnavailableException(node.primary(), PhysicalNames.shardDatabase(topology.schema(), shards.get(0)),
                        false, ex);
            }
        }
    }

}
