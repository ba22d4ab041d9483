package io.ddm.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.ddm.datasource.Failures;
import io.ddm.datasource.MySqlErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one replica's replication lag the way the server reports it: {@code Seconds_Behind_Master} (MariaDB, MySQL
 * before 8.4) or {@code Seconds_Behind_Source} (MySQL 8.4) of its replication status, whole seconds, NULL while
 * replication is stopped. Remembers which statement the server understands, and warns once when the status cannot
 * be read (e.g. without the {@code REPLICATION CLIENT} privilege). A server with an empty replication status is not
 * replicating at all, which is reported like stopped replication. Used by one check at a time.
 */
public final class ReplicationLag {

    private static final Logger logger = LoggerFactory.getLogger(ReplicationLag.class);

    /** MariaDB and MySQL before 8.4 know the first, MySQL 8.4 only the second. */
    private static final List<String> STATUS_STATEMENTS = List.of("SHOW SLAVE STATUS", "SHOW REPLICA STATUS");

    private static final List<String> LAG_COLUMNS = List.of("Seconds_Behind_Master", "Seconds_Behind_Source");

    private final String replica;

    private volatile String statusStatement;

    private volatile boolean unreadable;

    ReplicationLag(String replica) {
        this.replica = replica;
    }

    /**
     * Reads the lag.
     * @param connection a connection to the replica
     * @return what the server reports
     * @throws SQLException for a connection failure; other failures mean the lag is unknown
     */
    Reading read(Connection connection) throws SQLException {
        List<String> statements = (this.statusStatement != null) ? List.of(this.statusStatement) : STATUS_STATEMENTS;
        for (String statement : statements) {
            try (Statement status = connection.createStatement(); ResultSet rows = status.executeQuery(statement)) {
                this.statusStatement = statement;
                if (!rows.next()) {
                    // Configured as a replica, but the server replicates from nobody: it never catches up.
                    return new Reading(null, statement + " is empty: the server does not replicate");
                }
                String column = lagColumn(rows);
                long seconds = rows.getLong(column);
                return rows.wasNull() ? new Reading(null, column + " is NULL") : new Reading(Duration.ofSeconds(seconds), null);
            }
            catch (SQLException ex) {
                if (ex.getErrorCode() == MySqlErrorCodes.ER_PARSE_ERROR && this.statusStatement == null) {
                    continue;
                }
                if (Failures.isConnectionFailure(ex)) {
                    throw ex;
                }
                // E.g. no REPLICATION CLIENT privilege: the replica answered, only its lag is unknown.
                if (!this.unreadable) {
                    this.unreadable = true;
                    logger.warn("Cannot read the replication status of replica {} ({}); its lag is not checked", this.replica,
                            ex.getMessage());
                }
                return Reading.UNKNOWN;
            }
        }
        return Reading.UNKNOWN;
    }

    private static String lagColumn(ResultSet rows) throws SQLException {
        for (String column : LAG_COLUMNS) {
            try {
                rows.findColumn(column);
                return column;
            }
            catch (SQLException ex) {
                // try the next name
            }
        }
        throw new SQLException("Replication status has none of the columns " + LAG_COLUMNS);
    }

    /**
     * One reading.
     * @param lag the reported lag, {@code null} when unknown or stopped
     * @param stopped why replication counts as stopped (its lag column is NULL, or there is no replication status),
     *     {@code null} otherwise
     */
    public record Reading(Duration lag, String stopped) {

        /** The status could not be read: the lag is unknown. */
        public static final Reading UNKNOWN = new Reading(null, null);

    }

}
