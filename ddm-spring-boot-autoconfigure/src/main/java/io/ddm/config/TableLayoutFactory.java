package io.ddm.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.ddm.config.DdmProperties.Table;
import io.ddm.config.DdmProperties.TableSharding;
import io.ddm.topology.DataNode;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Segments;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.TableLayout;
import io.ddm.topology.TableLayout.Kind;
import io.ddm.topology.TableLayout.Strategy;

/**
 * Checks the {@code ddm.tables} and {@code ddm.broadcast-tables} properties and lays out each table over the
 * shards: tables per shard or range segments, binding groups that must shard alike, and names that would collide
 * with physical tables. Each sharding block becomes a strategy in {@link ShardingStrategyFactory}. Used by
 * {@link TopologyFactory}.
 */
final class TableLayoutFactory {

    private static final Pattern TABLE_NAME = Pattern.compile(DdmProperties.IDENTIFIER);

    private TableLayoutFactory() {
    }

    /**
     * Validates the table properties and lays out every sharded and broadcast table.
     * @param properties the bound properties
     * @param schema logical schema
     * @param shards number of shards
     * @param placement shard placement
     * @return layouts by logical table name
     * @throws DdmConfigurationException on the first problem found
     */
    static Map<String, TableLayout> create(DdmProperties properties, String schema, int shards, ShardPlacement placement) {
        Map<String, TableLayout> result = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, Table> entry : properties.getTables().entrySet()) {
            String path = "ddm.tables." + entry.getKey();
            checkTableName(entry.getKey(), path, names);
            result.put(entry.getKey(), shardedTable(entry.getKey(), entry.getValue(), path, schema, shards, placement));
        }
        for (int i = 0; i < properties.getBroadcastTables().size(); i++) {
            String name = properties.getBroadcastTables().get(i);
            String path = "ddm.broadcast-tables[" + i + "]";
            if (name != null && properties.getTables().containsKey(name)) {
                throw new DdmConfigurationException(path, "table '" + name + "' is both sharded (ddm.tables." + name
                        + ") and broadcast", "Make it either sharded or broadcast.");
            }
            checkTableName(name, path, names);
            result.put(name, new TableLayout(name, Kind.BROADCAST, null, null, 1, false, null, null, null,
                    TableLayout.shardedDataNodes(name, shards, placement, schema, 1, false)));
        }
        checkPhysicalNameCollisions(result);
        checkBindingGroups(result);
        return result;
    }

    private static void checkTableName(String name, String path, Set<String> names) {
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            throw new DdmConfigurationException(path, "'" + name + "' is not a valid table name",
                    "Use a name that starts with a letter and contains only letters, digits and '_'.");
        }
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
            throw new DdmConfigurationException(path, "table '" + name + "' is configured twice", "Configure each table once.");
        }
    }

    private static TableLayout shardedTable(String name, Table table, String path, String schema, int shards,
            ShardPlacement placement) {
        if (table.getDatabaseSharding() == null) {
            throw new DdmConfigurationException(path + ".database-sharding", "table '" + name + "' has no database sharding",
                    "Give " + path + ".database-sharding a column and an algorithm (tables sharded only inside one database"
                            + " are not supported), or list the table under ddm.broadcast-tables, or remove it to keep it"
                            + " as a single table in the default shard.");
        }
        Strategy database = ShardingStrategyFactory.create(table.getDatabaseSharding(), path + ".database-sharding", shards, true);
        Strategy tableStrategy = null;
        int tablesPerShard = 1;
        TableSharding tableSharding = table.getTableSharding();
        Segments segments = null;
        if (tableSharding != null && (!tableSharding.getSegments().isEmpty() || tableSharding.getSegmentsStart() != 1)) {
            segments = segments(tableSharding, path + ".table-sharding");
            tablesPerShard = segments.count();
        }
        else if (tableSharding != null) {
            Integer count = tableSharding.getTablesPerShard();
            if (count == null || count < 1) {
                throw new DdmConfigurationException(path + ".table-sharding.tables-per-shard", (count == null)
                        ? "is not set" : "must be at least 1 but is " + count, "Set how many physical tables each shard holds,"
                                + " e.g. " + path + ".table-sharding.tables-per-shard=4, or split the table into range segments"
                                + " instead, e.g. " + path + ".table-sharding.segments=5000000,10000000.");
            }
            tablesPerShard = count;
            tableStrategy = ShardingStrategyFactory.create(tableSharding, path + ".table-sharding", tablesPerShard, false);
            int limit = tableStrategy.function().maxTablesPerShard();
            if (limit > 0 && tablesPerShard > limit) {
                throw new DdmConfigurationException(path + ".table-sharding.tables-per-shard", "is " + tablesPerShard + ", but "
                        + tableStrategy.function().propertyName() + " gives at most " + limit + " distinct values, as DDM documents",
                        "Set at most " + limit + " tables per shard for " + tableStrategy.function().propertyName() + ".");
            }
        }
        boolean globalNumbering = tableStrategy != null && database.column().equalsIgnoreCase(tableStrategy.column())
                && database.function() == tableStrategy.function() && database.parameters().equals(tableStrategy.parameters());
        String keyColumn = null;
        String keyType = null;
        if (table.getKeyGenerator() != null) {
            keyColumn = table.getKeyGenerator().getColumn();
            if (keyColumn == null || keyColumn.isBlank()) {
                throw new DdmConfigurationException(path + ".key-generator.column", "no column is set for the key generator",
                        "Set the column that receives generated keys, e.g. " + path + ".key-generator.column=order_id.");
            }
            keyType = table.getKeyGenerator().getType().name();
        }
        List<DataNode> dataNodes = (segments != null)
                ? TableLayout.segmentDataNodes(name, shards, placement, schema, segments)
                : TableLayout.shardedDataNodes(name, shards, placement, schema, tablesPerShard, tableStrategy != null);
        return new TableLayout(name, Kind.SHARDED, database, tableStrategy, tablesPerShard, globalNumbering, keyColumn, keyType,
                table.getBindingGroup(), dataNodes, segments);
    }

    /**
     * Range segments replace the table algorithm: they take only a column, the bounds and the first segment's start.
     */
    private static Segments segments(TableSharding sharding, String path) {
        if (sharding.getSegments().isEmpty()) {
            throw new DdmConfigurationException(path + ".segments-start", "is set but " + path + ".segments is empty",
                    "List the segments' inclusive upper bounds, e.g. " + path + ".segments=5000000,10000000, or remove "
                            + path + ".segments-start.");
        }
        if (sharding.getTablesPerShard() != null) {
            throw new DdmConfigurationException(path + ".tables-per-shard", "cannot be combined with " + path + ".segments",
                    "Remove " + path + ".tables-per-shard: with range segments every shard holds one table per segment.");
        }
        if (sharding.getAlgorithm() != null) {
            throw new DdmConfigurationException(path + ".algorithm", "cannot be combined with " + path + ".segments",
                    "Remove " + path + ".algorithm: range segments pick the table by the key's range.");
        }
        if (sharding.getShiftBits() != null || !sharding.getRanges().isEmpty() || !sharding.getLists().isEmpty()) {
            String unused = (sharding.getShiftBits() != null) ? "shift-bits" : (!sharding.getRanges().isEmpty() ? "ranges" : "lists");
            throw new DdmConfigurationException(path + "." + unused, "is set but the table is split into range segments,"
                    + " which do not use it", "Remove " + path + "." + unused + ".");
        }
        if (sharding.getColumn() == null || sharding.getColumn().isBlank()) {
            throw new DdmConfigurationException(path + ".column", "no segment column is set",
                    "Set the increasing integer column whose value picks the segment, e.g. " + path + ".column=order_id.");
        }
        List<Long> bounds = sharding.getSegments();
        long start = sharding.getSegmentsStart();
        for (int i = 0; i < bounds.size(); i++) {
            String boundPath = path + ".segments[" + i + "]";
            Long bound = bounds.get(i);
            if (bound == null) {
                throw new DdmConfigurationException(boundPath, "is empty", "Give every segment its inclusive upper key bound.");
            }
            if (i == 0 && bound < start) {
                throw new DdmConfigurationException(boundPath, "upper bound " + bound + " of the first segment is below "
                        + path + ".segments-start " + start, "Make the first bound at least " + start + ", or lower "
                                + path + ".segments-start.");
            }
            if (i > 0 && bounds.get(i - 1) != null && bound <= bounds.get(i - 1)) {
                throw new DdmConfigurationException(boundPath, "upper bound " + bound + " is not greater than the previous one, "
                        + bounds.get(i - 1), "List the bounds in increasing order: segment " + i + " holds the keys from "
                                + bounds.get(i - 1) + " + 1 up to its bound. Never change or remove the bound of a segment"
                                + " that holds rows; add segments at the end.");
            }
        }
        return new Segments(sharding.getColumn(), start, bounds);
    }

    private static void checkPhysicalNameCollisions(Map<String, TableLayout> tables) {
        for (TableLayout table : tables.values()) {
            Pattern physical = physicalNamePattern(table);
            if (physical == null) {
                continue;
            }
            for (TableLayout other : tables.values()) {
                if (other == table) {
                    continue;
                }
                if (physical.matcher(other.name()).matches()) {
                    throw new DdmConfigurationException(path(other), "table '" + other.name()
                            + "' has the name of a physical table of '" + table.name() + "' (" + examples(table) + ", ...)",
                            "Rename one of the two tables.");
                }
                for (DataNode node : other.dataNodes()) {
                    if (physical.matcher(node.table()).matches()) {
                        throw new DdmConfigurationException(path(other), "physical table " + node + " of '" + other.name()
                                + "' has the name of a physical table of '" + table.name() + "' (" + examples(table) + ", ...)",
                                "Rename one of the two tables.");
                    }
                }
            }
        }
    }

    private static Pattern physicalNamePattern(TableLayout table) {
        String prefix = Pattern.quote(PhysicalNames.physicalTablePrefix(table.name()));
        if (table.segments() != null) {
            return Pattern.compile(prefix + "[0-9]+_[0-9]+", Pattern.CASE_INSENSITIVE);
        }
        return (table.tableSharding() != null) ? Pattern.compile(prefix + "[0-9]+", Pattern.CASE_INSENSITIVE) : null;
    }

    private static String examples(TableLayout table) {
        return (table.segments() != null) ? PhysicalNames.segmentTable(table.name(), 0, 0) + ", "
                + PhysicalNames.segmentTable(table.name(), 0, 1) : table.name() + "_0, " + table.name() + "_1";
    }

    private static String path(TableLayout table) {
        return (table.kind() == Kind.BROADCAST) ? "ddm.broadcast-tables" : "ddm.tables." + table.name();
    }

    private static void checkBindingGroups(Map<String, TableLayout> tables) {
        Map<String, TableLayout> first = new LinkedHashMap<>();
        for (TableLayout table : tables.values()) {
            if (table.bindingGroup() == null) {
                continue;
            }
            TableLayout reference = first.putIfAbsent(table.bindingGroup(), table);
            if (reference != null && !shardsAlike(reference, table)) {
                throw new DdmConfigurationException("ddm.tables." + table.name() + ".binding-group", "'" + table.name()
                        + "' is sharded as " + describe(table) + " but '" + reference.name() + "' in binding group '"
                        + table.bindingGroup() + "' as " + describe(reference), "Tables of one binding group must use the same"
                                + " algorithms, parameters and tables-per-shard (or segments), so equal keys land in the same"
                                + " physical shard.");
            }
        }
    }

    private static boolean shardsAlike(TableLayout a, TableLayout b) {
        return a.tablesPerShard() == b.tablesPerShard() && a.globalNumbering() == b.globalNumbering()
                && Objects.equals(bounds(a), bounds(b))
                && sameAlgorithm(a.databaseSharding(), b.databaseSharding()) && sameAlgorithm(a.tableSharding(), b.tableSharding());
    }

    private static Segments bounds(TableLayout table) {
        return (table.segments() != null) ? new Segments("", table.segments().start(), table.segments().bounds()) : null;
    }

    private static boolean sameAlgorithm(Strategy a, Strategy b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.function() == b.function() && a.parameters().equals(b.parameters());
    }

    private static String describe(TableLayout table) {
        if (table.segments() != null) {
            return "database " + table.databaseSharding() + ", table " + table.segments();
        }
        return "database " + table.databaseSharding() + ((table.tableSharding() != null)
                ? ", table " + table.tableSharding() + " x" + table.tablesPerShard() : "");
    }

}
