package io.ddm.integration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;

import io.ddm.algorithm.ShardingKeyException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rows written through DDM land exactly where DDM's formulas say, checked by reading every physical table
 * directly on its server. 2 nodes with a replica each, 4 shards: ds0 hosts shop_0-1, ds1 hosts shop_2-3.
 * Expected locations are computed here from the documented formulas, independently of the production code.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardPlacementIntegrationTests {

    private static final int SHARDS = 4;

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    private DatabaseTopology topology;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_place");
        this.ddm = new DdmOnServers(topology, "it_place", SHARDS)
            .table("t_same", "user_id", "mod-hash", "user_id", "mod-hash", 2)
            .table("t_diff", "user_id", "mod-hash", "order_no", "mod-hash", 2)
            .table("t_str", "code", "mod-hash", "code", "mod-hash", 2)
            .table("t_ci", "code", "mod-hash-ci", null, null, null)
            .table("t_hash", "id", "hash", null, null, null)
            .table("t_date", "created", "yyyymm", "created", "dd", 3)
            .table("t_range", "id", "range", null, null, null)
            .table("t_list", "region", "list", null, null, null)
            .table("t_shift", "id", "right-shift", "id", "right-shift", 2)
            .table("t_spread", "id", "mod-hash", "id", "mod-hash", 2);
        DdmProperties.Sharding range = this.ddm.table("t_range").getDatabaseSharding();
        for (int shard = 0; shard < SHARDS; shard++) {
            DdmProperties.KeyRange keys = new DdmProperties.KeyRange();
            keys.setFrom(shard * 100L + 1);
            keys.setTo(shard * 100L + 100);
            keys.setShard(shard);
            range.getRanges().add(keys);
        }
        DdmProperties.Sharding list = this.ddm.table("t_list").getDatabaseSharding();
        list.getLists().put(0, List.of("CN", "JP"));
        list.getLists().put(1, List.of("US"));
        list.getLists().put(2, List.of("DE", "FR"));
        list.getLists().put(3, List.of("BR"));
        this.ddm.table("t_shift").getDatabaseSharding().setShiftBits(4);
        this.ddm.table("t_shift").getTableSharding().setShiftBits(4);
        this.dataSource = this.ddm.open();
        DdmOnServers.execute(this.dataSource,
                "CREATE TABLE t_same (user_id BIGINT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE t_diff (user_id BIGINT NOT NULL, order_no BIGINT NOT NULL, PRIMARY KEY (user_id, order_no))",
                "CREATE TABLE t_str (code VARCHAR(32) PRIMARY KEY)",
                "CREATE TABLE t_ci (code VARCHAR(32) NOT NULL, seq INT NOT NULL, PRIMARY KEY (code, seq))",
                "CREATE TABLE t_hash (id BIGINT PRIMARY KEY)",
                "CREATE TABLE t_date (created DATE PRIMARY KEY)",
                "CREATE TABLE t_range (id BIGINT PRIMARY KEY)",
                "CREATE TABLE t_list (region VARCHAR(8) NOT NULL, seq INT NOT NULL, PRIMARY KEY (region, seq))",
                "CREATE TABLE t_shift (id BIGINT PRIMARY KEY)",
                "CREATE TABLE t_spread (id BIGINT PRIMARY KEY)");
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void sameColumnUsesDdmGlobalTableNumbering() throws SQLException {
        List<Object> keys = new ArrayList<>();
        for (long key = 0; key < 40; key++) {
            keys.add(key);
        }
        keys.add(15L * 1000003);
        insert("INSERT INTO t_same (user_id, note) VALUES (?, 'x')", keys);
        // table = key % (4 shards x 2 tables), shard = table / 2
        assertPlacement("t_same", "user_id", 2, keys, (key) -> {
            int table = (int) ((Long) key % 8);
            return new Location(table / 2, "t_same_" + table);
        });
    }

    @Test
    void differentColumnsShardByTheFirstAndPickTheTableByTheSecond() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (long user = 0; user < 12; user++) {
            for (long order = 0; order < 3; order++) {
                rows.add(new Object[] { user, order * 7 + user });
            }
        }
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_diff (user_id, order_no) VALUES (?, ?)")) {
            for (Object[] row : rows) {
                insert.setObject(1, row[0]);
                insert.setObject(2, row[1]);
                insert.executeUpdate();
            }
        }
        for (Object[] row : rows) {
            int shard = (int) ((Long) row[0] % SHARDS);
            String table = "t_diff_" + (shard * 2 + (int) ((Long) row[1] % 2));
            assertThat(DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                    "SELECT COUNT(*) FROM " + table + " WHERE user_id = " + row[0] + " AND order_no = " + row[1]))
                .as("user %s order %s in %s.%s", row[0], row[1], this.ddm.database(shard), table)
                .containsExactly(List.of(1L));
        }
        assertThat(this.ddm.physicalCounts("t_diff", 2).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(rows.size());
    }

    @Test
    void stringsUseHashCode() throws SQLException {
        List<Object> keys = List.of("alice", "bob", "carol", "dave", "erin", "frank", "Zoë", "ünïcode", "", "a-much-longer-key-0001");
        insert("INSERT INTO t_str (code) VALUES (?)", keys);
        assertPlacement("t_str", "code", 2, keys, (key) -> {
            int table = Math.abs(key.toString().hashCode() % 8);
            return new Location(table / 2, "t_str_" + table);
        });
    }

    @Test
    void caseInsensitiveHashPutsBothCasesTogether() throws SQLException {
        List<Object[]> rows = List.of(new Object[] { "Tokyo", 1 }, new Object[] { "TOKYO", 2 }, new Object[] { "tokyo", 3 },
                new Object[] { "Paris", 1 }, new Object[] { "PARIS", 2 });
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_ci (code, seq) VALUES (?, ?)")) {
            for (Object[] row : rows) {
                insert.setObject(1, row[0]);
                insert.setObject(2, row[1]);
                insert.executeUpdate();
            }
        }
        for (String city : List.of("tokyo", "paris")) {
            int shard = Math.abs(city.hashCode() % SHARDS);
            assertThat(DdmOnServers.rows(this.ddm.primaryOfShard(shard), this.ddm.database(shard),
                    "SELECT COUNT(*) FROM t_ci WHERE LOWER(code) = '" + city + "'"))
                .containsExactly(List.of(city.equals("tokyo") ? 3L : 2L));
        }
    }

    @Test
    void hashBucketsCrc32IntoEqualRanges() throws SQLException {
        List<Object> keys = new ArrayList<>();
        for (long key = 1; key <= 40; key++) {
            keys.add(key * 37);
        }
        insert("INSERT INTO t_hash (id) VALUES (?)", keys);
        assertPlacement("t_hash", "id", 1, keys, (key) -> {
            CRC32 crc = new CRC32();
            crc.update(key.toString().getBytes(StandardCharsets.UTF_8));
            return new Location((int) ((crc.getValue() % 102400) / (102400 / SHARDS)), "t_hash");
        });
    }

    @Test
    void datesShardByYearMonthAndTablesByDayOfMonth() throws SQLException {
        List<Object> dates = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            dates.add(LocalDate.of(2023, 11, 20).plusDays(i * 5L));
        }
        insert("INSERT INTO t_date (created) VALUES (?)", dates);
        assertPlacement("t_date", "created", 3, dates, (date) -> {
            LocalDate day = (LocalDate) date;
            int shard = (day.getYear() * 12 + day.getMonthValue()) % SHARDS;
            return new Location(shard, "t_date_" + (shard * 3 + day.getDayOfMonth() % 3));
        });
    }

    @Test
    void rangesMapKeysToShardsAndRejectKeysOutsideThem() throws SQLException {
        List<Object> keys = List.of(1L, 100L, 101L, 150L, 200L, 201L, 300L, 301L, 400L);
        insert("INSERT INTO t_range (id) VALUES (?)", keys);
        assertPlacement("t_range", "id", 1, keys, (key) -> new Location((int) (((Long) key - 1) / 100), "t_range"));
        assertThatExceptionOfType(SQLException.class)
            .isThrownBy(() -> insert("INSERT INTO t_range (id) VALUES (?)", List.of(401L)))
            .satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("22000"))
            .withMessageContaining("t_range.id: key 401 is outside every configured range");
        assertThat(this.ddm.physicalCounts("t_range", 1).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(keys.size());
        // A range condition reads only the shards whose ranges overlap it: here shards 1 and 2.
        assertThat(DdmOnServers.query(this.dataSource, "SELECT id FROM t_range WHERE id BETWEEN 150 AND 250 ORDER BY id"))
            .extracting((row) -> ((Number) row.get(0)).longValue())
            .containsExactly(150L, 200L, 201L);
    }

    @Test
    void listsMapValuesToShards() throws SQLException {
        Map<String, Integer> shardOf = Map.of("CN", 0, "JP", 0, "US", 1, "DE", 2, "FR", 2, "BR", 3);
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_list (region, seq) VALUES (?, ?)")) {
            int seq = 0;
            for (String region : shardOf.keySet()) {
                insert.setString(1, region);
                insert.setInt(2, seq++);
                insert.executeUpdate();
            }
        }
        for (Map.Entry<String, Integer> entry : shardOf.entrySet()) {
            assertThat(DdmOnServers.rows(this.ddm.primaryOfShard(entry.getValue()), this.ddm.database(entry.getValue()),
                    "SELECT COUNT(*) FROM t_list WHERE region = '" + entry.getKey() + "'"))
                .as(entry.getKey())
                .containsExactly(List.of(1L));
        }
        // Prepared statements get an SQLException with SQL state 22000 (data exception) ...
        assertThatExceptionOfType(SQLException.class)
            .isThrownBy(() -> {
                try (Connection connection = this.dataSource.getConnection();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO t_list (region, seq) VALUES (?, 99)")) {
                    insert.setString(1, "XX");
                    insert.executeUpdate();
                }
            })
            .satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("22000"))
            .withMessageContaining("t_list.region")
            .withMessageContaining("'XX' is in no configured list");
        // ... plain statements get the exception itself: ShardingSphere 5.5.2 does not convert it there.
        assertThatExceptionOfType(ShardingKeyException.class)
            .isThrownBy(() -> DdmOnServers.execute(this.dataSource, "INSERT INTO t_list (region, seq) VALUES ('XX', 99)"))
            .withMessageContaining("'XX' is in no configured list");
        assertThat(this.ddm.physicalCounts("t_list", 1).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(shardOf.size());
    }

    @Test
    void rightShiftDropsLowBitsBeforeTheModulo() throws SQLException {
        List<Object> keys = new ArrayList<>();
        for (long key = 0; key < 400; key += 13) {
            keys.add(key);
        }
        insert("INSERT INTO t_shift (id) VALUES (?)", keys);
        // One column for both levels: DDM's shard-first rule, shard = v % 4, table = shard * 2 + (v / 4) % 2
        assertPlacement("t_shift", "id", 2, keys, (key) -> {
            long shifted = (Long) key >> 4;
            int shard = (int) (shifted % 4);
            return new Location(shard, "t_shift_" + (shard * 2 + (shifted / 4) % 2));
        });
    }

    @Test
    void tenThousandSequentialKeysSpreadEvenlyOverAllPhysicalTables() throws SQLException {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t_spread (id) VALUES (?)")) {
            for (long key = 1; key <= 10_000; key++) {
                insert.setLong(1, key);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Map<String, Long> counts = this.ddm.physicalCounts("t_spread", 2);
        assertThat(counts).hasSize(8);
        double mean = 10_000 / 8.0;
        assertThat(counts.values()).allSatisfy((count) -> assertThat((double) count).isBetween(mean * 0.9, mean * 1.1));
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
    }

    @Test
    void statementsCauseNoUseRoundTrips() throws SQLException {
        // ShardingSphere calls setCatalog on every connection it takes; DDM's pools are pinned to one database
        // and use Connector/J's local session state, so no USE reaches the server.
        long before = changeDbCount();
        for (long key = 0; key < 50; key++) {
            DdmOnServers.query(this.dataSource, "SELECT note FROM t_same WHERE user_id = ?", key);
            DdmOnServers.execute(this.dataSource, "UPDATE t_same SET note = 'y' WHERE user_id = " + key);
        }
        assertThat(changeDbCount() - before).isZero();
    }

    /** USE statements executed by all servers of the topology, minus the monitoring queries' own. */
    private long changeDbCount() throws SQLException {
        long result = 0;
        for (io.ddm.test.servers.DatabaseServer server : this.topology.servers()) {
            List<List<Object>> status = DdmOnServers.rows(server, "mysql", "SHOW GLOBAL STATUS LIKE 'Com_change_db'");
            result += Long.parseLong(status.get(0).get(1).toString());
        }
        return result;
    }

    private void insert(String sql, List<Object> keys) throws SQLException {
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Object key : keys) {
                insert.setObject(1, key);
                insert.executeUpdate();
            }
        }
    }

    /** Every key is in its expected physical table on its node, and nowhere else. */
    private void assertPlacement(String table, String column, int tablesPerShard, List<Object> keys,
            Function<Object, Location> expected) throws SQLException {
        for (Object key : keys) {
            Location location = expected.apply(key);
            String literal = (key instanceof Number) ? key.toString() : "'" + key.toString().replace("'", "''") + "'";
            assertThat(DdmOnServers.rows(this.ddm.primaryOfShard(location.shard()), this.ddm.database(location.shard()),
                    "SELECT COUNT(*) FROM " + location.table() + " WHERE BINARY " + column + " = BINARY " + literal))
                .as("%s=%s expected in %s.%s on %s", column, key, this.ddm.database(location.shard()), location.table(),
                        this.ddm.primaryOfShard(location.shard()).name())
                .containsExactly(List.of(1L));
        }
        long total = this.ddm.physicalCounts(table, tablesPerShard).values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("rows of %s across all physical tables", table).isEqualTo(keys.size());
    }

    record Location(int shard, String table) {
    }

}
