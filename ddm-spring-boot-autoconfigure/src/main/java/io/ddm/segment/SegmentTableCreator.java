package io.ddm.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddm.config.DdmConfigurationException;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.replication.ReplicaCatchUp;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the physical tables of segments added to the configuration, at startup before routing begins: in every
 * shard that already holds a table of the logical table, each configured segment table that is missing is created
 * with {@code CREATE TABLE new LIKE previous} (the definition of the segment before it) on the shard's primary. Then
 * the replicas of every node that got tables are waited for ({@link ReplicaCatchUp}); a replica that still lacks one
 * fails the startup, as reads routed to it would fail. A shard with no table of the logical table yet (a new table,
 * to be created through DDM) gets none. A segment table beyond the configured segments fails the startup: its rows
 * would be unreachable.
 */
public final class SegmentTableCreator {

    private static final Logger logger = LoggerFactory.getLogger(SegmentTableCreator.class);

    private SegmentTableCreator() {
    }

    /**
     * Creates the missing segment tables of every segmented table and waits for the replicas to have them.
     * @param topology the topology
     * @param physical its open pools
     * @param replicationWait longest wait for a node's replicas to apply the new tables
     * @throws DdmConfigurationException when a shard holds a segment table the configuration does not list
     * @throws IllegalStateException when a table cannot be created, or does not reach a replica in time
     */
    public static void createMissing(Topology topology, PhysicalDataSources physical, Duration replicationWait) {
        Map<String, Map<PhysicalPool, List<String>>> createdByNode = new LinkedHashMap<>();
        for (TableLayout table : topology.tables().values()) {
            if (table.segments() == null) {
                continue;
            }
            for (PhysicalPool primary : physical.pools()) {
                if (primary.server().role() != Server.Role.PRIMARY) {
                    continue;
                }
                List<String> created = createMissing(table, primary);
                if (!created.isEmpty()) {
                    createdByNode.computeIfAbsent(primary.server().node(), (node) -> new LinkedHashMap<>())
                        .computeIfAbsent(primary, (pool) -> new ArrayList<>())
                        .addAll(created);
                }
            }
        }
        createdByNode.forEach((node, created) -> awaitReplicas(topology.node(node), physical, created, replicationWait));
    }

    /** Creates the missing segment tables of one table in one shard database; returns their names. */
    private static List<String> createMissing(TableLayout table, PhysicalPool primary) {
        String path = "ddm.tables." + table.name() + ".table-sharding.segments";
        int segments = table.segments().count();
        try (Connection connection = primary.dataSource().getConnection()) {
            TreeMap<Integer, String> existing = existingSegments(connection, primary, table.name());
            if (existing.isEmpty()) {
                return List.of();
            }
            if (existing.lastKey() >= segments) {
                String unlisted = existing.lastEntry().getValue();
                throw new DdmConfigurationException(path, "lists " + segments + " segments, but shard database " + primary.database()
                        + " on '" + primary.server().name() + "' holds segment table " + unlisted + ", whose rows would be"
                        + " unreachable", "Keep every segment that has a table: add the bound of segment " + existing.lastKey()
                                + " (and any before it) back to " + path + ". Segments are only ever added.");
            }
            List<String> created = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                for (int segment = 0; segment < segments; segment++) {
                    if (existing.containsKey(segment)) {
                        continue;
                    }
                    Map.Entry<Integer, String> template = existing.lowerEntry(segment);
                    if (template == null) {
                        template = existing.firstEntry();
                    }
                    String name = PhysicalNames.segmentTable(table.name(), primary.shard(), segment);
                    statement.execute("CREATE TABLE IF NOT EXISTS `" + primary.database() + "`.`" + name + "` LIKE `"
                            + primary.database() + "`.`" + template.getValue() + "`");
                    logger.info("Created segment table {}.{} on '{}' like {} for keys {} of {}", primary.database(), name,
                            primary.server().name(), template.getValue(), table.segments().segment(segment), table.name());
                    existing.put(segment, name);
                    created.add(name);
                }
            }
            return created;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create the segment tables of " + table.name() + " in shard database "
                    + primary.database() + " on '" + primary.server().name() + "': " + ex.getMessage(), ex);
        }
    }

    /** The segment tables of a logical table in a shard database, by segment index. */
    private static TreeMap<Integer, String> existingSegments(Connection connection, PhysicalPool pool, String table)
            throws SQLException {
        Pattern name = Pattern.compile(Pattern.quote(PhysicalNames.physicalTablePrefix(table)) + pool.shard() + "_([0-9]{1,9})",
                Pattern.CASE_INSENSITIVE);
        TreeMap<Integer, String> result = new TreeMap<>();
        try (PreparedStatement tables = connection.prepareStatement(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            tables.setString(1, pool.database());
            try (ResultSet rows = tables.executeQuery()) {
                while (rows.next()) {
                    Matcher matcher = name.matcher(rows.getString(1));
                    if (matcher.matches()) {
                        result.put(Integer.parseInt(matcher.group(1)), rows.getString(1));
                    }
                }
            }
        }
        return result;
    }

    private static void awaitReplicas(Node node, PhysicalDataSources physical, Map<PhysicalPool, List<String>> created,
            Duration timeout) {
        if (node.replicas().isEmpty()) {
            return;
        }
        Map<String, ReplicaCatchUp.Straggler> stragglers = new HashMap<>();
        try (ReplicaCatchUp catchUp = new ReplicaCatchUp(node, timeout)) {
            catchUp.await().forEach((straggler) -> stragglers.put(straggler.replica().name(), straggler));
        }
        for (Server replica : node.replicas()) {
            for (Map.Entry<PhysicalPool, List<String>> entry : created.entrySet()) {
                PhysicalPool pool = replicaPool(physical, replica, entry.getKey().shard());
                for (String table : entry.getValue()) {
                    if (!exists(pool, table)) {
                        ReplicaCatchUp.Straggler straggler = stragglers.get(replica.name());
                        throw new IllegalStateException("Segment table " + pool.database() + "." + table + " was created on the"
                                + " primary of node '" + node.name() + "' but did not reach replica '" + replica.name() + "' within "
                                + timeout.toMillis() + " ms" + ((straggler != null) ? ": it " + straggler.problem() : "")
                                + ". Check that the replica's replication runs (SHOW REPLICA STATUS; on MariaDB SHOW SLAVE STATUS)"
                                + " and restart; the table exists on the primary and is not created again.");
                    }
                }
            }
        }
    }

    private static PhysicalPool replicaPool(PhysicalDataSources physical, Server replica, int shard) {
        return physical.poolsOf(replica.name()).stream().filter((pool) -> pool.shard() == shard).findFirst().orElseThrow();
    }

    private static boolean exists(PhysicalPool pool, String table) {
        try (Connection connection = pool.dataSource().getConnection();
                PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            exists.setString(1, pool.database());
            exists.setString(2, table);
            try (ResultSet rows = exists.executeQuery()) {
                return rows.next();
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot check that segment table " + pool.database() + "." + table + " reached replica '"
                    + pool.server().name() + "': " + ex.getMessage(), ex);
        }
    }

}
