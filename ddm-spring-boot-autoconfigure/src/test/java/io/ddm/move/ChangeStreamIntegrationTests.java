package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The catch-up stream against two real primaries: database {@code it_cs_1} exists on both with identical tables, the
 * stream replays the source's binary log from a recorded position onto the target, and the target's rows end up equal
 * to the source's, column by column.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 0)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeStreamIntegrationTests {

    private static final String DATABASE = "it_cs_1";

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static final String TYPES_TABLE = "CREATE TABLE t_types (id BIGINT NOT NULL PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED,"
            + " si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT,"
            + " biu BIGINT UNSIGNED, dec1 DECIMAL(20,6), fl FLOAT, dbl DOUBLE, vc VARCHAR(100) CHARACTER SET utf8mb4, ch CHAR(10),"
            + " lat VARCHAR(20) CHARACTER SET latin1, txt TEXT, bl BLOB, vb VARBINARY(16), bn BINARY(4), d DATE, dt DATETIME(6),"
            + " ts TIMESTAMP(3) NULL DEFAULT NULL, tm TIME(3), y YEAR, e ENUM('red','green','blue'), s SET('a','b','c','d'),"
            + " b BIT(10), j JSON) DEFAULT CHARSET=utf8mb4";

    private static final String PAIR_TABLE = "CREATE TABLE t_pair (a INT NOT NULL, b VARCHAR(20) NOT NULL, v VARCHAR(40),"
            + " n INT, PRIMARY KEY (a, b)) DEFAULT CHARSET=utf8mb4";

    private static final String TYPES_INSERT = "INSERT INTO t_types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final Set<String> HEXED = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary",
            "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "json");

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
    void createTables() throws SQLException {
        this.topology.resetData("it_cs_");
        for (DatabaseServer server : List.of(this.source, this.target)) {
            execute(server, null, "CREATE DATABASE " + DATABASE);
            execute(server, DATABASE, TYPES_TABLE, PAIR_TABLE);
        }
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @Test
    void replaysInsertsUpdatesDeletesAndTransactionsExactly() throws Exception {
        // Rows the target already holds (as after a snapshot copy) but whose inserts the stream replays again.
        BinlogPosition start = masterPosition();
        for (DatabaseServer server : List.of(this.source, this.target)) {
            try (Connection connection = server.connection(DATABASE)) {
                insertTypes(connection, extremes(1));
                insertTypes(connection, nulls(2));
                execute(connection, "INSERT INTO t_pair VALUES (1, 'x', 'seed', 1), (1, 'y', 'seed', 2)");
            }
        }
        try (ChangeStream stream = ChangeStream.start(settings(start, null).build())) {
            try (Connection connection = this.source.connection(DATABASE)) {
                insertTypes(connection, minimums(3));
                Random random = new Random(42);
                for (long id = 10; id < 40; id++) {
                    insertTypes(connection, randomRow(id, random));
                }
                execute(connection, "UPDATE t_types SET vc = 'Ünïcødé ✓ 🚀', biu = 18446744073709551614, b = b'0000000001' WHERE id = 10",
                        "UPDATE t_types SET id = 1010 WHERE id = 11", "UPDATE t_types SET id = 5 WHERE id = 2",
                        "UPDATE t_types SET id = 2, ti = 7 WHERE id = 12",
                        "UPDATE t_pair SET b = 'z', v = 'key changed' WHERE a = 1 AND b = 'x'",
                        "DELETE FROM t_types WHERE id IN (13, 14)", "UPDATE t_types SET dbl = dbl / 3 WHERE id >= 15 AND id < 25",
                        "DELETE FROM t_types WHERE id = 1");
                // Another database (another shard on the same server): skipped, its DDL too.
                execute(this.source, null, "CREATE DATABASE it_cs_other", "CREATE TABLE it_cs_other.t (k INT PRIMARY KEY)",
                        "INSERT INTO it_cs_other.t VALUES (1)");
                execute(this.source, "it_cs_other", "CREATE TABLE t2 (k INT PRIMARY KEY)", "INSERT INTO t2 VALUES (1)");
                connection.setAutoCommit(false);
                execute(connection, "INSERT INTO t_pair VALUES (2, 'a', 'in tx', 1), (2, 'b', 'in tx', 2)",
                        "UPDATE t_types SET txt = REPEAT('ab', 3000) WHERE id = 16", "DELETE FROM t_pair WHERE a = 1 AND b = 'y'",
                        "INSERT INTO it_cs_other.t VALUES (2)");
                connection.commit();
                execute(connection, "INSERT INTO t_pair VALUES (3, 'rolled back', 'never', 0)", "DELETE FROM t_types WHERE id = 17");
                connection.rollback();
                execute(connection, "INSERT INTO t_pair VALUES (4, 'kept', 'before savepoint', 0)", "SAVEPOINT s1",
                        "INSERT INTO t_pair VALUES (4, 'undone', 'after savepoint', 0)", "ROLLBACK TO SAVEPOINT s1",
                        "UPDATE t_pair SET n = 99 WHERE a = 4");
                connection.commit();
                connection.setAutoCommit(true);
            }
            concurrentTransactions(4, 40);
            BinlogPosition end = masterPosition();
            stream.awaitApplied(end, TIMEOUT);
            assertThat(stream.appliedPosition()).isEqualTo(end);
            assertThat(stream.failure()).isEmpty();
            assertThat(stream.lag()).isZero();
            assertThat(stream.eventsApplied()).isPositive();
            assertThat(stream.rowsApplied()).isGreaterThanOrEqualTo(stream.eventsApplied());
            assertSameRows("t_types", "t_pair");
            assertThat(rows(this.target, "SELECT COUNT(*) FROM t_pair WHERE a = 3 OR b = 'undone'")).containsExactly(List.of("0"));
            assertThat(rows(this.target, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'it_cs_other'"))
                .isEmpty();
        }
    }

    @Test
    void pauseAtHoldsExactlyAtTheSnapshotPosition() throws Exception {
        BinlogPosition start = masterPosition();
        try (ChangeStream stream = ChangeStream.start(settings(start, null).build());
                Connection writer = this.source.connection(DATABASE); Connection snapshot = this.source.connection(DATABASE)) {
            execute(writer, "INSERT INTO t_pair VALUES (1, 'one', 'before the pause', 1)");
            BinlogPosition current = masterPosition();
            stream.pauseAt(current);
            execute(writer, "INSERT INTO t_pair VALUES (2, 'two', 'before the snapshot', 2)");
            // The caller's consistent snapshot and the binary log position it corresponds to.
            execute(snapshot, "START TRANSACTION WITH CONSISTENT SNAPSHOT");
            BinlogPosition snapshotPosition = snapshotPosition(snapshot);
            execute(writer, "INSERT INTO t_pair VALUES (3, 'three', 'after the snapshot', 3)",
                    "UPDATE t_pair SET v = 'changed after the snapshot' WHERE a = 1");
            BinlogPosition later = masterPosition();
            stream.awaitApplied(current, TIMEOUT);
            stream.pauseAt(snapshotPosition);
            stream.awaitApplied(snapshotPosition, TIMEOUT);
            awaitReceived(stream, later);
            assertThat(stream.appliedPosition()).isEqualTo(snapshotPosition);
            List<List<String>> atSnapshot = rows(snapshot, select(table(this.source, "t_pair")));
            execute(snapshot, "COMMIT");
            assertThat(atSnapshot).hasSize(2);
            assertThat(rows(this.target, select(table(this.source, "t_pair")))).isEqualTo(atSnapshot);
            stream.resume();
            stream.awaitApplied(later, TIMEOUT);
            assertSameRows("t_pair");
        }
    }

    @Test
    void statementOnTheDatabaseFailsTheStreamUnlessIgnored() throws Exception {
        try (ChangeStream stream = ChangeStream.start(settings(masterPosition(), renames()).build())) {
            execute(this.source, DATABASE, "INSERT INTO t_pair VALUES (1, 'a', 'x', 1)", "RENAME TABLE t_types TO t_types_old",
                    "INSERT INTO t_pair VALUES (2, 'b', 'after the rename', 2)");
            BinlogPosition renamed = masterPosition();
            stream.awaitApplied(renamed, TIMEOUT);
            assertSameRows("t_pair");
            assertThat(rows(this.target, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + DATABASE
                    + "' AND TABLE_NAME = 't_types'")).containsExactly(List.of("1"));
            execute(this.source, DATABASE, "ALTER TABLE t_pair ADD COLUMN extra INT", "INSERT INTO t_pair VALUES (3, 'c', 'y', 3, 3)");
            BinlogPosition altered = masterPosition();
            assertThatExceptionOfType(ChangeStreamException.class).isThrownBy(() -> stream.awaitApplied(altered, TIMEOUT))
                .withMessageContaining("ALTER TABLE t_pair ADD COLUMN extra INT")
                .withMessageContaining(this.source.host() + ":" + this.source.port());
            assertThat(stream.failure()).get().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("ALTER TABLE");
            assertThat(stream.appliedPosition()).isEqualTo(renamed);
            assertThat(rows(this.target, "SELECT COUNT(*) FROM t_pair")).containsExactly(List.of("2"));
        }
    }

    @Test
    void changeOfATableNotStreamedFailsTheStream() throws Exception {
        List<ShardTable> onlyPairs;
        try (Connection connection = this.source.connection(DATABASE)) {
            onlyPairs = ShardTable.readAll(connection, DATABASE).stream().filter((table) -> table.name().equals("t_pair")).toList();
        }
        try (ChangeStream stream = ChangeStream.start(settings(masterPosition(), null).database(DATABASE, onlyPairs).build())) {
            execute(this.source, DATABASE, "INSERT INTO t_types (id) VALUES (1)");
            BinlogPosition end = masterPosition();
            assertThatExceptionOfType(ChangeStreamException.class).isThrownBy(() -> stream.awaitApplied(end, TIMEOUT))
                .withMessageContaining(DATABASE + ".t_types")
                .withMessageContaining("new table");
        }
    }

    @Test
    void killedTargetFailsTheStream() throws Exception {
        try (ChangeStream stream = ChangeStream.start(settings(masterPosition(), null).build())) {
            execute(this.source, DATABASE, "INSERT INTO t_pair VALUES (1, 'a', 'x', 1)");
            stream.awaitApplied(masterPosition(), TIMEOUT);
            this.target.kill();
            execute(this.source, DATABASE, "INSERT INTO t_pair VALUES (2, 'b', 'y', 2)");
            BinlogPosition end = masterPosition();
            assertThatExceptionOfType(ChangeStreamException.class).isThrownBy(() -> stream.awaitApplied(end, TIMEOUT))
                .withMessageContaining(DATABASE + ".t_pair")
                .withMessageContaining(":" + this.target.port());
        }
    }

    @Test
    void killedSourceFailsTheStream() throws Exception {
        try (ChangeStream stream = ChangeStream.start(settings(masterPosition(), null).build())) {
            execute(this.source, DATABASE, "INSERT INTO t_pair VALUES (1, 'a', 'x', 1)");
            BinlogPosition end = masterPosition();
            stream.awaitApplied(end, TIMEOUT);
            this.source.kill();
            assertThatExceptionOfType(ChangeStreamException.class)
                .isThrownBy(() -> stream.awaitApplied(new BinlogPosition(end.file(), end.position() + 1), TIMEOUT))
                .withMessageContaining("source " + this.source.host() + ":" + this.source.port());
            assertThat(stream.appliedPosition()).isEqualTo(end);
        }
    }

    @Test
    void frozenSourceFailsTheStream() throws Exception {
        try (ChangeStream stream = ChangeStream.start(settings(masterPosition(), null).sourceTimeout(Duration.ofSeconds(4)).build())) {
            execute(this.source, DATABASE, "INSERT INTO t_pair VALUES (1, 'a', 'x', 1)");
            BinlogPosition end = masterPosition();
            stream.awaitApplied(end, TIMEOUT);
            this.source.freeze();
            assertThatExceptionOfType(ChangeStreamException.class)
                .isThrownBy(() -> stream.awaitApplied(new BinlogPosition(end.file(), end.position() + 1), TIMEOUT))
                .withMessageContaining("source " + this.source.host() + ":" + this.source.port());
        }
    }

    @Test
    void tableWithoutPrimaryKeyIsRefused() throws Exception {
        execute(this.source, DATABASE, "CREATE TABLE t_heap (k INT, v INT)");
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> ChangeStream.start(settings(masterPosition(), null).build()))
            .withMessageContaining(DATABASE + ".t_heap has no primary key");
    }

    private ChangeStream.Settings.Builder settings(BinlogPosition start, Predicate<String> ignored)
            throws SQLException {
        List<ShardTable> tables;
        try (Connection connection = this.source.connection(DATABASE)) {
            tables = ShardTable.readAll(connection, DATABASE);
        }
        return ChangeStream.Settings.builder()
            .source(this.source.host(), this.source.port())
            .credentials(this.source.username(), this.source.password())
            .database(DATABASE, tables)
            .start(start)
            .target(() -> this.target.connection())
            .ignoredStatement(ignored);
    }

    private static Predicate<String> renames() {
        return (sql) -> sql.toUpperCase(Locale.ROOT).startsWith("RENAME TABLE");
    }

    private void concurrentTransactions(int threads, int transactionsPerThread) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    Random random = new Random(thread);
                    try (Connection connection = this.source.connection(DATABASE)) {
                        connection.setAutoCommit(false);
                        for (int n = 0; n < transactionsPerThread; n++) {
                            long id = 100_000L * (thread + 1) + n;
                            insertTypes(connection, randomRow(id, random));
                            execute(connection, "INSERT INTO t_pair VALUES (" + (1000 + thread) + ", 'k" + n + "', 'v', " + n + ")");
                            if (n % 3 == 1) {
                                execute(connection, "UPDATE t_types SET i = i + 1, vc = CONCAT(vc, '✓') WHERE id = " + (id - 1));
                            }
                            if (n % 5 == 2) {
                                execute(connection, "DELETE FROM t_pair WHERE a = " + (1000 + thread) + " AND b = 'k" + (n - 1) + "'");
                            }
                            if (n % 7 == 3) {
                                connection.rollback();
                            }
                            else {
                                connection.commit();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    private void assertSameRows(String... tables) throws SQLException {
        for (String name : tables) {
            String query = select(table(this.source, name));
            List<List<String>> expected = rows(this.source, query);
            assertThat(expected).isNotEmpty();
            assertThat(rows(this.target, query)).as("rows of %s on the target", name).isEqualTo(expected);
        }
    }

    private static ShardTable table(DatabaseServer server, String name) throws SQLException {
        try (Connection connection = server.connection(DATABASE)) {
            return ShardTable.readAll(connection, DATABASE).stream().filter((table) -> table.name().equals(name)).findFirst().orElseThrow();
        }
    }

    /** Renders every column as text that differs when the stored value differs: binaries and text as hex. */
    private static String select(ShardTable table) {
        String columns = table.columns().stream().map((column) -> {
            String name = ShardTable.quote(column.name());
            String rendered = switch (column.dataType()) {
                case "bit" -> "BIN(" + name + ")";
                case "enum", "set" -> "CONCAT(" + name + ", '#', " + name + " + 0)";
                default -> HEXED.contains(column.dataType()) ? "HEX(" + name + ")" : "CAST(" + name + " AS CHAR)";
            };
            return rendered;
        }).collect(Collectors.joining(", "));
        return "SELECT " + columns + " FROM " + table.qualifiedName() + " ORDER BY "
                + table.primaryKey().stream().map(ShardTable::quote).collect(Collectors.joining(", "));
    }

    private static List<List<String>> rows(DatabaseServer server, String query) throws SQLException {
        try (Connection connection = server.connection(DATABASE)) {
            execute(connection, "SET time_zone = '+00:00'");
            return rows(connection, query);
        }
    }

    private static List<List<String>> rows(Connection connection, String query) throws SQLException {
        List<List<String>> result = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    String value = rows.getString(i);
                    row.add((value != null) ? value : "<null>");
                }
                result.add(row);
            }
        }
        return result;
    }

    private BinlogPosition masterPosition() throws SQLException {
        try (Connection connection = this.source.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rows.next()).as("binary logging on the source").isTrue();
            return new BinlogPosition(rows.getString("File"), rows.getLong("Position"));
        }
    }

    private static BinlogPosition snapshotPosition(Connection snapshot) throws SQLException {
        String file = null;
        long position = -1;
        try (Statement statement = snapshot.createStatement();
                ResultSet rows = statement.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (rows.next()) {
                if (rows.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                    file = rows.getString(2);
                }
                else if (rows.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                    position = Long.parseLong(rows.getString(2));
                }
            }
        }
        return new BinlogPosition(file, position);
    }

    private static void awaitReceived(ChangeStream stream, BinlogPosition position) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (stream.receivedPosition().compareTo(position) < 0) {
            assertThat(System.nanoTime()).as("received %s by now, got %s", position, stream.receivedPosition()).isLessThan(deadline);
            assertThat(stream.failure()).isEmpty();
            Thread.sleep(10);
        }
    }

    private static void execute(DatabaseServer server, String database, String... statements) throws SQLException {
        try (Connection connection = (database != null) ? server.connection(database) : server.connection()) {
            execute(connection, statements);
        }
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static void insertTypes(Connection connection, Object[] values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TYPES_INSERT)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static byte[] allBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static Object[] extremes(long id) {
        return new Object[] { id, -128, 255, -32768, 65535, -8388608, 16777215, Integer.MIN_VALUE, 4294967295L, Long.MIN_VALUE,
            "18446744073709551615", "-99999999999999.999999", 3.0e38f, -1.7976931348623157E308,
            "Grüße 😀 日本語 \\ ' \" end", "abc", "café £", "long text ✓ ".repeat(200), allBytes(),
            new byte[] { 0, (byte) 0xFF, 0x27, 0x5C, 0 }, new byte[] { 1, 0, 2, 0 }, "9999-12-31", "2024-02-29 23:59:59.999999",
            "2038-01-19 03:14:07.999", "838:59:59.000", 2155, "blue", "a,d", 0b1000000011, "{\"k\": [1, \"x\", null], \"e\": \"😀\"}" };
    }

    private static Object[] minimums(long id) {
        return new Object[] { id, 127, 0, 32767, 0, 8388607, 0, Integer.MAX_VALUE, 0, Long.MAX_VALUE, "0", "0.000001", -1.5f,
            2.2250738585072014E-308, "", "", "", "", new byte[0], new byte[0], new byte[] { 0, 0, 0, 0 }, "1000-01-01",
            "1000-01-01 00:00:00", "1970-01-02 00:00:01", "00:00:00", 0, "red", "", 0b1111111111, "[]" };
    }

    private static Object[] nulls(long id) {
        Object[] values = new Object[30];
        values[0] = id;
        return values;
    }

    private static Object[] randomRow(long id, Random random) {
        String[] texts = { "plain", "Ärger", "😀😃", "日本", "mixed ✓ é", "" };
        String[] enums = { "red", "green", "blue", null };
        return new Object[] { id, random.nextInt(256) - 128, random.nextInt(256), random.nextInt(65536) - 32768, random.nextInt(65536),
            random.nextInt(1 << 24) - (1 << 23), random.nextInt(1 << 24), random.nextInt(), Integer.toUnsignedString(random.nextInt()),
            random.nextLong(), Long.toUnsignedString(random.nextLong()), random.nextInt(1_000_000) + "." + random.nextInt(1_000_000),
            random.nextFloat() * 1000, random.nextDouble() * 1e10, texts[random.nextInt(texts.length)] + id, "c" + random.nextInt(100),
            "é" + random.nextInt(10), texts[random.nextInt(texts.length)], randomBytes(random, random.nextInt(40)),
            randomBytes(random, random.nextInt(16)), randomBytes(random, 4),
            String.format(Locale.ROOT, "%04d-%02d-%02d", 1990 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)),
            String.format(Locale.ROOT, "2001-%02d-%02d %02d:%02d:%02d.%06d", 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000)),
            String.format(Locale.ROOT, "2020-%02d-%02d %02d:%02d:%02d.%03d", 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000)),
            String.format(Locale.ROOT, "%d:%02d:%02d.%03d", random.nextInt(800), random.nextInt(60), random.nextInt(60),
                    random.nextInt(1000)),
            1901 + random.nextInt(255), enums[random.nextInt(enums.length)], random.nextInt(16), random.nextInt(1024),
            (random.nextBoolean() ? null : "{\"n\": " + random.nextInt() + "}") };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

}
