package io.ddm.benchmarks.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The end of a run: every physical table of {@link ReliabilityData#TABLE} on every primary read directly (plain
 * JDBC, bypassing DDM) and held against the writers' ledgers. Also compares each replica's tables with its
 * primary's once replication caught up.
 *
 * @param acknowledgedRows inserts acknowledged (alone or by their transaction's commit)
 * @param storedRows rows found on the primaries
 * @param lostRows acknowledged rows found nowhere
 * @param lostIncrements acknowledged increments of {@code v} missing from the rows found
 * @param duplicateCopies copies beyond the first of ids stored more than once (across all physical tables)
 * @param storedThoughFailed rows found whose insert was reported failed (not in doubt), or of no writer at all
 * @param excessIncrements increments found beyond the acknowledged and in-doubt ones
 * @param inDoubtRows rows whose insert or commit failed in doubt
 * @param inDoubtStored of those, found
 * @param inDoubtTransactions transactions whose commit failed in doubt
 * @param inDoubtTransactionsCommitted of those, found whole
 * @param tornTransactions transactions found in part (some of their rows stored, others not)
 * @param misplacedRows rows found outside the physical table DDM's formula names for their user
 * @param failedRows inserts reported failed (not in doubt), none of which should be found
 * @param replicaMismatches replica tables whose row count or checksum differ from their primary's
 * @param lostExamples a few lost rows, for the report
 */
record WriteAudit(long acknowledgedRows, long storedRows, long lostRows, long lostIncrements, long duplicateCopies,
        long storedThoughFailed, long excessIncrements, long inDoubtRows, long inDoubtStored, long inDoubtTransactions,
        long inDoubtTransactionsCommitted, long tornTransactions, long misplacedRows, long failedRows, List<String> replicaMismatches,
        List<String> lostExamples) {

    private static final int EXAMPLES = 10;

    /** Acknowledged writes lost: rows and increments. */
    long lost() {
        return this.lostRows + this.lostIncrements;
    }

    /** Writes found more often than made: copies, rows reported failed, increments beyond those made. */
    long duplicated() {
        return this.duplicateCopies + this.storedThoughFailed + this.excessIncrements;
    }

    /** Whether nothing acknowledged was lost, nothing was stored twice or unasked, and no transaction was torn. */
    boolean passed() {
        return lost() == 0 && duplicated() == 0 && this.tornTransactions == 0 && this.misplacedRows == 0;
    }

    /**
     * Reads every physical table on the primaries and compares.
     * @param topology the servers, all running
     * @param ledgers every writer's ledger, its thread stopped
     * @return the audit
     * @throws SQLException when a server cannot be read
     */
    static WriteAudit run(DatabaseTopology topology, List<WriterLedger> ledgers) throws SQLException {
        int writers = ledgers.stream().mapToInt(WriterLedger::writer).max().orElse(-1) + 1;
        WriterLedger[] byWriter = new WriterLedger[writers];
        ledgers.forEach((ledger) -> byWriter[ledger.writer()] = ledger);
        int[][] copies = new int[writers][];
        long[][] values = new long[writers][];
        for (WriterLedger ledger : ledgers) {
            copies[ledger.writer()] = new int[ledger.rows() + 1];
            values[ledger.writer()] = new long[ledger.rows() + 1];
        }
        long stored = 0;
        long unknown = 0;
        long misplaced = 0;
        for (int i = 0; i < topology.primaries().size(); i++) {
            DatabaseServer primary = topology.primary(i);
            for (String[] table : physicalTables(primary)) {
                int foundTable = Integer.parseInt(table[1].substring(table[1].lastIndexOf('_') + 1));
                try (Connection connection = primary.connection(table[0]); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT id, user_id, v FROM `" + table[1] + "`")) {
                    while (rows.next()) {
                        stored++;
                        long id = rows.getLong(1);
                        long userId = rows.getLong(2);
                        int writer = ReliabilityData.writerOf(id);
                        long seq = ReliabilityData.seqOf(id);
                        if (ReliabilityData.tableOf(userId) != foundTable
                                || !table[0].equals(ReliabilityData.database(foundTable / ReliabilityData.TABLES_PER_SHARD))) {
                            misplaced++;
                        }
                        if (writer < 0 || writer >= writers || byWriter[writer] == null || seq < 1 || seq > byWriter[writer].rows()
                                || byWriter[writer].userId((int) seq) != userId) {
                            unknown++;
                            continue;
                        }
                        copies[writer][(int) seq]++;
                        values[writer][(int) seq] += rows.getLong(3);
                    }
                }
            }
        }
        long acknowledged = 0;
        long lost = 0;
        long lostIncrements = 0;
        long duplicates = 0;
        long storedThoughFailed = unknown;
        long excess = 0;
        long inDoubt = 0;
        long inDoubtStored = 0;
        long failed = 0;
        List<String> lostExamples = new ArrayList<>();
        for (WriterLedger ledger : ledgers) {
            int[] found = copies[ledger.writer()];
            for (int seq = 1; seq <= ledger.rows(); seq++) {
                byte status = ledger.status(seq);
                if (found[seq] > 1) {
                    duplicates += found[seq] - 1;
                }
                if (status == WriterLedger.ACKNOWLEDGED) {
                    acknowledged++;
                    if (found[seq] == 0) {
                        lost++;
                        if (lostExamples.size() < EXAMPLES) {
                            lostExamples.add("id " + ledger.id(seq) + " (user " + ledger.userId(seq) + ", transaction "
                                    + ledger.transactionOf(seq) + " of writer " + ledger.writer() + ")");
                        }
                    }
                }
                else if (status == WriterLedger.IN_DOUBT) {
                    inDoubt++;
                    inDoubtStored += (found[seq] > 0) ? 1 : 0;
                }
                else {
                    failed++;
                    storedThoughFailed += (found[seq] > 0) ? 1 : 0;
                }
                if (found[seq] > 0) {
                    // Each copy's v is summed: compare the value of one copy.
                    long value = values[ledger.writer()][seq] / found[seq];
                    lostIncrements += Math.max(0, ledger.acknowledgedIncrements(seq) - value);
                    excess += Math.max(0, value - ledger.acknowledgedIncrements(seq) - ledger.doubtfulIncrements(seq));
                }
                else {
                    lostIncrements += (status == WriterLedger.ACKNOWLEDGED) ? ledger.acknowledgedIncrements(seq) : 0;
                }
            }
        }
        long[] transactions = transactions(ledgers, copies);
        return new WriteAudit(acknowledged, stored, lost, lostIncrements, duplicates, storedThoughFailed, excess, inDoubt,
                inDoubtStored, transactions[0], transactions[1], transactions[2], misplaced, failed, replicaMismatches(topology),
                lostExamples);
    }

    /** In-doubt transactions, those of them found whole, and transactions found in part. */
    private static long[] transactions(List<WriterLedger> ledgers, int[][] copies) {
        long inDoubt = 0;
        long committed = 0;
        long torn = 0;
        for (WriterLedger ledger : ledgers) {
            int[] stored = new int[ledger.transactions() + 1];
            int[] size = new int[ledger.transactions() + 1];
            int[] found = copies[ledger.writer()];
            for (int seq = 1; seq <= ledger.rows(); seq++) {
                int transaction = ledger.transactionOf(seq);
                if (transaction != 0) {
                    size[transaction]++;
                    stored[transaction] += (found[seq] > 0) ? 1 : 0;
                }
            }
            for (int transaction = 1; transaction <= ledger.transactions(); transaction++) {
                if (stored[transaction] > 0 && stored[transaction] < size[transaction]) {
                    torn++;
                }
                if (ledger.transactionStatus(transaction) == WriterLedger.IN_DOUBT) {
                    inDoubt++;
                    committed += (stored[transaction] == size[transaction]) ? 1 : 0;
                }
            }
        }
        return new long[] {inDoubt, committed, torn};
    }

    /** The suite's physical tables on a server as {database, table}. */
    private static List<String[]> physicalTables(DatabaseServer server) throws SQLException {
        List<String[]> result = new ArrayList<>();
        try (Connection connection = server.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                        + " WHERE table_schema LIKE '" + ReliabilityData.SCHEMA + "\\_%' AND table_name LIKE '"
                        + ReliabilityData.TABLE.replace("_", "\\_") + "\\_%' ORDER BY table_schema, table_name")) {
            while (rows.next()) {
                result.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        return result;
    }

    private static List<String> replicaMismatches(DatabaseTopology topology) throws SQLException {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < topology.primaries().size(); i++) {
            DatabaseServer primary = topology.primary(i);
            for (String[] table : physicalTables(primary)) {
                String expected = checksum(primary, table);
                for (DatabaseServer replica : topology.replicasOf(i)) {
                    String actual = checksum(replica, table);
                    if (!Objects.equals(expected, actual)) {
                        result.add(replica.name() + " " + table[0] + "." + table[1] + ": " + actual + " rows/checksum, primary "
                                + expected);
                    }
                }
            }
        }
        return result;
    }

    private static String checksum(DatabaseServer server, String[] table) throws SQLException {
        try (Connection connection = server.connection(table[0]); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', user_id, ':', v))), 0)"
                        + " FROM `" + table[1] + "`")) {
            rows.next();
            return rows.getLong(1) + "/" + rows.getLong(2);
        }
    }

    /**
     * The audit as lines for the report.
     * @return label to value, in report order
     */
    Map<String, String> lines() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("rows stored on the primaries", Long.toString(this.storedRows));
        result.put("inserts acknowledged", Long.toString(this.acknowledgedRows));
        result.put("acknowledged rows lost", Long.toString(this.lostRows));
        result.put("acknowledged increments of v lost", Long.toString(this.lostIncrements));
        result.put("ids stored more than once (extra copies)", Long.toString(this.duplicateCopies));
        result.put("rows stored though their insert was reported failed, or of no writer", Long.toString(this.storedThoughFailed));
        result.put("increments of v beyond those acknowledged or in doubt", Long.toString(this.excessIncrements));
        result.put("transactions stored in part", Long.toString(this.tornTransactions));
        result.put("rows outside the physical table of DDM's formula", Long.toString(this.misplacedRows));
        result.put("inserts in doubt (a connection error at executeUpdate or commit): stored / not stored",
                this.inDoubtStored + " / " + (this.inDoubtRows - this.inDoubtStored));
        result.put("transactions in doubt: committed / rolled back", this.inDoubtTransactionsCommitted + " / "
                + (this.inDoubtTransactions - this.inDoubtTransactionsCommitted));
        result.put("inserts reported failed (nothing sent, or rejected by the server)", Long.toString(this.failedRows));
        result.put("replica tables that differ from their primary's after catching up", this.replicaMismatches.isEmpty() ? "none"
                : this.replicaMismatches.size() + ": " + String.join("; ", this.replicaMismatches));
        return result;
    }

}
