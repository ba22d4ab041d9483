package io.ddm.move;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.ddm.move.BinlogReader.Received;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applying half of a {@link ChangeStream}: takes the events the {@link BinlogReader} buffered and writes their row
 * changes to the target through one connection, in its {@link TargetTable}s.
 *
 * <p>Each source transaction becomes part of one target transaction: while events wait in the buffer, several source
 * transactions are committed together, a savepoint before each letting one of them roll back alone. The stream's
 * applied position advances only when the target commits. A source transaction's changes to
 * tables that take staged changes are staged once its commit is read, dropped when it rolls back; one that uses
 * savepoints applies its changes as they come, so that the target's savepoints see them.
 */
final class ChangeApplier {

    /** The stream's logger: what the stream logs keeps one name, whichever half logs it. */
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

    /**
     * How many source transactions at most one target transaction applies. While events wait in the buffer, the
     * applier commits several source transactions at once (a savepoint before each lets one of them roll back alone):
     * one commit per source transaction could not keep up with a source that many clients write at once.
     */
    private static final int MAX_GROUPED = 200;

    private final ChangeStream stream;

    private final ChangeStream.Settings settings;

    private final String source;

    private final Pattern databaseName;

    private final BlockingQueue<Received> buffer;

    /** Guards releasing the target connection, which the applier and the stream's close may both attempt. */
    private final Object targetLock = new Object();

    private final AtomicLong eventsApplied = new AtomicLong();

    private final AtomicLong rowsApplied = new AtomicLong();

    /** Timestamp of the first event of the group being applied, 0 when none is open. */
    private volatile long groupStartMillis;

    // Applier thread only.
    private Connection target;

    private String targetName = "target";

    private final Map<String, TargetTable> targetTables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private final Map<Long, TableMapEventData> tableMaps = new HashMap<>();

    private BinlogPosition current;

    private boolean groupOpen;

    private boolean explicitTransaction;

    private boolean xaTransaction;

    private boolean dirty;

    /** Source transactions applied on the target and not committed there yet, and where the last of them ends. */
    private int grouped;

    private long groupedEvents;

    private long groupedRows;

    private BinlogPosition groupedUpTo;

    private java.sql.Savepoint groupSavepoint;

    /**
     * The changes of the source transaction being read for tables that take staged changes: staged in the tables once
     * its commit is read, dropped when it rolls back.
     */
    private final List<StagedChange> transactionChanges = new ArrayList<>();

    /** Whether the source transaction being read applies its changes as they come (it used savepoints). */
    private boolean applyDirectly;

    private long groupEvents;

    private long groupRows;

