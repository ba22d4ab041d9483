package io.ddm.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.IntStream;

import io.ddm.test.servers.DatabaseServer;

/**
 * The benchmark data: {@value #SHARDS} shard databases {@code shop_0} ... {@code shop_3} on one server, each with a
 * table {@code item} of {@value #ROWS} rows. The row {@code id} of shard {@code n} has the name {@code shop_n#id}, so a
 * read proves which database it came from.
 */
public final class ShardDatabases {

    /** Number of shard databases on the server. */
    public static final int SHARDS = 4;

    /** Rows per shard; ids are 1 to {@value}. */
    public static final int ROWS = 1_000;

    /** The shard databases, index = shard number. */
    public static final List<String> NAMES = IntStream.range(0, SHARDS).mapToObj((shard) -> "shop_" + shard).toList();

    /** The point select every variant runs, relative to the connection's current database. */
    public static final String POINT_SELECT = "SELECT name FROM item WHERE id = ?";

    private ShardDatabases() {
    }

    /**
     * Creates the shard databases with their rows unless they are already complete (a JVM running several trials
     * creates them once).
     * @param server the server
     * @throws SQLException on a database error
     */
    public static void ensure(DatabaseServer server) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement()) {
            for (String database : NAMES) {
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                        + database + "' AND table_name = 'item'")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        create(server);
                        return;
                    }
                }
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM "
                        + database + ".item")) {
                    rs.next();
                    if (rs.getInt(1) != ROWS || rs.getLong(2) != 1 || rs.getLong(3) != ROWS) {
                        create(server);
                        return;
                    }
                }
            }
        }
    }

    /**
     * Drops and creates the shard databases with their rows.
     * @param server the server
     * @throws SQLException on a database error
     */
    public static void create(DatabaseServer server) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement()) {
            for (String database : NAMES) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
                statement.execute("CREATE DATABASE " + database);
                statement.execute("CREATE TABLE " + database + ".item (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                        + "price_cents INT NOT NULL) ENGINE=InnoDB");
                StringBuilder insert = new StringBuilder("INSERT INTO " + database + ".item (id, name, price_cents) VALUES ");
                for (int id = 1; id <= ROWS; id++) {
                    insert.append(id == 1 ? "" : ",").append('(').append(id).append(",'").append(rowName(database, id)).append("',")
                            .append(id * 7 % 10_000).append(')');
                }
                statement.executeUpdate(insert.toString());
            }
        }
    }

    /**
     * The name stored in a row.
     * @param database the shard database
     * @param id the row id
     * @return e.g. {@code shop_3#17}
     */
    public static String rowName(String database, long id) {
        return database + "#" + id;
    }

    /**
     * How many times the server changed a session's default database ({@code USE} or {@code COM_INIT_DB}) since it
     * started: the global status {@code Com_change_db}.
     * @param server the server
     * @return the counter
     * @throws SQLException on a database error
     */
    public static long changeDatabaseCount(DatabaseServer server) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_change_db'")) {
            if (!rs.next()) {
                throw new IllegalStateException("The server has no status variable Com_change_db");
            }
            return rs.getLong(2);
        }
    }

    /**
     * One line describing the server, for the benchmark log.
     * @param server the server
     * @return version, URL and whether connections use TLS
     * @throws SQLException on a database error
     */
    public static String describe(DatabaseServer server) throws SQLException {
        try (Connection connection = server.connection(); Statement statement = connection.createStatement()) {
            String version;
            try (ResultSet rs = statement.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            String cipher = "";
            try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
                if (rs.next()) {
                    cipher = rs.getString(2);
                }
            }
            return "server " + version + " at " + server.jdbcUrl() + ", TLS: " + (cipher == null || cipher.isEmpty() ? "no" : cipher)
                    + ", driver " + connection.getMetaData().getDriverVersion();
        }
    }
}
