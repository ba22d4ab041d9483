package io.ddm.move;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.ddm.datasource.Failures;
import io.ddm.datasource.ServerConnections;
import io.ddm.placement.PlacementStore;
import io.ddm.placement.RecordedPlacement;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;

/**
 * What a shard move checks before it changes anything, each failing with a {@link MoveException} that names the
 * server, table or setting at fault and what to do: the source's binary log and DDM's right to read it, the tables
 * (primary keys, column types), an empty target database DDM may create, and the placement version every node
 * records.
 */
final class MoveChecks {

    private MoveChecks() {
    }

    /**
     * The source writes a binary log a move can read: ROW format with full row images, readable by DDM's account.
     * @param connection a connection to the source's primary
     * @param server that primary
     * @throws SQLException when the server cannot answer
     */
    static void requireBinlog(Connection connection, Server server) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image")) {
            rows.next();
            if (!rows.getBoolean(1)) {
                throw new MoveException("The source " + Failures.describe(server) + " writes no binary log; a move reads it to copy the"
                        + " changes made during the copy. Start the server with log-bin, binlog-format=ROW and binlog-row-image=FULL.");
            }
            if (!"ROW".equalsIgnoreCase(rows.getString(2)) || !"FULL".equalsIgnoreCase(rows.getString(3))) {
                throw new MoveException("The source " + Failures.describe(server) + " writes its binary log with binlog_format="
                        + rows.getString(2) + " and binlog_row_image=" + rows.getString(3) + "; a move needs ROW and FULL. Set them"
                        + " (SET GLOBAL binlog_format = 'ROW', binlog_row_image = 'FULL', and in the server's configuration).");
            }
        }
        List<String> grants = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW GRANTS")) {
            while (rows.next()) {
                grants.add(rows.getString(1).toUpperCase(Locale.ROOT));
            }
        }
        boolean canRead = grants.stream().anyMatch((grant) -> grant.contains("ON *.*") && (grant.contains("ALL PRIVILEGES")
                || grant.contains("REPLICATION SLAVE") || grant.contains("REPLICATION REPLICA")));
        if (!canRead) {
            throw new MoveException("DDM's account on the source " + Failures.describe(server) + " may not read the binary log. Grant it"
                    + " REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: also BINLOG MONITOR) ON *.* and start the move again.");
        }
    }

    /**
     * The application's tables of the shard database, each with a primary key and only column types the move copies
     * exactly.
     * @param connection a connection to the source's primary
     * @param database the shard database
     * @param server that primary
     * @return the tables
     * @throws SQLException when the server cannot answer
     */
    static List<ShardTable> movableTables(Connection connection, String database, Server server) throws SQLException {
        List<ShardTable> result = new ArrayList<>();
        for (ShardTable table : ShardTable.readAll(connection, database)) {
            if (!SourceRetirement.isDdmTable(table.name())) {
                result.add(table);
            }
        }
        for (ShardTable table : result) {
            if (table.primaryKey().isEmpty()) {
                throw new MoveException("Table " + table + " on " + Failures.describe(server) + " has no primary key; a move needs"
                        + " one on every table to apply changes exactly. Add a primary key to it and start the move again.");
            }
        }
        List<String> unsupported = ChangeStream.unsupportedColumns(result);
        if (!unsupported.isEmpty()) {
            throw new MoveException("The shard's tables have columns whose types a move cannot copy exactly: " + unsupported
                    + ". Change those column types, or move the shard with the servers' own tools.");
        }
        return result;
    }

    /**
     * Makes sure the target can take the shard: its database there is missing or holds no application table, and is
     * created if missing.
     * @param connection a connection to the target's primary
     * @param database the shard database
     * @param server that primary
     * @return whether the move created the database (and so drops it when it fails)
     * @throws SQLException when the server cannot answer
     */
    static boolean prepareTarget(Connection connection, String database, Server server) throws SQLException {
        boolean created = !databaseExists(connection, database);
        List<String> present = created ? List.of() : SourceRetirement.applicationTables(connection, database);
        if (!present.isEmpty()) {
            throw new MoveException("Node '" + server.node() + "' already has tables " + present + " in database '" + database
                    + "' on " + Failures.describe(server) + ". A move copies the whole shard into an empty database:"
                    + " drop or rename them (an earlier copy of the shard?) and start the move again.");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + ShardTable.quote(database));
        }
        catch (SQLException ex) {
            throw new MoveException("DDM's account cannot create database '" + database + "' on the target, "
                    + Failures.describe(server) + ": " + Failures.describe(ex) + ". Grant it CREATE, or create the"
                    + " database there yourself, and start the move again.", ex);
        }
        return created;
    }

    /**
     * The placement version the move records when it switches: one above the newest any node records, which must be the
     * one this instance routes by.
     * @param topology the topology
     * @param routedBy the version this instance routes by
     * @param timeout longest wait for each primary
     * @return the next version
     */
    static long nextEpoch(Topology topology, long routedBy, Duration timeout) {
        long newest = routedBy;
        for (Node node : topology.nodes()) {
            try (Connection connection = ServerConnections.open(node.primary(), timeout)) {
                for (String each : PlacementStore.databasesWithTable(connection, topology.schema(),
                        PlacementStore.TABLE)) {
                    RecordedPlacement recorded = PlacementStore.read(connection, each, topology.shards());
                    if (recorded != null) {
                        newest = Math.max(newest, recorded.epoch());
                    }
                }
            }
            catch (SQLException ex) {
                throw new MoveException("Cannot read the recorded placement on " + Failures.describe(node.primary()) + ": "
                        + Failures.describe(ex) + ". A move needs every node's primary to answer; start it again once it does.", ex);
            }
        }
        if (newest > routedBy) {
            throw new MoveException("Another instance has moved a shard since this one started (placement version " + newest
                    + " is recorded, this instance routes by version " + routedBy + ")."
                    + " Restart this instance, or run the move from an instance that routes by the newest placement.");
        }
        return newest + 1;
    }

    private static boolean databaseExists(Connection connection, String database) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

}
