package io.ddm.datasource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddm.replication.ReplicaCatchUp;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing shard databases on each node's primary ({@code CREATE DATABASE IF NOT EXISTS}), then waits
 * until every replica lacking one has applied the primary's binary log up to that point ({@link ReplicaCatchUp}),
 * so the replicas' pools can open. A replica that still lacks a database after the wait fails startup.
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
            try (Connection connection = ServerConnections.open(node.primary(), REPLICATION_WAIT);
                    Statement statement = connection.createStatement()) {
                for (String database : databases) {
                    statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
                    logger.debug("Shard database {} exists on node {}", database, node.name());
                }
            }
            catch (SQLException ex) {
                throw new NodeUnavailableException(node.primary(), databases.get(0), false, ex);
            }
            awaitReplicas(node, databases);
        }
    }

    private static void awaitReplicas(Node node, List<String> databases) {
        List<Server> lacking = new ArrayList<>();
        for (Server replica : node.replicas()) {
            if (missingDatabase(replica, databases) != null) {
                lacking.add(replica);
            }
        }
        if (lacking.isEmpty()) {
            return;
        }
        Map<String, ReplicaCatchUp.Straggler> stragglers = new HashMap<>();
        try (ReplicaCatchUp catchUp = new ReplicaCatchUp(new Node(node.name(), node.primary(), lacking), REPLICATION_WAIT)) {
            catchUp.await().forEach((straggler) -> stragglers.put(straggler.replica().name(), straggler));
        }
        for (Server replica : lacking) {
            String missing = missingDatabase(replica, databases);
            if (missing != null) {
                ReplicaCatchUp.Straggler straggler = stragglers.get(replica.name());
                throw new NodeUnavailableException(replica, missing, true, new SQLException("Shard database '" + missing
                        + "' was created on the primary of node '" + node.name() + "' but did not reach replica '" + replica.name()
                        + "' within " + REPLICATION_WAIT.toSeconds() + " s" + ((straggler != null) ? ": it " + straggler.problem() : "")
                        + "; check that replication runs"));
            }
        }
    }

    /** The first of the databases the replica lacks, or {@code null} when it has them all. */
    private static String missingDatabase(Server replica, List<String> databases) {
        try (Connection connection = ServerConnections.open(replica, REPLICATION_WAIT);
                PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            for (String database : databases) {
                exists.setString(1, database);
                if (!hasRow(exists)) {
                    return database;
                }
            }
            return null;
        }
        catch (SQLException ex) {
            throw new NodeUnavailableException(replica, databases.get(0), false, ex);
        }
    }

    private static boolean hasRow(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next();
        }
    }

}
