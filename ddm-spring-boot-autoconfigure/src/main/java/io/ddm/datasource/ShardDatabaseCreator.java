package io.ddm.datasource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing shard databases on each node's primary ({@code CREATE DATABASE IF NOT EXISTS}), then waits
 * until every replica has received them through replication, so the replicas' pools can open.
 */
public final class ShardDatabaseCreator {

    /** How long replicas may take to apply the new databases before startup fails. */
    static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

    private static final Logger logger = LoggerFactory.getLogger(ShardDatabaseCreator.class);

    private ShardDatabaseCreator() {
    }

    /**
     * Creates the shard databases each primary hosts and waits for its replicas to have them. Servers whose
     * URL has a {@code {database}} placeholder (e.g. H2 in-memory databases, created on first connect) are
     * skipped.
     * @param topology the topology
     */
    public static void createMissing(Topology topology) {
        for (Node node : topology.nodes()) {
            List<String> databases = new ArrayList<>();
            for (int shard : topology.placement().shardsOn(node.name())) {
                databases.add(PhysicalNames.shardDatabase(topology.schema(), shard));
            }
            if (databases.isEmpty() || node.primary().url().contains(JdbcUrls.DATABASE_PLACEHOLDER)) {
                continue;
            }
            try (Connection connection = ServerConnections.open(node.primary()); Statement statement = connection.createStatement()) {
                for (String database : databases) {
                    statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
                    logger.debug("Shard database {} exists on node {}", database, node.name());
                }
            }
            catch (SQLException ex) {
                throw new NodeUnavailableException(node.primary(), databases.get(0), false, ex);
            }
            for (Server replica : node.replicas()) {
                awaitDatabases(replica, databases);
            }
        }
    }

    private static void awaitDatabases(Server replica, List<String> databases) {
        long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
        try (Connection connection = ServerConnections.open(replica);
                PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            for (String database : databases) {
                exists.setString(1, database);
                while (!hasRow(exists)) {
                    if (System.nanoTime() > deadline) {
                        throw new NodeUnavailableException(replica, database, true, new SQLException("Shard database '" + database
                                + "' was created on the primary of node '" + replica.node() + "' but did not reach replica '"
                                + replica.name() + "' within " + REPLICATION_WAIT.toSeconds() + " s; check that replication runs"));
                    }
                    Thread.sleep(50);
                }
            }
        }
        catch (SQLException ex) {
            throw new NodeUnavailableException(replica, databases.get(0), false, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for replica " + replica.name(), ex);
        }
    }

    private static boolean hasRow(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next();
        }
    }

}