    ChangeApplier(ChangeStream stream, BlockingQueue<Received> buffer) {
        this.stream = stream;
        this.settings = stream.settings();
        this.source = stream.source();
        this.buffer = buffer;
        this.databaseName = Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(this.settings.database()) + "(?![A-Za-z0-9_$])",
                Pattern.CASE_INSENSITIVE);
    }

    /**
     * Opens the target connection and prepares its session and tables, before the applier thread starts.
     * @throws ChangeStreamException when the target cannot be reached or prepared
     */
    void open() {
        try {
            this.target = this.settings.target().open();
            String url = this.target.getMetaData().getURL();
            this.targetName = (url != null) ? url.replaceFirst("\\?.*$", "") : "target";
            try (Statement statement = this.target.createStatement()) {
                statement.execute("SET time_zone = '+00:00'");
                // Connector/J escapes according to NO_BACKSLASH_ESCAPES as it found it; keep that flag as it is.
                statement.execute("SET SESSION sql_mode = CONCAT(IF(@@SESSION.sql_mode LIKE '%NO_BACKSLASH_ESCAPES%',"
                        + " 'NO_BACKSLASH_ESCAPES,', ''), 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION')");
                statement.execute("SET SESSION foreign_key_checks = 0");
            }
            this.target.setAutoCommit(false);
            for (ShardTable table : this.settings.tables()) {
                this.targetTables.put(table.name(), new TargetTable(table, this.target));
            }
        }
        catch (SQLException ex) {
            closeTarget();
            throw new ChangeStreamException("Cannot prepare the target " + this.targetName + " for the change stream of "
                    + this.settings.database() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The target as the stream's messages name it: its JDBC URL without parameters.
     * @return the name
     */
    String targetName() {
        return this.targetName;
    }

    /**
     * The row events applied and committed on the target.
     * @return the count
     */
    long eventsApplied() {
        return this.eventsApplied.get();
    }

    /**
     * The rows those events changed on the target.
     * @return the count
     */
    long rowsApplied() {
        return this.rowsApplied.get();
    }

    /**
     * When the source wrote the first event of the group being applied.
     * @return its timestamp in milliseconds, 0 when no group is open
     */
    long groupStartMillis() {
        return this.groupStartMillis;
    }

    /**
     * Applies buffered events until the stream stops: the body of the stream's applier thread. A failure fails the
     * stream; the target connection is released when the thread ends.
     */
    void apply() {
        try {
            while (!this.stream.isStopped()) {
                Received item = this.buffer.poll(this.grouped > 0 ? 0 : ChangeStream.POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (this.grouped > 0 && (item == null || this.stream.isPausedAt(item.at()))) {
                    flush();
                }
                if (item == null && this.grouped == 0) {
                    item = this.buffer.poll(ChangeStream.POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (item != null && this.stream.hold(item.at())) {
                    this.current = item.at();
                    handle(item);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ChangeStreamException ex) {
            this.stream.fail(ex);
        }
        catch (SQLException | IOException | RuntimeException ex) {
            this.stream.fail(new ChangeStreamException("Cannot apply the event at " + this.current + " of source " + this.source
                    + " to " + this.targetName + ": " + ex.getMessage(), ex));
        }
        finally {
            closeTarget();
        }
    }

    private void handle(Received item) throws SQLException, IOException {
        EventType type = item.event().getHeader().getEventType();
        switch (type) {
            case TABLE_MAP -> {
                TableMapEventData map = item.event().getData();
                this.tableMaps.put(map.getTableId(), map);
            }
            case WRITE_ROWS, EXT_WRITE_ROWS, UPDATE_ROWS, EXT_UPDATE_ROWS, DELETE_ROWS, EXT_DELETE_ROWS -> rows(item);
            case PRE_GA_WRITE_ROWS, PRE_GA_UPDATE_ROWS, PRE_GA_DELETE_ROWS, PARTIAL_UPDATE_ROWS_EVENT, TRANSACTION_PAYLOAD ->
                throw new ChangeStreamException("Unsupported binary log event " + type + " at " + item.at() + " of source "
                        + this.source + " (partial JSON updates and compressed transactions cannot be replayed)");
            case QUERY -> query(item, item.event().getData());
            case XID -> commit(item);
            case XA_PREPARE -> rollback(item);
            case GTID, ANONYMOUS_GTID -> openGroup(item, false);
            case MARIADB_GTID -> {
                MariadbGtidEventData gtid = item.event().getData();
                openGroup(item, (gtid.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0);
            }
            default -> {
                if (!this.groupOpen) {
                    advanceOrGroup(item.after());
                }
            }
        }
    }

    private void openGroup(Received item, boolean explicit) throws SQLException {
        if (this.grouped > 0 && !this.groupOpen) {
            this.groupSavepoint = this.target.setSavepoint();
        }
        this.groupOpen = true;
        this.explicitTransaction = explicit;
        this.groupStartMillis = item.timestamp();
    }

    private void query(Received item, QueryEventData query) throws SQLException, IOException {
        String sql = query.getSql().trim();
        String upper = sql.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN")) {
            openGroup(item, true);
        }
        else if (upper.equals("COMMIT")) {
            commit(item);
        }
        else if (upper.equals("ROLLBACK")) {
            rollback(item);
        }
        else if (upper.startsWith("SAVEPOINT") || upper.startsWith("ROLLBACK TO") || upper.startsWith("RELEASE SAVEPOINT")) {
            if (this.groupOpen) {
                // The target's savepoints must see every change before them: write what is staged, and apply the rest of
                // this transaction as it comes.
                flushStaged();
                for (StagedChange change : this.transactionChanges) {
                    change.applyDirectly();
                }
                this.transactionChanges.clear();
                this.applyDirectly = true;
                try (Statement statement = this.target.createStatement()) {
                    statement.execute(sql);
                }
                this.dirty = true;
            }
        }
        else if (upper.startsWith("XA START") || upper.startsWith("XA BEGIN")) {
            openGroup(item, true);
            this.xaTransaction = true;
        }
        else if (upper.startsWith("XA END")) {
            return;
        }
        else if (upper.startsWith("XA COMMIT") || upper.startsWith("XA ROLLBACK")) {
            rollback(item);
        }
        else {
            boolean touches = this.settings.database().equalsIgnoreCase(query.getDatabase()) || this.databaseName.matcher(sql).find();
            if (touches && !this.settings.ignoredStatement().test(sql)) {
                throw new ChangeStreamException("Statement on database " + this.settings.database() + " at " + item.at() + " of source "
                        + this.source + " cannot be replayed by the change stream: " + sql);
            }
            if (touches) {
                LOG.info("Change stream of {} skips the statement at {}: {}", this.settings.database(), item.at(), sql);
            }
            if (!this.explicitTransaction) {
                commit(item);
            }
        }
    }

    private void rows(Received item) throws SQLException, IOException {
        EventData data = item.event().getData();
        long tableId;
        BitSet included;
        BitSet includedBefore = null;
        if (data instanceof WriteRowsEventData write) {
            tableId = write.getTableId();
            included = write.getIncludedColumns();
        }
        else if (data instanceof UpdateRowsEventData update) {
            tableId = update.getTableId();
            included = update.getIncludedColumns();
            includedBefore = update.getIncludedColumnsBeforeUpdate();
        }
        else {
            DeleteRowsEventData delete = (DeleteRowsEventData) data;
            tableId = delete.getTableId();
            included = delete.getIncludedColumns();
        }
        TableMapEventData map = this.tableMaps.get(tableId);
        if (map == null) {
            throw new ChangeStreamException("Row event at " + item.at() + " of source " + this.source + " for table id " + tableId
                    + " without a table map event");
        }
        if (!this.settings.database().equalsIgnoreCase(map.getDatabase())) {
            return;
        }
        String tableName = this.settings.database() + "." + map.getTable();
        if (this.xaTransaction) {
            throw new ChangeStreamException("XA transaction changing " + tableName + " at " + item.at() + " of source " + this.source
                    + " cannot be replayed by the change stream");
        }
        TargetTable table = this.targetTables.get(map.getTable());
        if (table == null && SourceRetirement.isDdmTable(map.getTable())) {
            // DDM's own records of the move and the placement, which each copy keeps for itself.
            return;
        }
        if (table == null) {
            throw new ChangeStreamException("Table " + tableName + " changed at " + item.at() + " of source " + this.source
                    + " is not one of the tables the change stream replays " + this.targetTables.keySet() + ": a new table appeared");
        }
        int columns = table.table().columns().size();
        if (map.getColumnTypes().length != columns) {
            throw new ChangeStreamException("Table " + tableName + " has " + map.getColumnTypes().length + " columns at " + item.at()
                    + " of source " + this.source + ", the change stream knows " + columns + ": its definition changed");
        }
        if (included.cardinality() != columns || (includedBefore != null && includedBefore.cardinality() != columns)) {
            throw new ChangeStreamException("Row event for " + tableName + " at " + item.at() + " of source " + this.source
                    + " lacks columns: the change stream needs binlog_row_image=FULL");
        }
        int count;
        try {
            if (table.isStageable() && !this.applyDirectly) {
                count = stageLater(table, data);
            }
            else if (data instanceof WriteRowsEventData write) {
                for (Serializable[] row : write.getRows()) {
                    table.insert(row);
                }
                count = write.getRows().size();
            }
            else if (data instanceof UpdateRowsEventData update) {
                for (Map.Entry<Serializable[], Serializable[]> row : update.getRows()) {
                    table.update(row.getKey(), row.getValue());
                }
                count = update.getRows().size();
            }
            else {
                List<Serializable[]> rows = ((DeleteRowsEventData) data).getRows();
                for (Serializable[] row : rows) {
                    table.delete(row);
                }
                count = rows.size();
            }
        }
        catch (SQLException | IOException | RuntimeException ex) {
            throw new ChangeStreamException("Cannot apply " + item.event().getHeader().getEventType() + " on " + tableName + " at "
                    + item.at() + " of source " + this.source + " to " + this.targetName + ": " + ex.getMessage(), ex);
        }
        this.dirty = true;
        this.groupEvents++;
        this.groupRows += count;
    }

    private int stageLater(TargetTable table, EventData data) {
        int before = this.transactionChanges.size();
        if (data instanceof WriteRowsEventData write) {
            write.getRows().forEach((row) -> this.transactionChanges.add(new StagedChange(table, null, row)));
        }
        else if (data instanceof UpdateRowsEventData update) {
            update.getRows().forEach((row) -> this.transactionChanges.add(new StagedChange(table, row.getKey(), row.getValue())));
        }
        else {
            ((DeleteRowsEventData) data).getRows().forEach((row) -> this.transactionChanges.add(new StagedChange(table, row, null)));
        }
        return this.transactionChanges.size() - before;
    }

    /** Stages the read transaction's changes in their tables. */
    private void stageTransaction() throws IOException {
        for (StagedChange change : this.transactionChanges) {
            change.table().stage(change.before(), change.after());
        }
        this.transactionChanges.clear();
    }

    /** Writes every table's staged changes to the target (in its open transaction). */
    private void flushStaged() throws SQLException, IOException {
        for (TargetTable table : this.targetTables.values()) {
            table.flushStaged();
        }
    }

    private void commit(Received item) throws SQLException, IOException {
        stageTransaction();
        if (this.dirty) {
            this.grouped++;
            this.groupedEvents += this.groupEvents;
            this.groupedRows += this.groupRows;
        }
        endGroup(item);
        if (this.grouped > 0 && (this.grouped >= MAX_GROUPED || this.buffer.isEmpty() || this.stream.isPausedAt(item.after()))) {
            flush();
        }
    }

    /** Commits the grouped source transactions on the target and advances the applied position past them. */
    private void flush() throws SQLException, IOException {
        try {
            flushStaged();
            this.target.commit();
        }
        catch (SQLException ex) {
            throw new ChangeStreamException("Cannot commit the transactions ending at " + this.groupedUpTo + " of source " + this.source
                    + " on " + this.targetName + ": " + ex.getMessage(), ex);
        }
        this.eventsApplied.addAndGet(this.groupedEvents);
        this.rowsApplied.addAndGet(this.groupedRows);
        this.grouped = 0;
        this.groupedEvents = 0;
        this.groupedRows = 0;
        BinlogPosition upTo = this.groupedUpTo;
        this.groupedUpTo = null;
        if (upTo != null) {
            this.stream.advance(upTo);
        }
    }

    private void rollback(Received item) throws SQLException {
        this.transactionChanges.clear();
        if (this.dirty) {
            if (this.groupSavepoint != null) {
                this.target.rollback(this.groupSavepoint);
            }
            else {
                this.target.rollback();
            }
        }
        endGroup(item);
    }

    private void endGroup(Received item) {
        this.dirty = false;
        this.groupEvents = 0;
        this.groupRows = 0;
        this.groupOpen = false;
        this.explicitTransaction = false;
        this.xaTransaction = false;
        this.groupStartMillis = 0;
        this.groupSavepoint = null;
        this.applyDirectly = false;
        advanceOrGroup(item.after());
    }

    /** Advances the applied position, or, while grouped transactions wait for their commit, the position they end at. */
    private void advanceOrGroup(BinlogPosition position) {
        if (this.grouped > 0) {
            this.groupedUpTo = position;
        }
        else {
            this.stream.advance(position);
        }
    }

    /**
     * Rolls back what the target has not committed and closes the connection; once only, whichever thread calls first.
     */
    void closeTarget() {
        synchronized (this.targetLock) {
            releaseTarget();
        }
    }

    private void releaseTarget() {
        if (this.target == null) {
            return;
        }
        try {
            for (TargetTable table : this.targetTables.values()) {
                table.close();
            }
            if (!this.target.getAutoCommit()) {
                this.target.rollback();
            }
        }
        catch (SQLException ex) {
            LOG.debug("Releasing the target connection of the change stream of {} failed", this.settings.database(), ex);
        }
        finally {
            try {
                this.target.close();
            }
            catch (SQLException ex) {
                LOG.debug("Closing the target connection failed", ex);
            }
            this.target = null;
        }
    }

    /** One row change of a table that takes staged changes: {@code before} null for an insert, {@code after} for a delete. */
    private record StagedChange(TargetTable table, Serializable[] before, Serializable[] after) {

        void applyDirectly() throws SQLException, IOException {
            if (this.before == null) {
                this.table.insert(this.after);
            }
            else if (this.after == null) {
                this.table.delete(this.before);
            }
            else {
                this.table.update(this.before, this.after);
            }
        }

    }

}
