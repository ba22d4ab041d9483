package io.ddm.placement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.ddm.datasource.Failures;
import io.ddm.datasource.ServerConnections;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every shard lives, recorded on the servers themselves: table {@value #TABLE} holds a whole placement
 * version (one row per shard, all with the version's epoch) in every shard database of the logical database, on
 * every node's primary, including a moved shard's retired source database. A move writes the new version to the
 * target's copy first (its point of no return) and then to every other shard database, so any one copy that is
 * reachable tells the newest version a reader can rely on: readers take the highest epoch they find.
 *
 * <p>A placement that no move has changed is not recorded anywhere: the configuration is authoritative until the
 * first move.
 */
public final class PlacementStore {

    /** DDM's placement table, in every shard database once a shard has moved. */
    public static final String TABLE = "_ddm_placement";

    private static final Logger logger = LoggerFactory.getLogger(PlacementStore.class);

    private PlacementStore() {
    }

    /**
     * Reads the newest recorded placement from every node's primary. A primary that does not answer is skipped with
     * a warning: the version is recorded on every node, so the others tell it.
     * @param topology the configured topology
     * @param timeout longest wait for each server
     * @return the newest version, empty when no shard has ever moved
     */
    public static Optional<RecordedPlacement> readNewest(Topology topology, Duration timeout) {
        RecordedPlacement newest = null;
        for (Node node : topology.nodes()) {
            Server primary = node.primary();
            if (!primary.url().startsWith("jdbc:mysql:") && !primary.url().startsWith("jdbc:mariadb:")) {
                continue;
            }
            try (Connection connection = ServerConnections.open(primary, timeout)) {
                for (String database : databasesWithTable(connection, topology.schema(), TABLE)) {
                    RecordedPlacement recorded = read(connection, database, topology.shards());
                    if (recorded != null && (newest == null || recorded.epoch() > newest.epoch())) {
                        newest = recorded;
                    }
                }
            }
            catch (SQLException ex) {
                logger.warn("Cannot read the recorded shard placement of '{}' on {}: {}. The other nodes' records are used.",
                        topology.schema(), Failures.describe(primary), Failures.describe(ex));
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * Reads the version recorded in one shard database.
     * @param connection a connection to the server
     * @param database the shard database
     * @param shards the number of shards of the logical database
     * @return the version, or {@code null} when the table is empty or does not hold every shard
     * @throws SQLException when the table cannot be read
     */
    public static RecordedPlacement read(Connection connection, String database, int shards) throws SQLException {
        String[] nodes = new String[shards];
        long epoch = -1;
        String moveId = null;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT shard, node, epoch, move_id FROM " + qualified(database)
                        + " ORDER BY shard")) {
            while (rows.next()) {
                int shard = rows.getInt(1);
                if (shard < 0 || shard >= shards) {
                    return null;
                }
                nodes[shard] = rows.getString(2);
                epoch = rows.getLong(3);
                moveId = rows.getString(4);
            }
        }
        for (String node : nodes) {
            if (node == null) {
                return null;
            }
        }
        return new RecordedPlacement(epoch, ShardPlacement.of(List.of(nodes)), moveId);
    }

    /**
     * Records a version in one shard database (creating the table), replacing what was there, in one transaction.
     * @param connection a connection to the server, in auto-commit mode
     * @param database the shard database
     * @param recorded the version
     * @throws SQLException when it cannot be written
     */
    public static void write(Connection connection, String database, RecordedPlacement recorded) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + qualified(database) + " (shard INT NOT NULL PRIMARY KEY,"
                    + " node VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL, move_id VARCHAR(64), recorded_at TIMESTAMP(3) NOT NULL"
                    + " DEFAULT CURRENT_TIMESTAMP(3))");
        }
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM " + qualified(database));
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + qualified(database)
                    + " (shard, node, epoch, move_id) VALUES (?, ?, ?, ?)")) {
                for (int shard = 0; shard < recorded.placement().shards(); shard++) {
                    insert.setInt(1, shard);
                    insert.setString(2, recorded.placement().nodeOf(shard));
                    insert.setLong(3, recorded.epoch());
                    insert.setString(4, recorded.moveId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
        catch (SQLException ex) {
            connection.rollback();
            throw ex;
        }
        finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * The databases of a logical database's shards (and their retired copies) on a server that hold a table.
     * @param connection a connection to the server
     * @param schema the logical schema
     * @param table the table name
     * @return database names
     * @throws SQLException when {@code information_schema} cannot be read
     */
    public static List<String> databasesWithTable(Connection connection, String schema, String table) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_SCHEMA FROM information_schema.TABLES"
                + " WHERE TABLE_NAME = ? AND TABLE_SCHEMA LIKE ? ESCAPE '!' ORDER BY TABLE_SCHEMA")) {
            statement.setString(1, table);
            String prefix = PhysicalNames.shardDatabasePrefix(schema);
            statement.setString(2, prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String database = rows.getString(1);
                    // shop_3, not shop_eu_3 of another logical database named shop_eu.
                    if (database.substring(PhysicalNames.shardDatabasePrefix(schema).length()).matches("[0-9]+")) {
                        result.add(database);
                    }
                }
            }
        }
        return result;
    }

    private static String qualified(String database) {
        return "`" + database.replace("`", "``") + "`.`" + TABLE + "`";
    }

}
