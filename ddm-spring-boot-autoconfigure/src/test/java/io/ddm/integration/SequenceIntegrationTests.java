package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.keygen.SequenceState;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Sequences ({@code key-generator.type: sequence}) in table {@code _ddm_sequence} of the default shard database on
 * node ds0: several instances never hand out the same value, one instance's values increase, a restart of ds0 fails
 * the inserts that need a new block with an error naming sequence and server and never yields a duplicate, values
 * given explicitly are kept and passed, and a sequence moves forward but not back.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SequenceIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(SequenceIntegrationTests.class);

    private static final String COLUMNS = " (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, instance INT NOT NULL,"
            + " thread INT NOT NULL, n INT NOT NULL)";

    /** user_id 2 lives in shard 2, on node ds1: its rows need nothing from ds0 but values. */
    private static final long USER_ON_DS1 = 2;

    private static final int BLOCK_SIZE = 100;

    private DatabaseTopology topology;

    private DdmOnServers ddm;

    private DdmDataSource first;

    private DdmDataSource second;

    /**
     * Two instances over 4 shards on 2 nodes, blocks of 100: t_many is sharded by mod-hash of its sequence column,
     * the other tables by user_id.
     */
    @BeforeAll
    void instances(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_seq");
        this.ddm = new DdmOnServers(topology, "it_seq", 4);
        this.ddm.properties().getKeyGenerator().getSequence().setBlockSize(BLOCK_SIZE);
        this.ddm.table("t_many", "id", "mod-hash", null, null, null);
        keyGenerator(this.ddm.table("t_many"));
        for (String table : List.of("t_restart", "t_explicit", "t_move")) {
            this.ddm.table(table, "user_id", "mod-hash", null, null, null);
            keyGenerator(this.ddm.table(table));
        }
        this.first = this.ddm.open();
        for (String table : List.of("t_many", "t_restart", "t_explicit", "t_move")) {
            DdmOnServers.execute(this.first, "CREATE TABLE " + table + COLUMNS);
        }
        // Opened after the tables exist, so that its metadata has them.
        this.second = this.ddm.open();
    }

    @AfterAll
    void close() {
        if (this.second != null) {
            this.second.close();
        }
        if (this.first != null) {
            this.first.close();
        }
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    private static void keyGenerator(DdmProperties.Table table) {
        DdmProperties.KeyGenerator keyGenerator = new DdmProperties.KeyGenerator();
        keyGenerator.setColumn("id");
        keyGenerator.setType(DdmProperties.KeyGeneratorType.SEQUENCE);
        table.setKeyGenerator(keyGenerator);
    }

    @Test
    @Order(1)
    void twoInstancesOfEightThreadsHandOutUniqueValuesThatIncreasePerInstanceAndSpreadEvenly() throws Exception {
        int perThread = 10_000;
        int rowsPerInsert = 500;
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                DdmDataSource dataSource = (instance == 0) ? this.first : this.second;
                for (int thread = 0; thread < 8; thread++) {
                    int i = instance;
                    int t = thread;
                    Callable<List<Long>> work = () -> insertRows(dataSource, i, t, perThread, rowsPerInsert);
                    results.add(threads.submit(work));
                }
            }
            List<Long> handedOut = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                handedOut.addAll(result.get(5, TimeUnit.MINUTES));
            }
            assertThat(handedOut).hasSize(16 * perThread).doesNotHaveDuplicates();
        }
        finally {
            threads.shutdownNow();
        }
        Map<Integer, Integer> perShard = new LinkedHashMap<>();
        Set<Long> ids = new HashSet<>();
        long rows = 0;
        for (int shard = 0; shard < 4; shard++) {
            List<List<Object>> stored = DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                    "SELECT id FROM t_many");
            perShard.put(shard, stored.size());
            for (List<Object> row : stored) {
                ids.add(((Number) row.get(0)).longValue());
                rows++;
            }
        }
        assertThat(rows).as("rows stored").isEqualTo(16L * perThread);
        assertThat(ids).as("distinct ids over all shards").hasSize(16 * perThread);
        logger.info("Rows per shard: {}", perShard);
        // Consecutive values spread over the 4 shards by mod-hash: each shard gets about a quarter.
        perShard.values().forEach((count) -> assertThat(count).isBetween(16 * perThread / 4 * 9 / 10, 16 * perThread / 4 * 11 / 10));
    }

    /** Inserts rows with multi-row INSERTs and returns the generated values in the order the thread got them. */
    private static List<Long> insertRows(DdmDataSource dataSource, int instance, int thread, int count, int rowsPerInsert)
            throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO t_many (user_id, instance, thread, n) VALUES ");
        for (int i = 0; i < rowsPerInsert; i++) {
            sql.append((i > 0) ? ", " : "").append("(?, ?, ?, ?)");
        }
        List<Long> result = new ArrayList<>(count);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(sql.toString(), Statement.RETURN_GENERATED_KEYS)) {
            for (int n = 0; n < count; n += rowsPerInsert) {
                for (int i = 0; i < rowsPerInsert; i++) {
                    insert.setLong(4 * i + 1, n + i);
                    insert.setInt(4 * i + 2, instance);
                    insert.setInt(4 * i + 3, thread);
                    insert.setInt(4 * i + 4, n + i);
                }
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        result.add(keys.getLong(1));
                    }
                }
            }
        }
        for (int i = 1; i < result.size(); i++) {
            if (result.get(i) <= result.get(i - 1)) {
                throw new AssertionError("Thread " + instance + "/" + thread + " got " + result.get(i) + " after " + result.get(i - 1));
            }
        }
        return result;
    }

    @Test
    @Order(2)
    void explicitValuesAreKeptAndGeneratedValuesPassThemInEveryInstance() throws SQLException {
        String table = "t_explicit";
        long generated = insert(this.first, table);
        assertThat(generated).isEqualTo(1);
        // Ahead of the position, inside the block: the instance moves past it.
        insertExplicit(this.first, table, generated + 5);
        assertThat(insert(this.first, table)).isEqualTo(generated + 6);
        // Beyond every reserved block: the next block, of any instance, starts past it.
        insertExplicit(this.first, table, 5000);
        assertThat(insert(this.first, table)).isEqualTo(5001);
        insertExplicit(this.first, table, 7000);
        assertThat(insert(this.second, table)).as("the other instance's first block").isGreaterThan(7000);
        // Behind the position: kept, nothing moves.
        insertExplicit(this.first, table, 3);
        assertThat(insert(this.first, table)).isEqualTo(7001);
        // Literal values, in a multi-row insert, count as well.
        DdmOnServers.execute(this.first, "INSERT INTO t_explicit (id, user_id, instance, thread, n) VALUES (9000, 2, 0, 0, 0),"
                + " (9500, 2, 0, 0, 0)");
        assertThat(insert(this.first, table)).isGreaterThan(9500);
        assertThat(storedIds(table)).contains(3L, 7L, 5000L, 7000L, 9000L, 9500L).doesNotHaveDuplicates();
    }

    @Test
    @Order(3)
    void aSequenceMovesForwardButNotBack() throws SQLException {
        String table = "t_move";
        assertThat(insert(this.first, table)).isEqualTo(1);
        SequenceState moved = this.first.getSequences().moveTo(table, 20_000);
        assertThat(moved.firstUnreserved()).isEqualTo(20_000);
        assertThat(moved.next()).as("the block below the new value is given up").isNull();
        assertThat(insert(this.first, table)).isEqualTo(20_000);
        assertThat(insert(this.second, table)).isEqualTo(20_100);
        assertThat(this.first.getSequences().states()).filteredOn((state) -> state.name().equals(table)).singleElement()
            .satisfies((state) -> {
                assertThat(state.next()).isEqualTo(20_001);
                assertThat(state.blockEnd()).isEqualTo(20_100);
                assertThat(state.blockSize()).isEqualTo(BLOCK_SIZE);
                assertThat(state.server()).isEqualTo("ds0");
                assertThat(state.column()).isEqualTo("id");
            });
        assertThatIllegalArgumentException().isThrownBy(() -> this.second.getSequences().moveTo(table, 20_150))
            .withMessage("Sequence 't_move' cannot move back to 20150: values up to 20199 may have been handed out already."
                    + " Move it to at least 20200.");
        assertThatIllegalArgumentException().isThrownBy(() -> this.second.getSequences().moveTo("t_other", 30_000))
            .withMessageContaining("No sequence 't_other'");
        assertThat(insert(this.second, table)).as("a refused move changes nothing").isEqualTo(20_101);
    }

    @Test
    @Order(4)
    void whileTheSequencesServerRestartsInsertsNeedingANewBlockFailClearlyAndResumeWithoutDuplicates() throws SQLException {
        String table = "t_restart";
        DatabaseServer ds0 = this.topology.primary(0);
        List<Long> issued = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            issued.add(insert(this.first, table));
        }
        ds0.stop();
        SQLException failure = null;
        // What is left of the block is handed out; then the next block cannot be reserved.
        for (int i = 0; i <= BLOCK_SIZE && failure == null; i++) {
            try {
                issued.add(insert(this.first, table));
            }
            catch (SQLException ex) {
                failure = ex;
            }
        }
        assertThat((Throwable) failure).as("an insert needing a new block while ds0 is down").isNotNull();
        logger.info("An insert while ds0 is down: {}", failure.toString());
        assertThat(failure.getSQLState()).isEqualTo("HY000");
        assertThat(failure.getMessage()).contains("Sequence 't_restart'", "reserving its next block", "primary 'ds0' of node 'ds0'");
        assertThat(issued).as("values of the blocks reserved before the outage").hasSize(2 * BLOCK_SIZE);

        ds0.start();
        DdmOnServers.await(() -> {
            try {
                issued.add(insert(this.first, table));
                return true;
            }
            catch (SQLException ex) {
                return false;
            }
        }, () -> "inserts resume once ds0 is back");
        for (int i = 0; i < 15; i++) {
            issued.add(insert(this.first, table));
        }
        issued.add(insert(this.second, table));
        assertThat(issued).doesNotHaveDuplicates().isSorted();
        assertThat(storedIds(table)).containsExactlyElementsOf(issued);
    }

    /** The ids of a table sharded by user_id, from the physical table of {@link #USER_ON_DS1}, read on ds1. */
    private List<Long> storedIds(String table) throws SQLException {
        return DdmOnServers.rows(this.topology.primary(1), this.ddm.database(2), "SELECT id FROM " + table + " ORDER BY id").stream()
            .map((row) -> ((Number) row.get(0)).longValue()).toList();
    }

    private static long insert(DdmDataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (user_id, instance, thread, n)"
                        + " VALUES (" + USER_ON_DS1 + ", 0, 0, 0)", Statement.RETURN_GENERATED_KEYS)) {
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }

    private static void insertExplicit(DdmDataSource dataSource, String table, long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, user_id, instance, thread, n)"
                        + " VALUES (?, " + USER_ON_DS1 + ", 0, 0, 0)")) {
            insert.setLong(1, id);
            insert.executeUpdate();
        }
    }

}
