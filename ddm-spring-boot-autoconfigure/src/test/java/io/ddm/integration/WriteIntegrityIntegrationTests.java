package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing written through DDM is lost or duplicated: a large batch across shards, and many threads mixing
 * inserts (with snowflake keys), updates, deletes and reads. The final state, read directly from every physical
 * table, equals what the clients wrote.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteIntegrityIntegrationTests {

    private static final int SHARDS = 4;

    private static final int TABLES_PER_SHARD = 2;

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    /** The user (sharding key) of every generated id, for updates and deletes. */
    private final Map<Long, Long> userOf = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_write");
        this.ddm = new DdmOnServers(topology, "it_write", SHARDS)
            .table("t_batch", "user_id", "mod-hash", "user_id", "mod-hash", TABLES_PER_SHARD)
            .table("t_mixed", "user_id", "mod-hash", "user_id", "mod-hash", TABLES_PER_SHARD);
        for (String table : List.of("t_batch", "t_mixed")) {
            DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
            keys.setColumn("id");
            this.ddm.table(table).setKeyGenerator(keys);
        }
        this.dataSource = this.ddm.open();
        DdmOnServers.execute(this.dataSource,
                "CREATE TABLE t_batch (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, amount INT NOT NULL)",
                "CREATE TABLE t_mixed (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, amount INT NOT NULL)");
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void batchOfTenThousandRowsArrivesComplete() throws SQLException {
        long expectedSum = 0;
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_batch (user_id, amount) VALUES (?, ?)")) {
            for (int i = 0; i < 10_000; i++) {
                insert.setLong(1, i % 997);
                insert.setInt(2, i);
                insert.addBatch();
                expectedSum += i;
            }
            int[] counts = insert.executeBatch();
            assertThat(counts).hasSize(10_000);
        }
        Totals totals = physicalTotals("t_batch");
        assertThat(totals.rows()).isEqualTo(10_000);
        assertThat(totals.distinctIds()).isEqualTo(10_000);
        assertThat(totals.amountSum()).isEqualTo(expectedSum);
        assertThat(DdmOnServers.query(this.dataSource, "SELECT COUNT(*), SUM(amount) FROM t_batch").get(0))
            .extracting(Object::toString)
            .containsExactly("10000", Long.toString(expectedSum));
    }

    @Test
    void concurrentMixedOperationsLoseAndDuplicateNothing() throws Exception {
        int threads = 16;
        int operations = 2_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<Map<Long, Integer>>> results = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            int worker = thread;
            results.add(executor.submit(() -> runMixed(worker, threads, operations)));
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        Map<Long, Integer> expected = new HashMap<>();
        for (Future<Map<Long, Integer>> result : results) {
            Map<Long, Integer> rows = result.get();
            assertThat(java.util.Collections.disjoint(rows.keySet(), expected.keySet())).as("generated keys shared between threads")
                .isTrue();
            expected.putAll(rows);
        }
        Totals totals = physicalTotals("t_mixed");
        assertThat(totals.rows()).isEqualTo(expected.size());
        assertThat(totals.distinctIds()).isEqualTo(expected.size());
        assertThat(totals.amountSum()).isEqualTo(expected.values().stream().mapToLong(Integer::longValue).sum());
        assertThat(totals.checksum()).isEqualTo(expected.entrySet().stream()
            .mapToLong((row) -> Math.floorMod(row.getKey(), 1_000_003L) * row.getValue()).sum());
    }

    /**
     * One client: its own users (worker, worker + threads, ...), so its expected rows are known exactly.
     * @return id to amount of the rows this client left
     */
    private Map<Long, Integer> runMixed(int worker, int threads, int operations) throws SQLException {
        Random random = new Random(worker);
        Map<Long, Integer> rows = new HashMap<>();
        List<Long> ids = new ArrayList<>();
        Set<Long> generated = new HashSet<>();
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_mixed (user_id, amount) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS);
                PreparedStatement update = connection.prepareStatement("UPDATE t_mixed SET amount = ? WHERE user_id = ? AND id = ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM t_mixed WHERE user_id = ? AND id = ?");
                PreparedStatement select = connection.prepareStatement("SELECT amount FROM t_mixed WHERE user_id = ? AND id = ?")) {
            for (int op = 0; op < operations; op++) {
                int dice = random.nextInt(10);
                long user = worker + (long) threads * random.nextInt(8);
                if (ids.isEmpty() || dice < 5) {
                    int amount = random.nextInt(1000);
                    insert.setLong(1, user);
                    insert.setInt(2, amount);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        assertThat(keys.next()).isTrue();
                        long id = keys.getLong(1);
                        assertThat(generated.add(id)).as("generated key %s returned twice", id).isTrue();
                        rows.put(id, amount);
                        ids.add(id);
                        this.userOf.put(id, user);
                    }
                    continue;
                }
                long id = ids.get(random.nextInt(ids.size()));
                long owner = this.userOf.get(id);
                if (dice < 7) {
                    int amount = random.nextInt(1000);
                    update.setInt(1, amount);
                    update.setLong(2, owner);
                    update.setLong(3, id);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                    rows.put(id, amount);
                }
                else if (dice < 8) {
                    delete.setLong(1, owner);
                    delete.setLong(2, id);
                    assertThat(delete.executeUpdate()).isEqualTo(1);
                    rows.remove(id);
                    ids.remove(Long.valueOf(id));
                }
                else {
                    // Reads go to replicas; they may lag, so only check that the row's shard answers.
                    select.setLong(1, owner);
                    select.setLong(2, id);
                    try (ResultSet result = select.executeQuery()) {
                        result.next();
                    }
                }
            }
        }
        return rows;
    }

    private Totals physicalTotals(String table) throws SQLException {
        long rows = 0;
        long amountSum = 0;
        long checksum = 0;
        Set<Long> ids = new HashSet<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            for (int i = 0; i < TABLES_PER_SHARD; i++) {
                String physical = table + "_" + (shard * TABLES_PER_SHARD + i);
                for (List<Object> row : DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                        "SELECT id, amount FROM " + physical)) {
                    long id = ((Number) row.get(0)).longValue();
                    long amount = ((Number) row.get(1)).longValue();
                    rows++;
                    amountSum += amount;
                    checksum += Math.floorMod(id, 1_000_003L) * amount;
                    ids.add(id);
                }
            }
        }
        return new Totals(rows, ids.size(), amountSum, checksum);
    }

    record Totals(long rows, long distinctIds, long amountSum, long checksum) {
    }

}
