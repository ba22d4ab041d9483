package io.ddm.replication;

import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

import io.ddm.datasource.MySqlErrorCodes;
import io.ddm.datasource.ServerConnections;
import io.ddm.topology.Server;

/**
 * One server as replication waits use it: a connection of its own outside the pools, kept from one wait to the
 * next, and how the server reports and awaits binary log positions, detected once:
 * <ul>
 * <li>MariaDB: GTIDs, always on ({@code @@gtid_binlog_pos} on the primary, {@code MASTER_GTID_WAIT} on the
 * replica);</li>
 * <li>MySQL with {@code gtid_mode=ON}: {@code @@gtid_executed}, {@code WAIT_FOR_EXECUTED_GTID_SET};</li>
 * <li>MySQL without GTIDs: the primary's binary log file and offset ({@code SHOW BINARY LOG STATUS}, before 8.2
 * {@code SHOW MASTER STATUS}) and {@code SOURCE_POS_WAIT} (before 8.0.26 {@code MASTER_POS_WAIT}).</li>
 * </ul>
 * Every answer is awaited at most the time the caller allows, so a hung server cannot block it for longer. Used by
 * one wait at a time.
 */
final class ServerSession implements AutoCloseable {

    /** The shortest wait asked of a GTID wait function: MySQL waits without end for 0. */
    private static final BigDecimal SHORTEST_GTID_WAIT = new BigDecimal("0.1");

    private final Server server;

    private Connection connection;

    private Flavour flavour;

    private String binaryLogStatus;

    private String positionWait;

    ServerSession(Server server) {
        this.server = server;
    }

    Server server() {
        return this.server;
    }

    /**
     * What the server has written to its binary log so far.
     * @param answerTimeout longest wait for the server
     * @return the position, or {@code null} when the server writes no binary log (nothing replicates from it)
     * @throws SQLException when the server cannot be asked
     */
    Position position(Duration answerTimeout) throws SQLException {
        return call(answerTimeout, (connection) -> {
            if (this.flavour.mariaDb() || this.flavour.gtid()) {
                String variable = this.flavour.mariaDb() ? "@@GLOBAL.gtid_binlog_pos" : "@@GLOBAL.gtid_executed";
                String gtids = queryString(connection, "SELECT " + variable);
                return new Position(this.flavour, (gtids != null) ? gtids.replace("\n", "") : "", null, 0);
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = binaryLogStatus(statement)) {
                return rows.next() ? new Position(this.flavour, null, rows.getString("File"), rows.getLong("Position")) : null;
            }
        });
    }

