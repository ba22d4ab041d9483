package io.ddm.move;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.ddm.move.ChunkComparison.ChunkMismatch;
import io.ddm.move.ChunkComparison.Comparison;
import io.ddm.move.ChunkComparison.ShardMismatchException;
import io.ddm.move.ShardSideException.Side;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The snapshot copy and the chunked comparison of a shard move, between two real primaries: ds0 holds the shard
 * database, ds1 receives the copy. Values of every common type arrive byte for byte; the comparison finds each kind of
 * difference made on the target behind the copy's back; and a copy taken while two threads write to the source holds
 * exactly the snapshot's rows, with the binary log from the snapshot's position carrying exactly the rest.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 0)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardCopyIntegrationTests {

    private static final String PREFIX = "it_copy_";

    private static final String DB = PREFIX + "shop_3";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DatabaseTopology topology;

    private DatabaseServer source;

    private DatabaseServer target;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
        this.source = topology.primary(0);
        this.target = topology.primary(1);
    }

    @BeforeEach
    void reset() throws SQLException {
        this.topology.resetData(PREFIX);
        for (DatabaseServer server : List.of(this.source, this.target)) {
            try (Connection connection = server.connection()) {
                execute(connection, "CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
            }
        }
    }

    @Test
    void copiesEveryTypeExactlyAndTheComparisonFindsEachDifferenceMadeOnTheTarget() throws Exception {
        try (Connection src = this.source.connection(DB)) {
            createAndFillTypes(src);
            execute(src, "CREATE TABLE t_pair (tenant VARCHAR(20) NOT NULL, seq INT NOT NULL, day DATE NOT NULL, note VARCHAR(20),"
                    + " PRIMARY KEY (tenant, seq, day))");
            String[] tenants = {"apple", "Äpfel", "Banana", "zebra", "émile", "🍎fruit"};
            try (PreparedStatement insert = src.prepareStatement("INSERT INTO t_pair VALUES (?, ?, ?, ?)")) {
                for (String tenant : tenants) {
                    for (int seq = 0; seq < 60; seq++) {
                        for (String day : List.of("2024-01-31", "2024-02-01")) {
                            insert.setString(1, tenant);
                            insert.setInt(2, seq);
                            insert.setString(3, day);
                            insert.setString(4, (seq % 7 == 0) ? null : tenant + seq);
                            insert.addBatch();
                        }
                    }
                }
                insert.executeBatch();
            }
            execute(src, "CREATE TABLE t_empty (id INT PRIMARY KEY, v VARCHAR(10))");
            execute(src, "CREATE TABLE t_auto (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
            execute(src, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
            execute(src, "INSERT INTO t_auto VALUES (0, 0), (1, 1), (7, 7)");
        }
        List<ShardTable> tables;
        ShardCopy copy;
        try (Connection src = this.source.connection(DB); Connection dst = this.target.connection(DB);
                ShardSnapshot snapshot = ShardSnapshot.open(src, ShardTable.readAll(src, DB), () -> this.source.connection(DB))) {
            tables = ShardTable.readAll(src, DB);
            assertThat(tables).extracting(ShardTable::name).containsExactly("t_auto", "t_empty", "t_pair", "t_types");
            copy = new ShardCopy(snapshot, dst, tables, 70, 300);
            copy.run();
            assertThat(copy.rowsTotal()).isEqualTo(3 + 0 + 720 + typesRows());
            assertThat(copy.rowsCopied()).isEqualTo(copy.rowsTotal());
        }
        try (Connection src = this.source.connection(DB); Connection dst = this.target.connection(DB)) {
            for (ShardTable table : tables) {
                assertThat(dump(dst, table)).as(table.name()).isEqualTo(dump(src, table)).isNotNull();
            }
            assertThat(dump(dst, tables.get(3))).hasSize(typesRows());
            assertThat(ShardTable.readAll(dst, DB)).isEqualTo(tables);
            assertExtremesArrived(dst);
            assertThat(query(dst, "SELECT GROUP_CONCAT(id ORDER BY id) FROM t_auto")).isEqualTo("0,1,7");
        }

        assertThat(compare(tables).matches()).isTrue();
        Comparison clean = compare(tables);
        assertThat(clean.rowsCompared()).isEqualTo(copy.rowsTotal());
        assertThat(clean.tablesCompared()).isEqualTo(4);
        // t_types: 2 + 2491/100 chunks, t_pair 720/100 + 1, t_auto 1, t_empty 1
        assertThat(clean.chunksCompared()).isGreaterThan(30);

        try (Connection dst = this.target.connection(DB)) {
            execute(dst, "UPDATE t_types SET txt = CONCAT(txt, 'x') WHERE id = 15000");
            assertSingleMismatch(compare(tables), "t_types", 15000L, 0);
            execute(dst, "UPDATE t_types SET txt = LEFT(txt, LENGTH(txt) - 1) WHERE id = 15000");
            assertThat(compare(tables).matches()).isTrue();

            execute(dst, "UPDATE t_types SET vc = '' WHERE id = 2");
            assertSingleMismatch(compare(tables), "t_types", 2L, 0);
            execute(dst, "UPDATE t_types SET vc = NULL WHERE id = 2");
            assertThat(compare(tables).matches()).isTrue();

            execute(dst, "DELETE FROM t_pair WHERE tenant = 'Banana' AND seq = 13 AND day = '2024-02-01'");
            ChunkMismatch deleted = single(compare(tables));
            assertThat(deleted.table()).isEqualTo(DB + ".t_pair");
            assertThat(deleted.targetRows()).isEqualTo(deleted.sourceRows() - 1);
            execute(dst, "INSERT INTO t_pair VALUES ('Banana', 13, '2024-02-01', 'Banana13')");
            assertThat(compare(tables).matches()).isTrue();

            execute(dst, "INSERT INTO t_types (id) VALUES (1000000000000)");
            ChunkMismatch extra = single(compare(tables));
            assertThat(extra.table()).isEqualTo(DB + ".t_types");
            assertThat(extra.range().upTo()).isNull();
            assertThat(extra.targetRows()).isEqualTo(extra.sourceRows() + 1);
            assertThatExceptionOfType(ShardMismatchException.class).isThrownBy(() -> compare(tables).requireMatch())
                .withMessageContaining("table " + DB + ".t_types, keys id > ")
                .withMessageContaining("rows on the source");
            execute(dst, "DELETE FROM t_types WHERE id = 1000000000000");

            execute(dst, "INSERT INTO t_auto VALUES (-5, 0)");
            ChunkMismatch below = single(compare(tables));
            assertThat(below.table()).isEqualTo(DB + ".t_auto");
            assertThat(below.range().after()).isNull();
            execute(dst, "DELETE FROM t_auto WHERE id = -5");

            // a row moved to a key of another chunk: both chunks differ
            execute(dst, "UPDATE t_types SET id = 24005 WHERE id = 3000");
            List<ChunkMismatch> moved = compare(tables).mismatches();
            assertThat(moved).hasSize(2).allSatisfy((mismatch) -> assertThat(mismatch.table()).isEqualTo(DB + ".t_types"));
            assertThat(moved.get(0).targetRows()).isEqualTo(moved.get(0).sourceRows() - 1);
            assertThat(moved.get(1).targetRows()).isEqualTo(moved.get(1).sourceRows() + 1);
            assertThat(contains(moved.get(0), 3000L)).isTrue();
            assertThat(contains(moved.get(1), 24005L)).isTrue();
        }
    }

    @Test
    void aCopyTakenUnderConcurrentWritesHoldsExactlyTheSnapshotAndTheLogFromItsPositionHoldsTheRest() throws Exception {
        copyUnderWrites(ShardSnapshot.Method.SNAPSHOT_STATUS);
    }

    @Test
    void theTableLockWayOfMySqlGivesTheSameGuarantee() throws Exception {
        copyUnderWrites(ShardSnapshot.Method.TABLE_LOCK);
    }

    @Test
    void withoutWritesThePositionIsTheServersCurrentPosition() throws SQLException {
        try (Connection src = this.source.connection(DB)) {
            execute(src, "CREATE TABLE t_one (id INT PRIMARY KEY)");
            execute(src, "INSERT INTO t_one VALUES (1)");
            List<ShardTable> tables = ShardTable.readAll(src, DB);
            for (ShardSnapshot.Method method : ShardSnapshot.Method.values()) {
                try (Connection other = this.source.connection(DB)) {
                    BinlogPosition before = ShardSnapshot.currentPosition(other);
                    try (ShardSnapshot snapshot = ShardSnapshot.open(src, tables, () -> this.source.connection(DB), method)) {
                        assertThat(snapshot.position()).as(method.name()).isEqualTo(before)
                            .isEqualTo(ShardSnapshot.currentPosition(other));
                        assertThat(snapshot.connection()).isSameAs(src);
                    }
                }
            }
            try (ShardSnapshot snapshot = ShardSnapshot.open(src)) {
                assertThat(snapshot.position()).isEqualTo(ShardSnapshot.currentPosition(src));
            }
            try (ShardSnapshot snapshot = ShardSnapshot.targetSnapshot(src)) {
                assertThat(snapshot.position()).isNull();
            }
            assertThat(src.getAutoCommit()).isTrue();
        }
    }

    @Test
    void refusesTargetTablesWithRowsAndTablesWithoutKeysAndStopsWhenCancelled() throws Exception {
        try (Connection src = this.source.connection(DB); Connection dst = this.target.connection(DB)) {
            execute(src, "CREATE TABLE t_kv (k INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_kv VALUES (1, 'a'), (2, 'b')");
            execute(dst, "CREATE TABLE t_kv (k INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_kv VALUES (9, 'z')");
            List<ShardTable> tables = ShardTable.readAll(src, DB);
            try (ShardSnapshot snapshot = ShardSnapshot.open(src, tables, () -> this.source.connection(DB))) {
                assertThatExceptionOfType(ShardSideException.class).isThrownBy(() -> new ShardCopy(snapshot, dst, tables).run())
                    .withMessageContaining(DB + ".t_kv")
                    .withMessageContaining("on the target")
                    .withMessageContaining("already exists there with rows")
                    .satisfies((ex) -> assertThat(ex.side()).isEqualTo(Side.TARGET));
                ShardCopy cancelled = new ShardCopy(snapshot, dst, tables);
                cancelled.cancel();
                assertThatExceptionOfType(MoveCancelledException.class).isThrownBy(cancelled::run)
                    .withMessageContaining("cancelled at table " + DB + ".t_kv");
            }
            assertThat(query(dst, "SELECT GROUP_CONCAT(k) FROM t_kv")).isEqualTo("9");

            // an empty leftover is replaced by the source's definition
            execute(dst, "DELETE FROM t_kv");
            execute(src, "CREATE TABLE t_nokey (a INT, b INT)");
            List<ShardTable> withNoKey = ShardTable.readAll(src, DB);
            try (ShardSnapshot snapshot = ShardSnapshot.open(src, withNoKey, () -> this.source.connection(DB))) {
                assertThatExceptionOfType(ShardSideException.class).isThrownBy(() -> new ShardCopy(snapshot, dst, withNoKey).run())
                    .withMessageContaining(DB + ".t_nokey on the source")
                    .withMessageContaining("no primary key");
                new ShardCopy(snapshot, dst, tables).run();
            }
            assertThat(query(dst, "SELECT GROUP_CONCAT(CONCAT(k, v) ORDER BY k) FROM t_kv")).isEqualTo("1a,2b");
            try (Connection missing = this.target.connection()) {
                execute(missing, "DROP TABLE " + DB + ".t_kv");
                assertThatExceptionOfType(ShardSideException.class)
                    .isThrownBy(() -> new ChunkComparison(src, missing, tables).run())
                    .withMessageContaining("Computing a chunk checksum of table " + DB + ".t_kv failed on the target");
            }
        }
    }

    private void copyUnderWrites(ShardSnapshot.Method method) throws Exception {
        try (Connection src = this.source.connection(DB)) {
            execute(src, "CREATE TABLE t_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, writer INT NOT NULL, payload VARCHAR(40))",
                    "CREATE TABLE t_total (writer INT PRIMARY KEY, n BIGINT NOT NULL)", "INSERT INTO t_total VALUES (0, 0), (1, 0)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            running.add(writers.submit(() -> {
                try (Connection connection = this.source.connection(DB)) {
                    connection.setAutoCommit(false);
                    while (!stop.get()) {
                        // one transaction touches both tables: the snapshot must hold both of its changes or neither
                        execute(connection, "INSERT INTO t_log (writer, payload) VALUES (" + writer + ", 'w" + writer + "')",
                                "UPDATE t_total SET n = n + 1 WHERE writer = " + writer);
                        connection.commit();
                        commits.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        List<ShardTable> tables;
        BinlogPosition position;
        Set<Long> copied;
        try (Connection src = this.source.connection(DB); Connection dst = this.target.connection(DB)) {
            tables = ShardTable.readAll(src, DB);
            await(() -> commits.get() >= 200, "200 commits before the snapshot");
            try (ShardSnapshot snapshot = ShardSnapshot.open(src, tables, () -> this.source.connection(DB), method)) {
                position = snapshot.position();
                long atSnapshot = commits.get();
                new ShardCopy(snapshot, dst, tables, 50, 200).run();
                await(() -> commits.get() >= atSnapshot + 200, "200 commits after the snapshot");
                stop.set(true);
                for (Future<?> writer : running) {
                    writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
                // the source now has more rows, but its snapshot still equals the copy
                assertThat(new ChunkComparison(snapshot.connection(), dst, tables, 100).run().mismatches()).isEmpty();
            }
            finally {
                stop.set(true);
                writers.shutdownNow();
            }
            copied = ids(dst);
            for (int writer = 0; writer < 2; writer++) {
                assertThat(query(dst, "SELECT COUNT(*) FROM t_log WHERE writer = " + writer))
                    .isEqualTo(query(dst, "SELECT n FROM t_total WHERE writer = " + writer));
            }
            Set<Long> all = ids(src);
            assertThat(copied.size()).isGreaterThanOrEqualTo(200).isLessThanOrEqualTo(all.size() - 200);
            Set<Long> logged = insertedIdsSince(position, ShardSnapshot.currentPosition(src));
            Set<Long> both = new TreeSet<>(copied);
            both.retainAll(logged);
            assertThat(both).as("rows both in the snapshot and in the log after its position").isEmpty();
            Set<Long> union = new TreeSet<>(copied);
            union.addAll(logged);
            assertThat(union).as("the snapshot plus the log after its position").isEqualTo(all);
        }
    }

    private Set<Long> insertedIdsSince(BinlogPosition from, BinlogPosition to) throws Exception {
        Map<Long, String> tableIds = new ConcurrentHashMap<>();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        AtomicReference<String> file = new AtomicReference<>(from.file());
        AtomicBoolean reached = new AtomicBoolean();
        BinaryLogClient client = new BinaryLogClient(this.source.host(), this.source.port(), this.source.username(),
                this.source.password());
        client.setServerId(54321);
        client.setBinlogFilename(from.file());
        client.setBinlogPosition(from.position());
        client.setKeepAlive(false);
        client.registerEventListener((Event event) -> {
            if (event.getData() instanceof TableMapEventData map) {
                tableIds.put(map.getTableId(), map.getDatabase() + "." + map.getTable());
            }
            else if (event.getData() instanceof WriteRowsEventData rows && (DB + ".t_log").equals(tableIds.get(rows.getTableId()))) {
                for (Serializable[] row : rows.getRows()) {
                    ids.add(((Number) row[0]).longValue());
                }
            }
            else if (event.getData() instanceof RotateEventData rotate) {
                file.set(rotate.getBinlogFilename());
            }
            // set after the event's rows are taken, by the thread that takes them
            if (event.getHeader() instanceof EventHeaderV4 header && header.getNextPosition() > 0
                    && new BinlogPosition(file.get(), header.getNextPosition()).compareTo(to) >= 0) {
                reached.set(true);
            }
        });
        client.connect(TIMEOUT.toMillis());
        try {
            await(reached::get, "the binary log client reaching " + to);
        }
        finally {
            client.disconnect();
        }
        return ids;
    }

    private static Set<Long> ids(Connection connection) throws SQLException {
        Set<Long> result = new TreeSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM " + DB + ".t_log")) {
            while (rows.next()) {
                result.add(rows.getLong(1));
            }
        }
        return result;
    }

    private static int typesRows() {
        return 3 + 2491;
    }

    private static void createAndFillTypes(Connection src) throws SQLException {
        execute(src, "CREATE TABLE t_types (id BIGINT UNSIGNED PRIMARY KEY, i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT,"
                + " u16 SMALLINT UNSIGNED, i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED, i32 INT, u32 INT UNSIGNED, i64 BIGINT,"
                + " u64 BIGINT UNSIGNED,"
                + " dec1 DECIMAL(30,10), dbl DOUBLE, flt FLOAT, vc VARCHAR(100), lat VARCHAR(40) CHARACTER SET latin1,"
                + " ch CHAR(10), txt TEXT, bl BLOB, vb VARBINARY(64), bn BINARY(4), d DATE, dt DATETIME(6), ts TIMESTAMP(3) NULL,"
                + " tm TIME(3), yr YEAR, en ENUM('a','b','c'), st SET('x','y','z'), bt BIT(10), js JSON,"
                + " gen BIGINT AS (i32 + 1) VIRTUAL)");
        // written in another time zone than the copy's, so a shifted TIMESTAMP would show
        execute(src, "SET time_zone = '+05:30'");
        execute(src, "INSERT INTO t_types (id, i8, u8, i16, u16, i24, u24, i32, u32, i64, u64, dec1, dbl, flt, vc, lat, ch, txt,"
                + " bl, vb, bn, d, dt, ts, tm, yr, en, st, bt, js) VALUES"
                + " (0, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808,"
                + " 18446744073709551615, -99999999999999999999.9999999999, -1.7976931348623157E308, -3.40282E38, 'emoji 🎉 ünïcödé',"
                + " 'caf\u00e9', 'ch', 'long text', X'00FF0A0D5C27', X'', X'00000000', '1000-01-01', '1000-01-01 00:00:00.000000',"
                + " '1970-01-01 05:30:01.000', '-838:59:59.000', 1901, 'a', '', b'0000000000', '{\"a\": [1, 2.5, \"x\"], \"b\": null}'),"
                + " (1, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 99999999999999999999.9999999999,"
                + " 2.2250738585072014E-308, 1.17549435E-38, '', '', '', '', X'', X'FF', X'01020304', '9999-12-31',"
                + " '9999-12-31 23:59:59.999999',"
                + " '2038-01-19 08:44:07.999', '838:59:59.999', 2155, 'c', 'x,y,z', b'1111111111', '[]'),"
                + " (2" + ", NULL".repeat(29) + ")");
        execute(src, "SET time_zone = '+00:00'");
        Random random = new Random(13);
        try (PreparedStatement insert = src.prepareStatement("INSERT INTO t_types (id, i32, u64, dec1, dbl, flt, vc, lat, ch, txt,"
                + " bl, vb, d, dt, ts, tm, yr, en, st, bt, js) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int k = 1; k <= 2491; k++) {
                byte[] blob = new byte[random.nextInt(300)];
                random.nextBytes(blob);
                int i = 1;
                insert.setLong(i++, k * 10L);
                insert.setInt(i++, random.nextInt());
                insert.setString(i++, Long.toUnsignedString(random.nextLong()));
                insert.setString(i++, (random.nextInt(2000000) - 1000000) + "." + random.nextInt(1000000000));
                insert.setDouble(i++, (k == 1) ? 0.1 + 0.2 : random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
                insert.setFloat(i++, random.nextFloat() * 1000);
                insert.setString(i++, "v" + k + ((k % 3 == 0) ? " 😀 " : " ") + "'\\\"#");
                insert.setString(i++, "l\u00e9" + k);
                insert.setString(i++, (k % 5 == 0) ? "" : "c" + k);
                insert.setString(i++, "t".repeat(k % 50) + "#" + k);
                insert.setBytes(i++, blob);
                insert.setBytes(i++, new byte[] {(byte) k, 0, (byte) 0x5c, (byte) 0x27});
                insert.setString(i++, "2024-02-" + (1 + k % 28));
                insert.setString(i++, "2024-03-31 01:59:59." + String.format("%06d", k));
                insert.setString(i++, "2024-10-27 01:30:00." + String.format("%03d", k % 1000));
                insert.setString(i++, (k % 2 == 0 ? "-" : "") + (k % 839) + ":01:02.5");
                insert.setInt(i++, 1901 + k % 255);
                insert.setString(i++, (k % 4 == 0) ? null : String.valueOf((char) ('a' + k % 3)));
                insert.setString(i++, (k % 2 == 0) ? "x,z" : "y");
                insert.setLong(i++, k % 1024);
                insert.setString(i++, "{\"k\": " + k + ", \"s\": \"" + "é".repeat(k % 4) + "\"}");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void assertExtremesArrived(Connection dst) throws SQLException {
        execute(dst, "SET time_zone = '+05:30'");
        try (Statement statement = dst.createStatement();
                ResultSet rows = statement.executeQuery("SELECT u64, i64, dbl, vc, bl, CAST(ts AS CHAR), bt + 0, HEX(lat),"
                        + " CAST(tm AS CHAR), yr, gen"
                        + " FROM t_types WHERE id = 0")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("18446744073709551615");
            assertThat(rows.getLong(2)).isEqualTo(Long.MIN_VALUE);
            assertThat(rows.getDouble(3)).isEqualTo(-1.7976931348623157E308);
            assertThat(rows.getString(4)).isEqualTo("emoji 🎉 ünïcödé");
            assertThat(rows.getBytes(5)).containsExactly(0x00, 0xFF, 0x0A, 0x0D, 0x5C, 0x27);
            assertThat(rows.getString(6)).isEqualTo("1970-01-01 05:30:01.000");
            assertThat(rows.getLong(7)).isZero();
            assertThat(rows.getString(8)).isEqualTo("636166E9");
            assertThat(rows.getString(9)).isEqualTo("-838:59:59.000");
            assertThat(rows.getInt(10)).isEqualTo(1901);
            assertThat(rows.getInt(11)).isEqualTo(-2147483647);
        }
        execute(dst, "SET time_zone = '+00:00'");
        assertThat(query(dst, "SELECT dbl FROM t_types WHERE id = 10")).isEqualTo(String.valueOf(0.1 + 0.2));
        assertThat(query(dst, "SELECT bt + 0 FROM t_types WHERE id = 1")).isEqualTo("1023");
    }

    /** Every row of a table, in key order, each column as exact text: bytes in hex, floating point as Java doubles. */
    private static List<List<String>> dump(Connection connection, ShardTable table) throws SQLException {
        execute(connection, "SET time_zone = '+00:00'");
        List<String> expressions = new ArrayList<>();
        for (ShardTable.Column column : table.columns()) {
            String quoted = ShardTable.quote(column.name());
            expressions.add(switch (column.dataType()) {
                case "double", "float" -> quoted + " + 0E0";
                default -> "HEX(CAST(" + quoted + " AS BINARY))";
            });
        }
        List<List<String>> result = new ArrayList<>();
        String sql = "SELECT " + String.join(", ", expressions) + " FROM " + table.qualifiedName() + " ORDER BY "
                + String.join(", ", table.primaryKey().stream().map(ShardTable::quote).toList());
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < expressions.size(); i++) {
                    String dataType = table.columns().get(i).dataType();
                    if (dataType.equals("double") || dataType.equals("float")) {
                        double value = rows.getDouble(i + 1);
                        row.add(rows.wasNull() ? "NULL" : Long.toHexString(Double.doubleToRawLongBits(value)));
                    }
                    else {
                        String value = rows.getString(i + 1);
                        row.add((value != null) ? value : "NULL");
                    }
                }
                result.add(row);
            }
        }
        return result;
    }

    private Comparison compare(List<ShardTable> tables) throws Exception {
        try (Connection src = this.source.connection(DB); Connection dst = this.target.connection(DB);
                ShardSnapshot sourceSnapshot = ShardSnapshot.open(src, tables, () -> this.source.connection(DB));
                ShardSnapshot targetSnapshot = ShardSnapshot.targetSnapshot(dst)) {
            return new ChunkComparison(sourceSnapshot.connection(), targetSnapshot.connection(), tables, 100).run();
        }
    }

    private static ChunkMismatch single(Comparison comparison) {
        assertThat(comparison.mismatches()).hasSize(1);
        return comparison.mismatches().get(0);
    }

    private static void assertSingleMismatch(Comparison comparison, String table, long key, int rowDifference) {
        ChunkMismatch mismatch = single(comparison);
        assertThat(mismatch.table()).isEqualTo(DB + "." + table);
        assertThat(contains(mismatch, key)).as("%s contains %d", mismatch.range(), key).isTrue();
        assertThat(mismatch.targetRows() - mismatch.sourceRows()).isEqualTo(rowDifference);
        assertThat(mismatch.sourceChecksum()).isNotEqualTo(mismatch.targetChecksum()).hasSize(32);
    }

    private static boolean contains(ChunkMismatch mismatch, long key) {
        KeyRange range = mismatch.range();
        return (range.after() == null || Long.parseLong(range.after().get(0)) < key)
                && (range.upTo() == null || key <= Long.parseLong(range.upTo().get(0)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

}
