package io.ddm.integration;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.ddm.test.servers.DatabaseServer;

/**
 * Compares the physical tables of two logical databases on the same servers, read directly from each server
 * (bypassing DDM): {@code fp_on_3.t_order_13} on a server must hold what {@code fp_off_3.t_order_13} holds on the same
 * server, and every physical table of one must exist in the other. A quick comparison uses {@code CHECKSUM TABLE}
 * (one statement per server for all tables asked for); a full one compares the rows and {@code SHOW CREATE TABLE}.
 * Only where checksums differ are rows read, to name the rows that differ.
 */
final class PhysicalTableComparison {

    private static final int SHOWN_ROWS = 10;

    private static final int SHOWN_TABLES = 10;

    private final List<DatabaseServer> servers;

    private final String first;

    private final String second;

    /** Per server, the physical tables of both logical databases as {@code database.table}. */
    private final Map<DatabaseServer, List<String>> tables = new LinkedHashMap<>();

    /**
     * A comparison of two logical databases.
     * @param servers the servers to read (primaries, or replicas)
     * @param first the first logical database, e.g. {@code fp_on}
     * @param second the second, e.g. {@code fp_off}
     */
    PhysicalTableComparison(List<DatabaseServer> servers, String first, String second) {
        this.servers = List.copyOf(servers);
        this.first = first;
        this.second = second;
    }

