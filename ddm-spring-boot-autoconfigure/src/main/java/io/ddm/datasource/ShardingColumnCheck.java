package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import io.ddm.algorithm.ShardingKeyKind;
import io.ddm.config.DdmConfigurationException;
import io.ddm.topology.DataNode;
import io.ddm.topology.TableLayout;
import io.ddm.topology.TableLayout.Kind;
import io.ddm.topology.TableLayout.Strategy;
import io.ddm.topology.Topology;

/**
 * Checks at startup that every sharding column of a table that already exists has a type its algorithm
 * accepts (and exists at all), reading the column of the table's first physical table. Tables created later
 * through DDM are checked when rows are routed, with the same message.
 */
final class ShardingColumnCheck {

    private ShardingColumnCheck() {
    }

    /**
     * Starts the check on a thread of its own, so that it runs while ShardingSphere starts.
     * @param topology the topology
     * @param pools the pools
     * @return the running check
     */
    static Running start(Topology topology, PhysicalDataSources pools) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            check(topology, pools);
            return null;
        });
        Thread thread = new Thread(task, "ddm-sharding-column-check");
        thread.setDaemon(true);
        thread.start();
        return new Running(task);
    }

    static void check(Topology topology, PhysicalDataSources pools) throws SQLException {
        for (TableLayout table : topology.tables().values()) {
            if (table.kind() != Kind.SHARDED) {
                continue;
            }
            DataNode first = table.dataNodes().get(0);
            PhysicalPool pool = pools.pools().stream()
                .filter((each) -> each.shard() == first.shard() && each.server().role() == io.ddm.topology.Server.Role.PRIMARY)
                .findFirst()
                .orElseThrow();
            try (Connection connection = pool.dataSource().getConnection()) {
                check(connection, table, first, table.databaseSharding(), "database-sharding");
                if (table.tableSharding() != null) {
                    check(connection, table, first, table.tableSharding(), "table-sharding");
                }
                if (table.segments() != null) {
                    check(connection, table, first, table.segments().column(), Set.of(ShardingKeyKind.INTEGER), "range segments",
                            "table-sharding");
                }
            }
        }
    }

    private static void check(Connection connection, TableLayout table, DataNode node, Strategy strategy, String level)
            throws SQLException {
        check(connection, table, node, strategy.column(), strategy.acceptedKinds(), strategy.function().propertyName(),
                level);
    }

    private static void check(Connection connection, TableLayout table, DataNode node, String sharding,
            Set<ShardingKeyKind> accepted, String algorithm, String level) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        if (!exists(metaData, node)) {
            return;
        }
        String path = "ddm.tables." + table.name() + "." + level + ".column";
        try (ResultSet column = metaData.getColumns(node.database(), null, node.table(), sharding)) {
            if (!column.next()) {
                throw new DdmConfigurationException(path, "table '" + table.name() + "' has no column '" + sharding
                        + "' (checked in " + node + ")", "Name an existing column of " + table.name() + " as sharding column.");
            }
            ShardingKeyKind kind = ShardingKeyKind.ofSqlType(column.getInt("DATA_TYPE"), column.getInt("DECIMAL_DIGITS"));
            if (kind == null || !accepted.contains(kind)) {
                throw new DdmConfigurationException(path, "column " + table.name() + "." + sharding + " is "
                        + column.getString("TYPE_NAME").toUpperCase(Locale.ROOT) + ", which " + algorithm
                        + " does not accept", "Use an algorithm for this column type, or shard by a column of type "
                                + describe(accepted) + ".");
            }
        }
    }

    private static boolean exists(DatabaseMetaData metaData, DataNode node) throws SQLException {
        try (ResultSet tables = metaData.getTables(node.database(), null, node.table(), null)) {
            return tables.next();
        }
    }

    private static String describe(Set<ShardingKeyKind> accepted) {
        return String.join(" or ", accepted.stream().map(ShardingKeyKind::description).toList());
    }

    /**
     * A check running on its own thread.
     */
    static final class Running {

        private final FutureTask<Void> task;

        private Running(FutureTask<Void> task) {
            this.task = task;
        }

        /**
         * Waits for the check and throws its failure as the check threw it.
         * @throws SQLException when a column could not be read
         */
        void await() throws SQLException {
            Throwable failure = failure();
            if (failure instanceof SQLException sql) {
                throw sql;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        }

        /**
         * The failure a startup reports after a step failed while the check ran: the check's own where it failed too
         * (the one a startup reported first when the check ran before the other steps), with the other suppressed.
         * Waits for the check, so that it no longer reads the pools when they are closed.
         * @param other the step's failure
         * @return the failure to report
         */
        Exception reported(Exception other) {
            Throwable failure = failure();
            if (failure == null || failure == other || !(failure instanceof Exception check)) {
                return other;
            }
            check.addSuppressed(other);
            return check;
        }

        /** Waits for the check: its failure, or {@code null}. */
        private Throwable failure() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        this.task.get();
                        return null;
                    }
                    catch (InterruptedException ex) {
                        // The check ends within the servers' timeouts; waiting keeps the pools from closing under it.
                        interrupted = true;
                    }
                    catch (ExecutionException ex) {
                        return ex.getCause();
                    }
                }
            }
            finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

    }

}
