package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * SQL dialect of the server product: MariaDB and MySQL differ in replication statements and GTID formats.
 */
enum Flavor {

    /** MariaDB 10.5 or newer: domain-server-sequence GTIDs, {@code SLAVE} statements. */
    MARIADB,

    /** MySQL 8.0.23 or newer: UUID:interval GTID sets, {@code REPLICA} / {@code SOURCE} statements. */
    MYSQL;

    /**
     * Statement that points a replica to its primary. The replica logs in with the replication account and positions
     * itself by GTID. MariaDB servers run with {@code --skip-ssl}, and MariaDB 11.4 replicas require TLS unless told
     * otherwise ({@code MASTER_SSL=0}).
     */
    String changeSourceSql(String host, int port, String user, String password) {
        if (this == MARIADB) {
            return "CHANGE MASTER TO MASTER_HOST=" + quote(host) + ", MASTER_PORT=" + port + ", MASTER_USER=" + quote(user)
                    + ", MASTER_PASSWORD=" + quote(password) + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_SSL=0";
        }
        return "CHANGE REPLICATION SOURCE TO SOURCE_HOST=" + quote(host) + ", SOURCE_PORT=" + port + ", SOURCE_USER="
                + quote(user) + ", SOURCE_PASSWORD=" + quote(password)
                + ", SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1, SOURCE_RETRY_COUNT=86400";
    }

    String startReplicationSql() {
        return this == MARIADB ? "START SLAVE" : "START REPLICA";
    }

    String startReceiverSql() {
        return this == MARIADB ? "START SLAVE IO_THREAD" : "START REPLICA IO_THREAD";
    }

    String startApplierSql() {
        return this == MARIADB ? "START SLAVE SQL_THREAD" : "START REPLICA SQL_THREAD";
    }

    String stopApplierSql() {
        return this == MARIADB ? "STOP SLAVE SQL_THREAD" : "STOP REPLICA SQL_THREAD";
    }

    /**
     * Forgets binary logs and executed GTIDs. Used once on fresh servers, before replication is wired, so that
     * primaries and replicas (initialised from identical data) start from an empty, consistent GTID history.
     */
    void resetGtidHistory(Connection connection) throws SQLException {
        if (primaryPosition(connection).isEmpty() && replicaPosition(connection).isEmpty()) {
            return; // nothing to forget; resetting costs fsyncs (~1 s on slow disks)
        }
        try (Statement statement = connection.createStatement()) {
            if (this == MARIADB) {
                statement.execute("RESET MASTER");
                statement.execute("SET GLOBAL gtid_slave_pos = ''");
            } else {
                try {
                    statement.execute("RESET BINARY LOGS AND GTIDS");
                } catch (SQLException beforeMySql84) {
                    statement.execute("RESET MASTER");
                }
            }
        }
    }

    /** Everything the primary has written to its binary log, as a GTID position or set. */
    String primaryPosition(Connection primary) throws SQLException {
        String sql = this == MARIADB ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";
        try (Statement statement = primary.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            String position = rs.getString(1);
            return position == null ? "" : position.trim();
        }
    }

    /** What the replica has applied (MariaDB {@code gtid_slave_pos}, MySQL {@code gtid_executed}). */
    String replicaPosition(Connection replica) throws SQLException {
        String sql = this == MARIADB ? "SELECT @@GLOBAL.gtid_slave_pos" : "SELECT @@GLOBAL.gtid_executed";
        try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            String position = rs.getString(1);
            return position == null ? "" : position.trim();
        }
    }

    /** Whether the replica has applied every transaction contained in {@code primaryPosition}. */
    boolean hasApplied(Connection replica, String primaryPosition) throws SQLException {
        if (primaryPosition.isEmpty()) {
            return true;
        }
        if (this == MARIADB) {
            return mariaDbCovers(replicaPosition(replica), primaryPosition);
        }
        try (PreparedStatement statement = replica.prepareStatement("SELECT GTID_SUBSET(?, @@GLOBAL.gtid_executed)")) {
            statement.setString(1, primaryPosition);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    /** Current state of the replication threads of a replica. */
    ReplicationStatus replicationStatus(Connection replica) throws SQLException {
        String sql = this == MARIADB ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS";
        String io = this == MARIADB ? "Slave_IO_Running" : "Replica_IO_Running";
        String applier = this == MARIADB ? "Slave_SQL_Running" : "Replica_SQL_Running";
        try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                return new ReplicationStatus(false, "No", "No", "replication is not configured", "");
            }
            return new ReplicationStatus(true, rs.getString(io), rs.getString(applier), rs.getString("Last_IO_Error"),
                    rs.getString("Last_SQL_Error"));
        }
    }

    /**
     * Whether MariaDB GTID position {@code applied} (e.g. {@code 0-1-7,1-2-3}) contains {@code target}: for every
     * replication domain of the target, the applied sequence number is at least the target's one.
     */
    static boolean mariaDbCovers(String applied, String target) {
        Map<Long, Long> appliedByDomain = mariaDbSequences(applied);
        for (Map.Entry<Long, Long> domain : mariaDbSequences(target).entrySet()) {
            Long sequence = appliedByDomain.get(domain.getKey());
            if (sequence == null || sequence < domain.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<Long, Long> mariaDbSequences(String position) {
        Map<Long, Long> sequences = new HashMap<>();
        for (String gtid : position.split(",")) {
            String trimmed = gtid.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("Not a MariaDB GTID position: " + position);
            }
            sequences.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
        }
        return sequences;
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Result of {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}, reduced to what the harness needs. */
    record ReplicationStatus(boolean configured, String receiver, String applier, String receiverError, String applierError) {

        boolean receiverRunning() {
            return "Yes".equalsIgnoreCase(receiver);
        }

        /**
         * Whether the receiver is on its way to the primary: "Connecting", or MariaDB's "Preparing", which it reports
         * while its IO thread starts (seen on 11.4 right after the primary restarted); neither means broken.
         */
        boolean receiverConnecting() {
            return "Connecting".equalsIgnoreCase(receiver) || "Preparing".equalsIgnoreCase(receiver);
        }

        boolean applierRunning() {
            return "Yes".equalsIgnoreCase(applier);
        }

        @Override
        public String toString() {
            return "receiver (IO thread)=" + receiver + (isBlank(receiverError) ? "" : " [" + receiverError + "]")
                    + ", applier (SQL thread)=" + applier + (isBlank(applierError) ? "" : " [" + applierError + "]");
        }

        private static boolean isBlank(String value) {
            return value == null || value.isBlank();
        }
    }
}
