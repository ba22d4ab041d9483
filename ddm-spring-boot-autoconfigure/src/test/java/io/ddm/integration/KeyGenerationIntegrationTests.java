package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.keygen.WorkerIdLease;
import io.ddm.keygen.WorkerLockNames;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snowflake worker ids leased with MySQL named locks on the default shard's primary (node ds0): instances running
 * at the same time never share one, a stopped instance's id becomes free again, and while the lease is lost
 * (its server restarts, its lock is taken away) inserts that need a key fail with an error that says why,
 * until a worker id is leased again. No key is ever issued twice.
 *
 * <p>Two shards: {@code user_id} 1 lives on node ds1, so its inserts need nothing from ds0 but the key.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyGenerationIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(KeyGenerationIntegrationTests.class);

    private static final String UNAVAILABLE = "No snowflake key can be generated for logical database";

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @Test
    void runningInstancesLeaseDistinctWorkerIds() throws SQLException {
        DdmOnServers ddm = leased("it_keys");
        try (DdmDataSource first = ddm.open(); DdmDataSource second = ddm.open()) {
            // Both instances derive the same starting id from host and process; the lock moves the second one on.
            assertThat(second.getWorkerId()).isNotEqualTo(first.getWorkerId());
            int freed = second.getWorkerId();
            second.close();
            try (DdmDataSource third = ddm.open()) {
                assertThat(third.getWorkerId()).as("the id of the closed instance is free again").isEqualTo(freed);
            }
        }
    }

    @Test
    void configuredWorkerIdIsUsedAsIs() throws SQLException {
        DdmOnServers ddm = leased("it_keys_fixed");
        ddm.properties().getKeyGenerator().setWorkerId(1000);
        try (DdmDataSource dataSource = ddm.open()) {
            assertThat(dataSource.getWorkerId()).isEqualTo(1000);
            DdmOnServers.execute(dataSource, "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
            assertThat(workerIdOf(insert(dataSource, 1))).isEqualTo(1000);
        }
    }

    @Test
    void instancesStartedTogetherNeverShareAWorkerId() throws Exception {
        DdmOnServers ddm = leased("it_keys_race");
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (DdmDataSource resident = ddm.open()) {
            for (int round = 0; round < 8; round++) {
                List<Future<DdmDataSource>> starts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    starts.add(threads.submit((Callable<DdmDataSource>) ddm::open));
                }
                List<DdmDataSource> running = new ArrayList<>();
                try {
                    for (Future<DdmDataSource> start : starts) {
                        running.add(start.get(60, TimeUnit.SECONDS));
                    }
                    List<Integer> workerIds = new ArrayList<>(List.of(resident.getWorkerId()));
                    running.forEach((dataSource) -> workerIds.add(dataSource.getWorkerId()));
                    assertThat(workerIds).as("round %d", round).doesNotHaveDuplicates()
                        .allSatisfy((id) -> assertThat(id).isBetween(0, 1023));
                }
                finally {
                    running.forEach(DdmDataSource::close);
                }
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void whileTheLeasesServerRestartsKeysFailWithAClearErrorThenTheLeaseIsTakenAgain() throws SQLException {
        DdmOnServers ddm = leased("it_keys_restart");
        DatabaseServer ds0 = this.topology.primary(0);
        List<Long> issued = new ArrayList<>();
        try (DdmDataSource dataSource = ddm.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
            int before = dataSource.getWorkerId();
            for (int i = 0; i < 20; i++) {
                issued.add(insert(dataSource, 1));
            }
            assertThat(issued).extracting(KeyGenerationIntegrationTests::workerIdOf).containsOnly(before);

            ds0.stop();
            SQLException failure = awaitInsertFailure(dataSource, issued);
            logger.info("An insert while ds0 is down: {}", failure.toString());
            assertThat(failure.getSQLState()).isEqualTo("HY000");
            assertThat(failure.getMessage()).contains(UNAVAILABLE, "'it_keys_restart'", "worker id " + before,
                    WorkerLockNames.of("it_keys_restart", before), "primary 'ds0' of node 'ds0'", "ddm.key-generator.worker-id");
            DdmOnServers.await(() -> dataSource.getWorkerId() == -1, () -> "no id is held while ds0 is down");
            assertThat(insertFailure(dataSource)).as("still failing while ds0 is down").contains(UNAVAILABLE);

            ds0.start();
            awaitInsert(dataSource, issued);
            for (int i = 0; i < 20; i++) {
                issued.add(insert(dataSource, 1));
            }
            int after = dataSource.getWorkerId();
            assertThat(after).isBetween(0, 1023);
            assertThat(workerIdOf(issued.get(issued.size() - 1))).isEqualTo(after);
            assertThat(storedKeys(ddm)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(issued);
        }
    }

    @Test
    void aLockTakenAwayFailsKeysThenAnotherFreeIdIsLeased() throws Exception {
        String schema = "it_keys_lost";
        DdmOnServers ddm = leased(schema);
        DatabaseServer ds0 = this.topology.primary(0);
        List<Long> issued = new ArrayList<>();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (DdmDataSource dataSource = ddm.open(); Connection others = ds0.connection(); Connection waiter = ds0.connection()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)");
            issued.add(insert(dataSource, 1));
            int lost = dataSource.getWorkerId();
            String lock = WorkerLockNames.of(schema, lost);
            // Another "instance" holds every other id, so that the lease stays lost until one is released.
            for (int id = 0; id < WorkerIdLease.WORKER_IDS; id++) {
                if (id != lost) {
                    assertThat(lock(others, WorkerLockNames.of(schema, id), 0)).as("id %d is free", id).isTrue();
                }
            }
            // It waits for our lock, and gets it the moment our lease connection is killed.
            long waiterId = connectionId(waiter);
            Future<Boolean> taken = thread.submit(() -> lock(waiter, lock, 60));
            DdmOnServers.await(() -> isWaitingForALock(others, waiterId), () -> "the other connection waits for " + lock);
            long leaseConnection = single(others, "SELECT IS_USED_LOCK('" + lock + "')");
            try (Statement statement = others.createStatement()) {
                statement.execute("KILL " + leaseConnection);
            }
            assertThat(taken.get(60, TimeUnit.SECONDS)).as("the other connection took the lock").isTrue();

            SQLException failure = awaitInsertFailure(dataSource, issued);
            assertThat(failure.getMessage()).contains(UNAVAILABLE, "worker id " + lost, lock, "primary 'ds0' of node 'ds0'",
                    "ddm.key-generator.worker-id");
            DdmOnServers.await(() -> insertFailure(dataSource).contains("all 1024 worker ids are held"),
                () -> "the error says that no id is free");
            assertThat(dataSource.getWorkerId()).as("no id is held").isEqualTo(-1);

            int released = (lost + 512) % WorkerIdLease.WORKER_IDS;
            assertThat(single(others, "SELECT RELEASE_LOCK('" + WorkerLockNames.of(schema, released) + "')")).isEqualTo(1);
            awaitInsert(dataSource, issued);
            assertThat(dataSource.getWorkerId()).isEqualTo(released);
            assertThat(workerIdOf(issued.get(issued.size() - 1))).isEqualTo(released);
            assertThat(storedKeys(ddm)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(issued);
        }
        finally {
            thread.shutdownNow();
        }
    }

    /** A logical database with one sharded table whose keys are snowflake ids, the worker id leased. */
    private DdmOnServers leased(String schema) {
        this.topology.resetData(schema);
        DdmOnServers result = new DdmOnServers(this.topology, schema, 2).table("t_order", "user_id", "mod-hash", null, null, null);
        DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
        keys.setColumn("order_id");
        result.table("t_order").setKeyGenerator(keys);
        result.properties().getKeyGenerator().setWorkerId(null);
        result.properties().getNodes().values().forEach((node) -> node.getPool().put("maximum-pool-size", "4"));
        return result;
    }

    private static long insert(DdmDataSource dataSource, long userId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO t_order (user_id) VALUES (?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            statement.setLong(1, userId);
            assertThat(statement.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = statement.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }

    /** The message of a failed insert, or {@code ""} when it succeeded (its key is not kept: call only while failing). */
    private static String insertFailure(DdmDataSource dataSource) {
        try {
            insert(dataSource, 1);
            return "";
        }
        catch (SQLException ex) {
            return String.valueOf(ex.getMessage());
        }
    }

    /** Inserts until an insert fails, keeping the keys of those that succeed; the failure must be the lease's. */
    private static SQLException awaitInsertFailure(DdmDataSource dataSource, List<Long> issued) {
        SQLException[] failure = new SQLException[1];
        DdmOnServers.await(() -> {
            try {
                issued.add(insert(dataSource, 1));
                return false;
            }
            catch (SQLException ex) {
                failure[0] = ex;
                return true;
            }
        }, () -> "an insert fails");
        assertThat(failure[0].getMessage()).as("the failure is the lease's").contains(UNAVAILABLE);
        return failure[0];
    }

    /** Inserts until an insert succeeds, keeping its key. */
    private static void awaitInsert(DdmDataSource dataSource, List<Long> issued) {
        String[] last = new String[1];
        DdmOnServers.await(() -> {
            try {
                issued.add(insert(dataSource, 1));
                return true;
            }
            catch (SQLException ex) {
                last[0] = ex.getMessage();
                return false;
            }
        }, () -> "an insert succeeds; the last failure: " + last[0]);
    }

    /** Every key of t_order, read from the primaries directly. */
    private List<Long> storedKeys(DdmOnServers ddm) throws SQLException {
        List<Long> result = new ArrayList<>();
        for (int shard = 0; shard < 2; shard++) {
            for (List<Object> row : DdmOnServers.rows(ddm.primaryOfShard(shard), ddm.database(shard), "SELECT order_id FROM t_order")) {
                result.add(((Number) row.get(0)).longValue());
            }
        }
        return result;
    }

    static int workerIdOf(long key) {
        return (int) ((key >>> 12) & 1023);
    }

    private static boolean lock(Connection connection, String name, int timeoutSeconds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            statement.setString(1, name);
            statement.setInt(2, timeoutSeconds);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getInt(1) == 1;
            }
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        return single(connection, "SELECT CONNECTION_ID()");
    }

    private static boolean isWaitingForALock(Connection connection, long id) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE 'SELECT GET_LOCK%'")) {
            statement.setLong(1, id);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getLong(1) == 1;
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getLong(1);
        }
    }

}