    private ResultSet binaryLogStatus(Statement statement) throws SQLException {
        if (this.binaryLogStatus != null) {
            return statement.executeQuery(this.binaryLogStatus);
        }
        try {
            ResultSet result = statement.executeQuery("SHOW BINARY LOG STATUS");
            this.binaryLogStatus = "SHOW BINARY LOG STATUS";
            return result;
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() != MySqlErrorCodes.ER_PARSE_ERROR) {
                throw ex;
            }
            this.binaryLogStatus = "SHOW MASTER STATUS";
            return statement.executeQuery(this.binaryLogStatus);
        }
    }

    /**
     * Waits until this server, a replica, has applied a position of its primary.
     * @param position what the primary had written
     * @param wait how long the replica may take
     * @param answerTimeout longest wait for the server's answer, a little more than {@code wait}
     * @return {@code null} once applied, otherwise what is wrong, a phrase that follows the replica's name
     * @throws SQLException when the replica cannot be asked
     */
    String await(Position position, Duration wait, Duration answerTimeout) throws SQLException {
        return call(answerTimeout, (connection) -> {
            if (this.flavour.identity().equals(position.source().identity())) {
                // A "replica" that is its primary (e.g. one server for both in development) has everything.
                return null;
            }
            if (position.gtids() == null) {
                return awaitFileOffset(connection, position, wait);
            }
            if (this.flavour.mariaDb() != position.source().mariaDb() || (!this.flavour.mariaDb() && !this.flavour.gtid())) {
                return "cannot be waited for: it does not use the GTIDs of its primary (" + describe(this.flavour) + ", primary "
                        + describe(position.source()) + ")";
            }
            String function = this.flavour.mariaDb() ? "MASTER_GTID_WAIT" : "WAIT_FOR_EXECUTED_GTID_SET";
            BigDecimal seconds = BigDecimal.valueOf(wait.toMillis()).movePointLeft(3).max(SHORTEST_GTID_WAIT);
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
                statement.setString(1, position.gtids());
                statement.setBigDecimal(2, seconds);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long result = rows.getLong(1);
                    if (rows.wasNull()) {
                        return "cannot be waited for (" + function + " returned NULL)";
                    }
                    // MASTER_GTID_WAIT: 0 reached, -1 timed out; WAIT_FOR_EXECUTED_GTID_SET: 0 reached, 1 timed out.
                    return (result == 0) ? null : timedOut(position);
                }
            }
        });
    }

    private String awaitFileOffset(Connection connection, Position position, Duration wait) throws SQLException {
        // These functions take whole seconds and wait without end for 0.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        if (this.positionWait == null) {
            this.positionWait = this.flavour.mariaDb() ? "MASTER_POS_WAIT" : "SOURCE_POS_WAIT";
        }
        try {
            return awaitFileOffset(connection, this.positionWait, position, seconds);
        }
        catch (SQLException ex) {
            boolean unknown = ex.getErrorCode() == MySqlErrorCodes.ER_SP_DOES_NOT_EXIST
                    || ex.getErrorCode() == MySqlErrorCodes.ER_PARSE_ERROR;
            if (!unknown || !this.positionWait.equals("SOURCE_POS_WAIT")) {
                throw ex;
            }
            this.positionWait = "MASTER_POS_WAIT";
            return awaitFileOffset(connection, this.positionWait, position, seconds);
        }
    }

    private static String awaitFileOffset(Connection connection, String function, Position position, long seconds)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?, ?, ?)")) {
            statement.setString(1, position.file());
            statement.setLong(2, position.offset());
            statement.setLong(3, seconds);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long result = rows.getLong(1);
                if (rows.wasNull()) {
                    return "does not apply its primary's binary log: its replication SQL thread is stopped, or it does not"
                            + " replicate from this primary (" + function + " returned NULL)";
                }
                return (result >= 0) ? null : timedOut(position);
            }
        }
    }

    private static String timedOut(Position position) {
        return "had not applied its primary's " + position + " when the wait ended";
    }

    /**
     * Runs work on the kept connection, opening one first if needed. A kept connection the server has closed
     * meanwhile (restart, {@code wait_timeout}) is replaced once; a server that does not answer in time is not asked
     * again.
     */
    private <T> T call(Duration answerTimeout, Work<T> work) throws SQLException {
        boolean kept = this.connection != null;
        try {
            return work.run(connection(answerTimeout));
        }
        catch (SQLException ex) {
            boolean broken = this.connection == null || this.connection.isClosed() || isConnectionFailure(ex);
            if (!broken) {
                throw ex;
            }
            close();
            if (!kept || isTimeout(ex)) {
                throw ex;
            }
            return work.run(connection(answerTimeout));
        }
    }

    private Connection connection(Duration answerTimeout) throws SQLException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, answerTimeout.toMillis()));
        if (this.connection == null) {
            Connection opened = ServerConnections.open(this.server, answerTimeout);
            try {
                if (this.flavour == null) {
                    this.flavour = detect(opened);
                }
            }
            catch (SQLException | RuntimeException ex) {
                opened.close();
                throw ex;
            }
            this.connection = opened;
        }
        this.connection.setNetworkTimeout(Runnable::run, millis);
        return this.connection;
    }

    private static Flavour detect(Connection connection) throws SQLException {
        String version;
        String identity;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT @@version, @@server_id, @@hostname, @@port")) {
            rows.next();
            version = rows.getString(1);
            identity = rows.getString(2) + "@" + rows.getString(3) + ":" + rows.getString(4);
        }
        boolean mariaDb = version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
        boolean gtid = mariaDb || "ON".equalsIgnoreCase(queryString(connection, "SELECT @@GLOBAL.gtid_mode"));
        return new Flavour(version, mariaDb, gtid, identity);
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static String describe(Flavour flavour) {
        return (flavour.mariaDb() ? "MariaDB " : "MySQL ") + flavour.version() + (flavour.gtid() ? " with GTIDs" : " without GTIDs");
    }

    private static boolean isConnectionFailure(SQLException ex) {
        for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof SQLException sqlException && sqlException.getSQLState() != null
                    && sqlException.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(SQLException ex) {
        for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof SocketTimeoutException || cause instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Closes the kept connection; the next wait opens a new one. */
    @Override
    public void close() {
        Connection current = this.connection;
        this.connection = null;
        if (current != null) {
            try {
                current.close();
            }
            catch (SQLException ex) {
                // Already broken: nothing left to release.
            }
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    private interface Work<T> {

        T run(Connection connection) throws SQLException;

    }

    /**
     * What a server is, as far as replication waits go.
     * @param version its {@code @@version}
     * @param mariaDb whether it is MariaDB
     * @param gtid whether it uses GTIDs (MariaDB always, MySQL with {@code gtid_mode=ON})
     * @param identity server id, host name and port: equal for two URLs of one server
     */
    record Flavour(String version, boolean mariaDb, boolean gtid, String identity) {
    }

    /**
     * A position in a primary's binary log: GTIDs, or a file and offset.
     * @param source the primary
     * @param gtids its GTID position or set, {@code null} without GTIDs
     * @param file binary log file, without GTIDs
     * @param offset offset in that file, without GTIDs
     */
    record Position(Flavour source, String gtids, String file, long offset) {

        private static final int SHOWN = 120;

        @Override
        public String toString() {
            if (this.gtids == null) {
                return "binary log position " + this.file + ":" + this.offset;
            }
            String shown = (this.gtids.length() > SHOWN) ? this.gtids.substring(0, SHOWN) + "..." : this.gtids;
            return "GTID position '" + shown + "'";
        }

    }

}
