package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import io.ddm.move.ShardSideException.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the tables of a shard database from a {@link ShardSnapshot} of the source primary to the target primary: each
 * table is created on the target from the source's {@code SHOW CREATE TABLE}, then its rows are read from the snapshot
 * in primary-key order, a page at a time (keyset paging, so no long-running result set holds the source's connection),
 * and inserted in multi-row {@code INSERT}s, committed every {@code transactionRows} rows. The target database must
 * exist with the same name; a table that already exists there is replaced only if it is empty.
 *
 * <p>Values arrive exactly as they were (see {@link ColumnCodec}): both sessions use time zone {@code +00:00}, and the
 * target session has {@code foreign_key_checks} off (tables arrive in name order) and {@code NO_AUTO_VALUE_ON_ZERO}
 * (a key 0 stays 0). Generated columns are not inserted; the target computes them. The session variables are put back
 * afterwards. Both connections belong to the caller and stay open.
 *
 * <p>{@link #rowsTotal()} is the exact number of rows in the snapshot, counted before the first row is copied;
 * {@link #rowsCopied()} grows as rows are inserted. Both may be read from any thread, and {@link #cancel()} called from
 * any thread stops the copy before its next page with a {@link MoveCancelledException}. A failure is a
 * {@link ShardSideException} naming the table and the side. After a failure or cancellation the target holds a
 * partial copy, which the caller removes.
 */
public final class ShardCopy {

    /** Rows read from the source per page. */
    public static final int DEFAULT_BATCH_ROWS = 1000;

    /** Rows inserted on the target per transaction. */
    public static final int DEFAULT_TRANSACTION_ROWS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ShardCopy.class);

    private static final long MAX_STATEMENT_BYTES = 8L * 1024 * 1024;

    private static final int MAX_PLACEHOLDERS = 65_535;

    private final ShardSnapshot source;

    private final Connection target;

    private final List<ShardTable> tables;

    private final int batchRows;

    private final int transactionRows;

    private final AtomicLong rowsTotal = new AtomicLong(-1);

    private final AtomicLong rowsCopied = new AtomicLong();

    private volatile boolean cancelled;

    /**
     * Creates a copy with the default page and transaction sizes.
     * @param source the snapshot of the source shard
     * @param target a connection to the target primary
     * @param tables the tables to copy, e.g. {@link ShardTable#readAll}
     */
    public ShardCopy(ShardSnapshot source, Connection target, List<ShardTable> tables) {
        this(source, target, tables, DEFAULT_BATCH_ROWS, DEFAULT_TRANSACTION_ROWS);
    }

    /**
     * Creates a copy.
     * @param source the snapshot of the source shard
     * @param target a connection to the target primary
     * @param tables the tables to copy
     * @param batchRows rows read per page and inserted per statement (fewer when rows are large)
     * @param transactionRows rows per target transaction, at least one page
     */
    public ShardCopy(ShardSnapshot source, Connection target, List<ShardTable> tables, int batchRows, int transactionRows) {
        if (batchRows < 1 || transactionRows < 1) {
            throw new IllegalArgumentException("Batch and transaction sizes must be positive");
        }
        this.source = source;
        this.target = target;
        this.tables = List.copyOf(tables);
        this.batchRows = batchRows;
        this.transactionRows = transactionRows;
    }

    /**
     * Copies every table.
     * @throws ShardSideException when a statement fails on the source or the target, a table has no usable primary key,
     *     or a target table already holds rows
     * @throws SQLException when session settings cannot be read or restored
     * @throws MoveCancelledException when {@link #cancel()} was called
     */
    public void run() throws SQLException, MoveCancelledException {
        long started = System.nanoTime();
        Map<ShardTable, Keyset> keysets = new LinkedHashMap<>();
        for (ShardTable table : this.tables) {
            keysets.put(table, new Keyset(table, Side.SOURCE));
        }
        Connection sourceConnection = this.source.connection();
        SessionSettings sourceSettings = settings(sourceConnection, Side.SOURCE, Map.of("time_zone", "+00:00"));
        try {
            SessionSettings targetSettings = settings(this.target, Side.TARGET, targetSettings());
            try {
                countRows();
                long statementBytes = Math.min(MAX_STATEMENT_BYTES, maxAllowedPacket() / 4);
                for (Map.Entry<ShardTable, Keyset> table : keysets.entrySet()) {
                    checkCancelled(table.getKey());
                    createOnTarget(table.getKey());
                    copyRows(table.getKey(), table.getValue(), statementBytes);
                }
            }
            finally {
                targetSettings.restore();
            }
        }
        finally {
            sourceSettings.restore();
        }
        LOG.info("Copied {} rows of {} tables in {} ms", this.rowsCopied.get(), this.tables.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Stops the copy before its next page; {@link #run()} then throws {@link MoveCancelledException}.
     */
    public void cancel() {
        this.cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     * @return {@code true} once cancelled
     */
    public boolean isCancelled() {
        return this.cancelled;
    }

    /**
     * The number of rows to copy: the rows of all tables in the snapshot.
     * @return the count, or -1 until counted
     */
    public long rowsTotal() {
        return this.rowsTotal.get();
    }

    /**
     * The number of rows inserted on the target so far (committed or in the open transaction).
     * @return the count
     */
    public long rowsCopied() {
        return this.rowsCopied.get();
    }

    private Map<String, String> targetSettings() throws ShardSideException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("time_zone", "+00:00");
        settings.put("foreign_key_checks", "0");
        String mode;
        try {
            mode = SessionSettings.current(this.target, List.of("sql_mode")).get("sql_mode");
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, null, "reading the session's sql_mode", ex);
        }
        // Non-strict: every value comes from an identical column, and what would not fit is caught by the comparison.
        // The driver escapes strings by the server's NO_BACKSLASH_ESCAPES, so that flag stays as it was.
        String copyMode = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";
        if (mode != null && mode.toUpperCase(Locale.ROOT).contains("NO_BACKSLASH_ESCAPES")) {
            copyMode += ",NO_BACKSLASH_ESCAPES";
        }
        settings.put("sql_mode", copyMode);
        return settings;
    }

    private static SessionSettings settings(Connection connection, Side side, Map<String, String> settings) throws ShardSideException {
        try {
            return SessionSettings.set(connection, settings);
        }
        catch (SQLException ex) {
            throw new ShardSideException(side, null, "setting the session's " + String.join(", ", settings.keySet()), ex);
        }
    }

    private void countRows() throws ShardSideException {
        long total = 0;
        for (ShardTable table : this.tables) {
            try (Statement statement = this.source.connection().createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table.qualifiedName())) {
                rows.next();
                total += rows.getLong(1);
            }
            catch (SQLException ex) {
                throw new ShardSideException(Side.SOURCE, table.toString(), "counting the rows", ex);
            }
        }
        this.rowsTotal.set(total);
    }

    private long maxAllowedPacket() throws ShardSideException {
        try (Statement statement = this.target.createStatement();
                ResultSet rows = statement.executeQuery("SELECT @@max_allowed_packet")) {
            rows.next();
            return rows.getLong(1);
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, null, "reading max_allowed_packet", ex);
        }
    }

    private void createOnTarget(ShardTable table) throws ShardSideException {
        String create;
        try (Statement statement = this.source.connection().createStatement();
                ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + table.qualifiedName())) {
            rows.next();
            create = rows.getString(2);
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.SOURCE, table.toString(), "reading the definition", ex);
        }
        String unqualified = "CREATE TABLE " + ShardTable.quote(table.name());
        if (!create.startsWith(unqualified)) {
            throw new ShardSideException(Side.SOURCE, table.toString(), "SHOW CREATE TABLE answered a definition that does not"
                    + " start with " + unqualified + " (is sql_quote_show_create off?)");
        }
        String qualified = "CREATE TABLE " + table.qualifiedName() + create.substring(unqualified.length());
        try (Statement statement = this.target.createStatement()) {
            if (existsOnTarget(statement, table)) {
                try (ResultSet rows = statement.executeQuery("SELECT 1 FROM " + table.qualifiedName() + " LIMIT 1")) {
                    if (rows.next()) {
                        throw new ShardSideException(Side.TARGET, table.toString(), "it already exists there with rows; a copy"
                                + " never writes into a table that holds data: drop the target's copy of the shard or choose another node");
                    }
                }
                // an empty leftover, e.g. of an earlier attempt: replaced so that its definition is the source's
                statement.execute("DROP TABLE " + table.qualifiedName());
            }
            statement.execute(qualified);
        }
        catch (ShardSideException ex) {
            throw ex;
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, table.toString(), "creating the table", ex);
        }
    }

    private boolean existsOnTarget(Statement statement, ShardTable table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                + literal(table.database()) + " AND TABLE_NAME = " + literal(table.name()))) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private Set<String> generatedColumns(ShardTable table) throws ShardSideException {
        Set<String> result = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try (PreparedStatement statement = this.source.connection().prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND (EXTRA LIKE '%VIRTUAL%' OR EXTRA LIKE '%STORED%'"
                + " OR EXTRA LIKE '%PERSISTENT%')")) {
            statement.setString(1, table.database());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.SOURCE, table.toString(), "reading the generated columns", ex);
        }
        return result;
    }

    private void copyRows(ShardTable table, Keyset keyset, long statementBytes) throws SQLException, MoveCancelledException {
        Set<String> generated = generatedColumns(table);
        List<ShardTable.Column> columns = table.columns().stream().filter((column) -> !generated.contains(column.name())).toList();
        List<ColumnCodec> codecs = columns.stream().map(ColumnCodec::of).toList();
        StringBuilder select = new StringBuilder("SELECT ");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            select.append(codecs.get(i).select(columns.get(i))).append(", ");
            names.add(ShardTable.quote(columns.get(i).name()));
        }
        select.append(keyset.selectList()).append(" FROM ").append(table.qualifiedName());
        String limit = " LIMIT " + this.batchRows;
        String first = select + keyset.orderBy() + limit;
        String next = select + " WHERE " + keyset.after() + keyset.orderBy() + limit;
        String insert = "INSERT INTO " + table.qualifiedName() + " (" + String.join(", ", names) + ") VALUES ";
        String rowPlaceholders = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        int rowsPerStatement = Math.max(1, Math.min(this.batchRows, MAX_PLACEHOLDERS / Math.max(1, columns.size())));

        boolean autoCommit = autoCommit(table);
        long inTransaction = 0;
        long copied = 0;
        try {
            Object[] lastKey = null;
            while (true) {
                checkCancelled(table);
                List<Object[]> page = new ArrayList<>();
                lastKey = readPage(table, (lastKey == null) ? first : next, keyset, lastKey, codecs, page);
                if (page.isEmpty()) {
                    break;
                }
                int from = 0;
                while (from < page.size()) {
                    int to = from;
                    long bytes = 0;
                    while (to < page.size() && to - from < rowsPerStatement && (to == from || bytes < statementBytes)) {
                        bytes += size(page.get(to));
                        to++;
                    }
                    insertRows(table, insert, rowPlaceholders, codecs, page.subList(from, to));
                    this.rowsCopied.addAndGet(to - from);
                    copied += to - from;
                    inTransaction += to - from;
                    from = to;
                }
                if (inTransaction >= this.transactionRows) {
                    commit(table);
                    inTransaction = 0;
                }
                if (page.size() < this.batchRows) {
                    break;
                }
            }
            commit(table);
        }
        catch (SQLException | MoveCancelledException | RuntimeException ex) {
            try {
                this.target.rollback();
            }
            catch (SQLException rollback) {
                ex.addSuppressed(rollback);
            }
            throw ex;
        }
        finally {
            restoreAutoCommit(table, autoCommit);
        }
        LOG.debug("Copied {} rows of {}", copied, table);
    }

    private Object[] readPage(ShardTable table, String sql, Keyset keyset, Object[] after, List<ColumnCodec> codecs, List<Object[]> page)
            throws ShardSideException {
        try (PreparedStatement statement = this.source.connection().prepareStatement(sql)) {
            if (after != null) {
                keyset.bind(statement, 1, after);
            }
            Object[] last = null;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Object[] row = new Object[codecs.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = codecs.get(i).read(rows, i + 1);
                    }
                    page.add(row);
                    last = keyset.read(rows, row.length + 1);
                }
            }
            return last;
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.SOURCE, table.toString(), "reading rows", ex);
        }
    }

    private void insertRows(ShardTable table, String insert, String rowPlaceholders, List<ColumnCodec> codecs, List<Object[]> rows)
            throws ShardSideException {
        String sql = insert + String.join(", ", Collections.nCopies(rows.size(), rowPlaceholders));
        try (PreparedStatement statement = this.target.prepareStatement(sql)) {
            int index = 1;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    codecs.get(i).bind(statement, index++, row[i]);
                }
            }
            statement.executeUpdate();
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, table.toString(), "inserting rows", ex);
        }
    }

    private static long size(Object[] row) {
        long bytes = 0;
        for (Object value : row) {
            if (value instanceof byte[] binary) {
                bytes += binary.length;
            }
            else if (value instanceof String text) {
                bytes += text.length() * 3L;
            }
            else {
                bytes += 8;
            }
        }
        return bytes;
    }

    private boolean autoCommit(ShardTable table) throws ShardSideException {
        try {
            boolean autoCommit = this.target.getAutoCommit();
            this.target.setAutoCommit(false);
            return autoCommit;
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, table.toString(), "starting a transaction", ex);
        }
    }

    private void restoreAutoCommit(ShardTable table, boolean autoCommit) throws ShardSideException {
        try {
            this.target.setAutoCommit(autoCommit);
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, table.toString(), "ending the transaction", ex);
        }
    }

    private void commit(ShardTable table) throws ShardSideException {
        try {
            this.target.commit();
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.TARGET, table.toString(), "committing rows", ex);
        }
    }

    private void checkCancelled(ShardTable table) throws MoveCancelledException {
        if (this.cancelled) {
            throw new MoveCancelledException("The copy was cancelled at table " + table + " after " + this.rowsCopied.get() + " of "
                    + this.rowsTotal.get() + " rows");
        }
    }

    /**
     * Removes a partial copy from the target: the whole database when the move created it, else the copied tables.
     * @param target a connection to the target server
     * @param database the shard database
     * @param databaseCreated whether the move created the database
     * @param tables the tables copied (or being copied)
     * @throws SQLException when a drop fails
     */
    static void remove(Connection target, String database, boolean databaseCreated, List<String> tables) throws SQLException {
        try (Statement statement = target.createStatement()) {
            if (databaseCreated) {
                statement.execute("DROP DATABASE IF EXISTS " + ShardTable.quote(database));
                return;
            }
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + ShardTable.quote(database) + "." + ShardTable.quote(table));
            }
        }
    }

}