    /** Lists the physical tables again, after DDL. */
    void refresh() throws SQLException {
        this.tables.clear();
        for (DatabaseServer server : this.servers) {
            List<String> names = new ArrayList<>();
            for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT TABLE_SCHEMA, TABLE_NAME FROM TABLES"
                    + " WHERE TABLE_SCHEMA LIKE '" + this.first + "\\_%' OR TABLE_SCHEMA LIKE '" + this.second + "\\_%'"
                    + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
                String database = (String) row.get(0);
                if (shard(database) != null) {
                    names.add(database + "." + row.get(1));
                }
            }
            this.tables.put(server, names);
        }
    }

    /**
     * Compares the physical tables of some logical tables by checksum.
     * @param logicalTables the logical tables, or {@code null} for every table
     * @return the differences, each naming server, physical table and the rows that differ; empty when equal
     */
    List<String> quickDifferences(Collection<String> logicalTables) throws SQLException {
        if (this.tables.isEmpty()) {
            refresh();
        }
        List<String> result = new ArrayList<>();
        for (DatabaseServer server : this.servers) {
            List<String> names = this.tables.get(server).stream().filter((name) -> belongsTo(name, logicalTables)).toList();
            if (names.isEmpty()) {
                continue;
            }
            Map<String, String[]> sums = new TreeMap<>();
            String sql = "CHECKSUM TABLE " + names.stream().map(PhysicalTableComparison::quoted).collect(Collectors.joining(", "));
            for (List<Object> row : DdmOnServers.rows(server, "information_schema", sql)) {
                String name = (String) row.get(0);
                sums.computeIfAbsent(normalised(name), (key) -> new String[2])[side(name)] = String.valueOf(row.get(1));
            }
            int differing = 0;
            for (Map.Entry<String, String[]> table : sums.entrySet()) {
                String[] pair = table.getValue();
                if (pair[0] == null || pair[1] == null || !pair[0].equals(pair[1])) {
                    if (++differing <= SHOWN_TABLES) {
                        result.add(rowDifference(server, table.getKey(), pair));
                    }
                }
            }
            if (differing > SHOWN_TABLES) {
                result.add(server.name() + ": and " + (differing - SHOWN_TABLES) + " more tables that differ");
            }
        }
        return result;
    }

    /**
     * Compares every physical table row by row and by its definition.
     * @return the differences; empty when equal
     */
    List<String> fullDifferences() throws SQLException {
        refresh();
        List<String> result = new ArrayList<>();
        for (DatabaseServer server : this.servers) {
            Set<String> normalised = this.tables.get(server).stream().map(this::normalised).collect(Collectors.toCollection(TreeSet::new));
            for (String table : normalised) {
                String[] names = { physical(table, this.first), physical(table, this.second) };
                String[] definitions = new String[2];
                for (int side = 0; side < 2; side++) {
                    if (!this.tables.get(server).contains(names[side])) {
                        result.add(server.name() + " " + table + ": no table " + names[side]);
                        continue;
                    }
                    definitions[side] = String.valueOf(DdmOnServers.rows(server, "information_schema", "SHOW CREATE TABLE "
                            + quoted(names[side])).get(0).get(1));
                }
                if (definitions[0] == null || definitions[1] == null) {
                    continue;
                }
                if (!definitions[0].equals(definitions[1])) {
                    result.add(server.name() + " " + table + ": definitions differ:\n  " + names[0] + ": " + definitions[0] + "\n  "
                            + names[1] + ": " + definitions[1]);
                }
                String rows = rowDifference(server, table, new String[] { "", "" });
                if (rows.contains("only in")) {
                    result.add(rows);
                }
            }
        }
        return result;
    }

    /** The rows of one table that only one side holds, read from both. */
    private String rowDifference(DatabaseServer server, String table, String[] checksums) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (String schema : List.of(this.first, this.second)) {
            String name = physical(table, schema);
            List<String> each = new ArrayList<>();
            if (this.tables.get(server).contains(name)) {
                for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT * FROM " + quoted(name))) {
                    each.add(row.toString());
                }
            }
            rows.add(each);
        }
        StringBuilder result = new StringBuilder(server.name() + " " + table + " (checksums " + checksums[0] + " and "
                + checksums[1] + ", rows " + rows.get(0).size() + " and " + rows.get(1).size() + ")");
        for (int side = 0; side < 2; side++) {
            List<String> only = new ArrayList<>(rows.get(side));
            rows.get(1 - side).forEach(only::remove);
            if (!only.isEmpty()) {
                result.append("\n  only in ").append(physical(table, (side == 0) ? this.first : this.second)).append(": ")
                    .append(only.subList(0, Math.min(SHOWN_ROWS, only.size())))
                    .append((only.size() > SHOWN_ROWS) ? " and " + (only.size() - SHOWN_ROWS) + " more" : "");
            }
        }
        return result.toString();
    }

    /** Whether a physical table belongs to one of the logical tables: the same name, or the name and a table number. */
    private static boolean belongsTo(String qualified, Collection<String> logicalTables) {
        if (logicalTables == null) {
            return true;
        }
        String table = qualified.substring(qualified.indexOf('.') + 1);
        for (String logical : logicalTables) {
            if (table.equals(logical) || (table.startsWith(logical + "_") && table.substring(logical.length() + 1).matches("[0-9]+"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code 0} for the first logical database, {@code 1} for the second. */
    private int side(String qualified) {
        return isShardOf(qualified.substring(0, qualified.indexOf('.')), this.first) ? 0 : 1;
    }

    /** The shard number of a database of either logical database, or {@code null} for another database. */
    private String shard(String database) {
        for (String schema : List.of(this.first, this.second)) {
            if (isShardOf(database, schema)) {
                return database.substring(schema.length() + 1);
            }
        }
        return null;
    }

    private static boolean isShardOf(String database, String schema) {
        return database.startsWith(schema + "_") && Pattern.matches("[0-9]+", database.substring(schema.length() + 1));
    }

    /** {@code fp_*_3.t_order_13} for {@code fp_on_3.t_order_13}. */
    private String normalised(String qualified) {
        String database = qualified.substring(0, qualified.indexOf('.'));
        return "*_" + shard(database) + qualified.substring(database.length());
    }

    private static String physical(String normalised, String schema) {
        return schema + normalised.substring(1);
    }

    private static String quoted(String qualified) {
        int dot = qualified.indexOf('.');
        return "`" + qualified.substring(0, dot) + "`.`" + qualified.substring(dot + 1) + "`";
    }

}
