package io.ddm.integration;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.datasource.NodeUnavailableException;
import io.ddm.replication.DdlReplicationWait;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Logical DDL through DDM reaches every physical table on every server, replicas included, and is on the replicas
 * when it returns: a read right after it, which a replica serves, finds the change, also while replication is
 * paused for a moment; a replica that does not catch up in time makes the statement return after the timeout with a
 * warning instead of hanging. {@code create-shard-databases} creates what is missing.
 *
 * <p>4 shards on 2 nodes, 2 tables per shard: node ds0 holds shard databases {@code _0} (tables {@code _0}, {@code _1})
 * and {@code _1} ({@code _2}, {@code _3}), node ds1 {@code _2} ({@code _4}, {@code _5}) and {@code _3} ({@code _6},
 * {@code _7}); each node has one replica.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class DdlIntegrationTests {

    private static final int TABLES = 20;

    private final ExecutorService resumers = Executors.newFixedThreadPool(2);

    @AfterEach
    void restore(DatabaseTopology topology) {
        this.resumers.shutdownNow();
        // Unfreezes and resumes what a failed test left behind.
        topology.restore();
    }

    @Test
    void createAlterAndDropReachEveryPhysicalTable(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_ddl");
        DdmOnServers ddm = new DdmOnServers(topology, "it_ddl", 4).table("t_ddl", "id", "mod-hash", "id", "mod-hash", 2);
        try (DdmDataSource dataSource = ddm.open()) {
            // No wait for replication between a statement and the checks: DDL is on the replicas when it returns.
            DdmOnServers.execute(dataSource, "CREATE TABLE t_ddl (id BIGINT PRIMARY KEY)");
            // ds0 hosts it_ddl_0 (t_ddl_0, t_ddl_1) and it_ddl_1 (t_ddl_2, t_ddl_3); ds1 the rest. Replicas alike.
            assertThat(tables(topology.primary(0), "it_ddl")).containsExactly("it_ddl_0.t_ddl_0", "it_ddl_0.t_ddl_1",
                    "it_ddl_1.t_ddl_2", "it_ddl_1.t_ddl_3");
            assertThat(tables(topology.replicasOf(0).get(0), "it_ddl")).isEqualTo(tables(topology.primary(0), "it_ddl"));
            assertThat(tables(topology.primary(1), "it_ddl")).containsExactly("it_ddl_2.t_ddl_4", "it_ddl_2.t_ddl_5",
                    "it_ddl_3.t_ddl_6", "it_ddl_3.t_ddl_7");
            assertThat(tables(topology.replicasOf(1).get(0), "it_ddl")).isEqualTo(tables(topology.primary(1), "it_ddl"));

            DdmOnServers.execute(dataSource, "ALTER TABLE t_ddl ADD COLUMN note VARCHAR(10)");
            for (DatabaseServer server : topology.servers()) {
                assertThat(DdmOnServers.rows(server, "information_schema", "SELECT COUNT(*) FROM COLUMNS WHERE TABLE_SCHEMA LIKE"
                        + " 'it\\_ddl\\_%' AND TABLE_NAME LIKE 't\\_ddl\\_%' AND COLUMN_NAME = 'note'"))
                    .as(server.name())
                    .containsExactly(List.of(4L));
            }
            DdmOnServers.execute(dataSource, "INSERT INTO t_ddl (id, note) VALUES (5, 'five')");
            assertThat(DdmOnServers.rows(topology.primary(1), "it_ddl_2", "SELECT note FROM t_ddl_5")).containsExactly(List.of("five"));

            DdmOnServers.execute(dataSource, "DROP TABLE t_ddl");
            for (DatabaseServer server : topology.servers()) {
                assertThat(tables(server, "it_ddl")).as(server.name()).isEmpty();
            }
        }
    }

    @Test
    void createTableIsOnEveryReplicaWhenItReturnsAlsoWhileReplicationIsPaused(DatabaseTopology topology) throws Exception {
        topology.resetData("it_ready");
        DdmOnServers ddm = new DdmOnServers(topology, "it_ready", 4);
        for (int i = 0; i < TABLES; i++) {
            ddm.table("t_ready_" + i, "id", "mod-hash", "id", "mod-hash", 2);
        }
        // Generous, so that a paused replica is resumed while the statement still waits, however busy the machine.
        ddm.properties().getReadWriteSplitting().setReplicationWaitTimeout(Duration.ofSeconds(60));
        try (DdmDataSource dataSource = ddm.open()) {
            for (int i = 0; i < TABLES; i++) {
                String table = "t_ready_" + i;
                String create = "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))";
                if (i % 4 == 1) {
                    // Both replicas stop applying changes and are resumed only once their primary has the table: the
                    // statement cannot return before.
                    whileReplicasPaused(topology, (primary) -> hasTable(primary, "it_ready", table),
                            () -> DdmOnServers.execute(dataSource, create));
                }
                else {
                    DdmOnServers.execute(dataSource, create);
                }
                // At once: a read through DDM (outside a transaction: served by the replicas) and every physical table
                // read on each replica itself.
                assertThat(DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM " + table)).as(table)
                    .containsExactly(List.of(BigDecimal.ZERO));
                assertEveryPhysicalTableOnTheReplicas(topology, "it_ready", table, "COUNT(*)");
            }
        }
    }

    @Test
    void alterTableAddingAColumnCanBeReadFromTheReplicasWhenItReturns(DatabaseTopology topology) throws Exception {
        topology.resetData("it_alter");
        DdmOnServers ddm = new DdmOnServers(topology, "it_alter", 4).table("t_alter", "id", "mod-hash", "id", "mod-hash", 2);
        ddm.properties().getReadWriteSplitting().setReplicationWaitTimeout(Duration.ofSeconds(60));
        try (DdmDataSource dataSource = ddm.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_alter (id BIGINT PRIMARY KEY)");
            for (int i = 0; i < 8; i++) {
                DdmOnServers.execute(dataSource, "INSERT INTO t_alter (id) VALUES (" + i + ")");
            }
            for (int column = 0; column < 4; column++) {
                String name = "c" + column;
                String alter = "ALTER TABLE t_alter ADD COLUMN " + name + " VARCHAR(10) NOT NULL DEFAULT '" + name + "'";
                if (column % 2 == 1) {
                    whileReplicasPaused(topology, (primary) -> hasColumn(primary, "it_alter", "t_alter", name),
                            () -> DdmOnServers.execute(dataSource, alter));
                }
                else {
                    DdmOnServers.execute(dataSource, alter);
                }
                // The replicas have applied everything their primary had written, the rows inserted before included.
                List<List<Object>> rows = DdmOnServers.query(dataSource, "SELECT id, " + name + " FROM t_alter ORDER BY id");
                assertThat(rows).as(name).hasSize(8).allSatisfy((row) -> assertThat(row.get(1)).isEqualTo(name));
                assertEveryPhysicalTableOnTheReplicas(topology, "it_alter", "t_alter", "COUNT(" + name + ")");
            }
        }
    }

    @Test
    void pausedReplicaMakesDdlReturnAfterTheTimeoutWithAWarning(DatabaseTopology topology) throws Exception {
        topology.resetData("it_late");
        DdmOnServers ddm = new DdmOnServers(topology, "it_late", 4).table("t_late", "id", "mod-hash", "id", "mod-hash", 2);
        ddm.properties().getReadWriteSplitting().setReplicationWaitTimeout(Duration.ofSeconds(2));
        DatabaseServer paused = topology.replicasOf(1).get(0);
        try (DdmDataSource dataSource = ddm.open()) {
            paused.pauseReplication();
            List<String> warnings = warningsDuring(() -> executeBounded(dataSource, "CREATE TABLE t_late (id BIGINT PRIMARY KEY)"));
            assertThat(warnings).as("warnings").anySatisfy((warning) -> assertThat(warning).contains("Replica 'ds1-r0' of node 'ds1'",
                    "had not applied its primary's GTID position", DdlReplicationWait.TIMEOUT_PROPERTY + "=2000 ms",
                    "CREATE TABLE", "SHOW REPLICA STATUS"));
            assertThat(hasTable(topology.primary(1), "it_late", "t_late")).as("the statement succeeded on the primary").isTrue();
            assertThat(hasTable(paused, "it_late", "t_late")).as("not yet on the paused replica").isFalse();
            paused.resumeReplication();
            topology.awaitReplication();
            assertEveryPhysicalTableOnTheReplicas(topology, "it_late", "t_late", "COUNT(*)");
        }
    }

    @Test
    void frozenReplicaMakesDdlReturnAfterTheTimeoutWithAWarning(DatabaseTopology topology) throws Exception {
        topology.resetData("it_hung");
        DdmOnServers ddm = new DdmOnServers(topology, "it_hung", 4).table("t_hung", "id", "mod-hash", "id", "mod-hash", 2);
        ddm.properties().getReadWriteSplitting().setReplicationWaitTimeout(Duration.ofSeconds(2));
        DatabaseServer frozen = topology.replicasOf(0).get(0);
        try (DdmDataSource dataSource = ddm.open()) {
            // While every server answers: the wait opens its connections, so the one to the replica frozen next is
            // already open and the wait's query on it, not only a connection attempt, must be bounded.
            DdmOnServers.execute(dataSource, "CREATE TABLE t_warm (id BIGINT PRIMARY KEY)");
            frozen.freeze();
            List<String> warnings = warningsDuring(() -> executeBounded(dataSource, "CREATE TABLE t_hung (id BIGINT PRIMARY KEY)"));
            assertThat(warnings).as("warnings").anySatisfy((warning) -> assertThat(warning).contains("Replica 'ds0-r0' of node 'ds0'",
                    "CREATE TABLE"));
            assertThat(hasTable(topology.primary(0), "it_hung", "t_hung")).as("the statement succeeded on the primary").isTrue();
            frozen.unfreeze();
            topology.awaitReplication();
            assertEveryPhysicalTableOnTheReplicas(topology, "it_hung", "t_hung", "COUNT(*)");
        }
    }

    @Test
    void createShardDatabasesCreatesMissingOnesOnEveryServer(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_create");
        for (DatabaseServer server : topology.servers()) {
            assertThat(databases(server, "it_create")).isEmpty();
        }
        DdmOnServers ddm = new DdmOnServers(topology, "it_create", 4);
        try (DdmDataSource dataSource = ddm.open()) {
            topology.awaitReplication();
            assertThat(dataSource.getTopology().shards()).isEqualTo(4);
        }
        for (int i = 0; i < 2; i++) {
            List<String> expected = (i == 0) ? List.of("it_create_0", "it_create_1") : List.of("it_create_2", "it_create_3");
            assertThat(databases(topology.primary(i), "it_create")).isEqualTo(expected);
            assertThat(databases(topology.replicasOf(i).get(0), "it_create")).isEqualTo(expected);
        }
    }

    @Test
    void missingShardDatabaseWithoutCreationFailsNamingDatabaseAndNode(DatabaseTopology topology) {
        topology.resetData("it_missing");
        DdmProperties properties = new DdmOnServers(topology, "it_missing", 2).properties();
        properties.setCreateShardDatabases(false);
        assertThatExceptionOfType(NodeUnavailableException.class).isThrownBy(() -> DdmDataSourceFactory.create(properties))
            .satisfies((ex) -> {
                assertThat(ex.isMissingDatabase()).isTrue();
                assertThat(ex.getDatabase()).isEqualTo("it_missing_0");
                assertThat(ex.getNode()).isEqualTo("ds0");
            })
            .withMessageContaining("Shard database 'it_missing_0' does not exist on primary 'ds0'");
    }

    @Test
    void startupRejectsShardingColumnsWhoseTypeTheAlgorithmDoesNotAccept(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_types");
        DdmOnServers dates = new DdmOnServers(topology, "it_types", 2).table("t_event", "created", "yyyymm", null, null, null);
        try (DdmDataSource dataSource = dates.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_event (id BIGINT NOT NULL, created DATE NOT NULL, code VARCHAR(8),"
                    + " PRIMARY KEY (id, created))");
        }
        DdmOnServers modHashOnDate = new DdmOnServers(topology, "it_types", 2).table("t_event", "created", "mod-hash", null, null, null);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(modHashOnDate::open)
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddm.tables.t_event.database-sharding.column"))
            .withMessageContaining("column t_event.created is DATE, which mod-hash does not accept");
        DdmOnServers rightShiftOnString = new DdmOnServers(topology, "it_types", 2)
            .table("t_event", "code", "right-shift", null, null, null);
        rightShiftOnString.table("t_event").getDatabaseSharding().setShiftBits(2);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(rightShiftOnString::open)
            .withMessageContaining("column t_event.code is VARCHAR, which right-shift does not accept");
        DdmOnServers missingColumn = new DdmOnServers(topology, "it_types", 2).table("t_event", "user_id", "mod-hash", null, null, null);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(missingColumn::open)
            .withMessageContaining("table 't_event' has no column 'user_id'");
    }

    /**
     * Pauses both replicas, runs the statement, and resumes each replica from another thread once its primary shows
     * the change, that is while the statement runs: the statement returns only after both were resumed.
     */
    private void whileReplicasPaused(DatabaseTopology topology, Predicate<DatabaseServer> changedOnPrimary,
            SqlAction statement) throws Exception {
        AtomicInteger resumed = new AtomicInteger();
        List<Future<?>> resumes = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            DatabaseServer primary = topology.primary(node);
            DatabaseServer replica = topology.replicasOf(node).get(0);
            replica.pauseReplication();
            resumes.add(this.resumers.submit(() -> {
                DdmOnServers.await(() -> changedOnPrimary.test(primary), () -> "the change on " + primary.name());
                resumed.incrementAndGet();
                replica.resumeReplication();
            }));
        }
        statement.run();
        assertThat(resumed.get()).as("replicas resumed before the statement returned").isEqualTo(2);
        for (Future<?> resume : resumes) {
            resume.get(60, TimeUnit.SECONDS);
        }
    }

    /** Runs a statement, failing the test rather than hanging if it does not return within a minute. */
    private static void executeBounded(DdmDataSource dataSource, String sql) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            executor.submit(() -> {
                DdmOnServers.execute(dataSource, sql);
                return null;
            }).get(60, TimeUnit.SECONDS);
        }
        finally {
            executor.shutdownNow();
        }
    }

    /** The warnings of the DDL replication wait logged while an action runs. */
    private static List<String> warningsDuring(SqlAction action) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DdlReplicationWait.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            action.run();
        }
        finally {
            logger.detachAppender(events);
        }
        synchronized (events) {
            return events.list.stream().filter((event) -> event.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
        }
    }

    /** Reads every physical table of a logical one on the replica of the node that holds it, failing if one is missing. */
    private static void assertEveryPhysicalTableOnTheReplicas(DatabaseTopology topology, String schema, String table, String select)
            throws SQLException {
        for (int node = 0; node < 2; node++) {
            DatabaseServer replica = topology.replicasOf(node).get(0);
            try (Connection connection = replica.connection(); Statement statement = connection.createStatement()) {
                for (int shard = node * 2; shard < node * 2 + 2; shard++) {
                    for (int physical = shard * 2; physical < shard * 2 + 2; physical++) {
                        try (ResultSet rows = statement.executeQuery("SELECT " + select + " FROM `" + schema + "_" + shard + "`.`" + table
                                + "_" + physical + "`")) {
                            assertThat(rows.next()).as("%s_%s on %s", table, physical, replica.name()).isTrue();
                        }
                    }
                }
            }
        }
    }

    private static boolean hasTable(DatabaseServer server, String schema, String table) {
        return count(server, "SELECT COUNT(*) FROM TABLES WHERE TABLE_SCHEMA LIKE '" + schema + "\\_%' AND TABLE_NAME LIKE '"
                + table + "\\_%'") > 0;
    }

    private static boolean hasColumn(DatabaseServer server, String schema, String table, String column) {
        return count(server, "SELECT COUNT(*) FROM COLUMNS WHERE TABLE_SCHEMA LIKE '" + schema + "\\_%' AND TABLE_NAME LIKE '"
                + table + "\\_%' AND COLUMN_NAME = '" + column + "'") > 0;
    }

    private static long count(DatabaseServer server, String sql) {
        try {
            return ((Number) DdmOnServers.rows(server, "information_schema", sql).get(0).get(0)).longValue();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A statement or check that may throw. */
    @FunctionalInterface
    private interface SqlAction {

        void run() throws Exception;

    }

    private static List<String> tables(DatabaseServer server, String schema) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT TABLE_SCHEMA, TABLE_NAME FROM TABLES"
                + " WHERE TABLE_SCHEMA LIKE '" + schema + "\\_%' ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            result.add(row.get(0) + "." + row.get(1));
        }
        return result;
    }

    private static List<String> databases(DatabaseServer server, String schema) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT SCHEMA_NAME FROM SCHEMATA"
                + " WHERE SCHEMA_NAME LIKE '" + schema + "\\_%' ORDER BY SCHEMA_NAME")) {
            result.add(row.get(0).toString());
        }
        return result;
    }

}
