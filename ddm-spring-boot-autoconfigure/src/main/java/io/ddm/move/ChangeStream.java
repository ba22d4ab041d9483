package io.ddm.move;

import java.io.IOException;
import java.io.Serializable;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays onto a target server the row changes that a source server's binary log records for one database, from a
 * given position: the catch-up stream of a shard move.
 *
 * <p>One thread reads the binary log into a bounded buffer, another applies it: each source transaction becomes one
 * target transaction, and {@link #appliedPosition()} advances only when it commits, to the position after the
 * source's commit event, the position {@code SHOW MASTER STATUS} reports after that transaction. Inserts are
 * written as upserts, updates address the before-image's primary key, deletes the primary key, so replaying a change
 * the target already holds is harmless. A statement other than a transaction boundary that touches the database (DDL,
 * statement-logged DML) fails the stream unless {@link Settings#ignoredStatement()} accepts it, as does a row change
 * for a table the stream was not given. Once failed, the stream stops and stays failed; it never reconnects.
 */
public final class ChangeStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

    private static final long POLL_MILLIS = 200;

    /** An event header flag: the event is not in the binary log, the server made it up for the dump. */
    private static final int LOG_EVENT_ARTIFICIAL_F = 0x20;

    /**
     * How many source transactions at most one target transaction applies. While events wait in the buffer, the
     * applier commits several source transactions at once (a savepoint before each lets one of them roll back alone):
     * one commit per source transaction could not keep up with a source that many clients write at once.
     */
    private static final int MAX_GROUPED = 200;

    private final Settings settings;

    private final String source;

    private final Map<String, ShardTable> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private final Pattern databaseName;

    private final BinaryLogClient client;

    private final BlockingQueue<Received> buffer;

    private final Object lock = new Object();

    /** Guards releasing the target connection, which the applier and {@link #close()} may both attempt. */
    private final Object targetLock = new Object();

    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private final CountDownLatch connected = new CountDownLatch(1);

    private final AtomicLong eventsApplied = new AtomicLong();

    private final AtomicLong rowsApplied = new AtomicLong();

    private final Thread reader;

    private final Thread applier;

    private volatile boolean closed;

    private volatile BinlogPosition applied;

    private volatile BinlogPosition received;

    /** Where to hold; guarded by {@link #lock}. */
    private BinlogPosition pausePosition;

    /** Timestamp of the first event of the group being applied, 0 when none is open. */
    private volatile long groupStartMillis;

    private volatile Exception communicationFailure;

    // Reader thread only.
    private String readerFile;

    /** Where the next event starts in {@link #readerFile}: events inside a transaction may not say (see onEvent). */
    private long readerPosition;

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

    private ChangeStream(Settings settings) {
        this.settings = settings;
        this.source = settings.host() + ":" + settings.port();
        settings.tables().forEach((table) -> this.tables.put(table.name(), table));
        this.databaseName = Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(settings.database()) + "(?![A-Za-z0-9_$])",
                Pattern.CASE_INSENSITIVE);
        this.applied = settings.start();
        this.readerFile = settings.start().file();
        this.readerPosition = settings.start().position();
        this.buffer = new ArrayBlockingQueue<>(settings.bufferedEvents());
        this.client = new BinaryLogClient(settings.host(), settings.port(), settings.username(), settings.password());
        this.client.setServerId(settings.serverId());
        this.client.setBinlogFilename(settings.start().file());
        this.client.setBinlogPosition(settings.start().position());
        // A reconnect would resume from the client's own idea of the position, not from what was applied.
        this.client.setKeepAlive(false);
        this.client.setBlocking(true);
        this.client.setConnectTimeout(settings.connectTimeout().toMillis());
        // The source sends heartbeats when idle, so a read that sees nothing for the whole timeout means a hung source
        // or a broken network, which otherwise would go unnoticed.
        long silence = settings.sourceTimeout().toMillis();
        this.client.setHeartbeatInterval(Math.max(1, silence / 4));
        this.client.setSocketFactory(() -> {
            Socket socket = new Socket();
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, silence));
            return socket;
        });
        this.client.setEventDeserializer(eventDeserializer());
        this.client.setThreadFactory((runnable) -> daemon(runnable, "ddm-move-binlog-client-" + settings.database()));
        this.client.registerEventListener(this::onEvent);
        this.client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {

            @Override
            public void onConnect(BinaryLogClient binaryLogClient) {
                ChangeStream.this.connected.countDown();
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient binaryLogClient, Exception ex) {
                ChangeStream.this.communicationFailure = ex;
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient binaryLogClient, Exception ex) {
                fail(new ChangeStreamException("Cannot read an event of the binary log of source " + ChangeStream.this.source
                        + " after " + ChangeStream.this.received + ": " + ex.getMessage(), ex));
            }

        });
        this.reader = daemon(this::read, "ddm-move-binlog-reader-" + settings.database());
        this.applier = daemon(this::apply, "ddm-move-binlog-applier-" + settings.database());
    }

    /**
     * Connects to the source and the target and starts applying, in threads of its own.
     * @param settings what to replay, from where, to where
     * @return the running stream
     * @throws IllegalArgumentException when a table has no primary key or a column of a type the stream cannot
     *     convert
     * @throws ChangeStreamException when the target or the source's binary log cannot be reached
     */
    public static ChangeStream start(Settings settings) {
        List<String> problems = new ArrayList<>();
        for (ShardTable table : settings.tables()) {
            if (!table.database().equalsIgnoreCase(settings.database())) {
                problems.add("table " + table + " is not in database " + settings.database());
            }
            if (table.primaryKey().isEmpty()) {
                problems.add("table " + table + " has no primary key");
            }
        }
        unsupportedColumns(settings.tables()).forEach((column) -> problems.add("column " + column + " has an unsupported type"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot stream changes of " + settings.database() + ": " + String.join("; ", problems));
        }
        ChangeStream stream = new ChangeStream(settings);
        stream.open();
        return stream;
    }

    /**
     * The columns of the tables whose data types the stream cannot convert, so a move can refuse them before it
     * starts. Supported are the integer types (signed and unsigned), DECIMAL, FLOAT, DOUBLE, BIT, DATE, DATETIME,
     * TIMESTAMP, TIME, YEAR, CHAR, VARCHAR, BINARY, VARBINARY, the TEXT and BLOB types, ENUM, SET and JSON.
     * @param tables the tables
     * @return {@code database.table.column (type)} descriptions, empty when every column is supported
     */
    public static List<String> unsupportedColumns(List<ShardTable> tables) {
        return BinlogValues.unsupportedColumns(tables);
    }

    private void open() {
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
        this.applier.start();
        this.reader.start();
        boolean connectedInTime;
        try {
            connectedInTime = this.connected.await(this.settings.connectTimeout().toMillis() + POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            close();
            throw new ChangeStreamException("Interrupted while connecting to source " + this.source, ex);
        }
        Throwable failed = this.failure.get();
        if (failed != null || !connectedInTime) {
            close();
            throw (failed != null) ? new ChangeStreamException(failed.getMessage(), failed)
                    : new ChangeStreamException("Source " + this.source + " did not start sending its binary log within "
                            + this.settings.connectTimeout());
        }
        LOG.info("Change stream of {} started: source {} from {}, target {}", this.settings.database(), this.source,
                this.settings.start(), this.targetName);
    }

    /**
     * The position after the last source transaction fully applied (committed) on the target.
     * @return the position, the start position until a transaction commits
     */
    public BinlogPosition appliedPosition() {
        return this.applied;
    }

    /**
     * The position after the last event received from the source.
     * @return the position, the start position until an event arrives
     */
    public BinlogPosition receivedPosition() {
        BinlogPosition position = this.received;
        return (position != null) ? position : this.settings.start();
    }

    /**
     * Waits until the applied position has reached a position.
     * @param position the position, usually one the source reported after a transaction
     * @param timeout how long to wait at most
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws TimeoutException when the position is not reached in time; the message names both positions
     * @throws ChangeStreamException when the stream has failed, with that failure as its cause
     */
    public void awaitApplied(BinlogPosition position, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this.lock) {
            while (this.applied.compareTo(position) < 0) {
                Throwable failed = this.failure.get();
                if (failed != null) {
                    throw new ChangeStreamException("Change stream of " + this.settings.database() + " failed before applying "
                            + position + ": " + failed.getMessage(), failed);
                }
                if (this.closed) {
                    throw new IllegalStateException("Change stream of " + this.settings.database() + " was closed at " + this.applied
                            + " before applying " + position);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TimeoutException("Change stream of " + this.settings.database() + " from source " + this.source
                            + " applied up to " + this.applied + ", not yet " + position + ", within " + timeout + " (received up to "
                            + receivedPosition() + ")");
                }
                this.lock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remaining), POLL_MILLIS)));
            }
        }
    }

    /**
     * Applies the events strictly before a position, then holds (the reader keeps buffering, then blocks) until
     * {@link #resume()}. Replaces an earlier pause position. For {@link #appliedPosition()} to land on the position
     * exactly, it must be a transaction boundary, as the positions the source reports are.
     * @param position the first position not to apply
     */
    public void pauseAt(BinlogPosition position) {
        Objects.requireNonNull(position, "position");
        synchronized (this.lock) {
            this.pausePosition = position;
            this.lock.notifyAll();
        }
    }

    /**
     * Lifts the pause of {@link #pauseAt(BinlogPosition)}.
     */
    public void resume() {
        synchronized (this.lock) {
            this.pausePosition = null;
            this.lock.notifyAll();
        }
    }

    /**
     * How far the applied changes are behind what the source has written, by the source's event timestamps (whole
     * seconds): best effort.
     * @return the lag, zero when everything received is applied
     */
    public Duration lag() {
        BinlogPosition lastReceived = this.received;
        if (lastReceived == null || this.applied.compareTo(lastReceived) >= 0) {
            return Duration.ZERO;
        }
        long since = this.groupStartMillis;
        if (since == 0) {
            Received next = this.buffer.peek();
            since = (next != null) ? next.timestamp() : 0;
        }
        return (since == 0) ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - since));
    }

    /**
     * The row events of the stream's tables applied and committed on the target.
     * @return the count
     */
    public long eventsApplied() {
        return this.eventsApplied.get();
    }

    /**
     * The rows those events changed on the target.
     * @return the count
     */
    public long rowsApplied() {
        return this.rowsApplied.get();
    }

    /**
     * The first failure: once failed, the stream has stopped.
     * @return the failure, empty while the stream runs or after a plain {@link #close()}
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(this.failure.get());
    }

    /**
     * Disconnects from the source, stops both threads and rolls back a transaction the target has not committed.
     */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        synchronized (this.lock) {
            this.lock.notifyAll();
        }
        disconnect();
        join(this.reader);
        join(this.applier);
        if (!this.applier.isAlive()) {
            closeTarget();
        }
        LOG.info("Change stream of {} from source {} closed at {}", this.settings.database(), this.source, this.applied);
    }

    private void read() {
        try {
            this.client.connect();
        }
        catch (IOException | RuntimeException ex) {
            fail(new ChangeStreamException("Cannot read the binary log of source " + this.source + " from " + this.settings.start()
                    + ": " + ex.getMessage(), ex));
            return;
        }
        if (!this.closed) {
            Exception cause = this.communicationFailure;
            fail(new ChangeStreamException("Lost the binary log connection to source " + this.source + " after receiving up to "
                    + receivedPosition() + ((cause != null) ? ": " + cause.getMessage() : ""), cause));
        }
    }

    private void onEvent(Event event) {
        if (this.closed || this.failure.get() != null) {
            return;
        }
        EventHeaderV4 header = event.getHeader();
        EventType type = header.getEventType();
        long next = header.getNextPosition();
        BinlogPosition at;
        BinlogPosition after;
        if (type == EventType.ROTATE) {
            RotateEventData rotate = event.getData();
            at = (next != 0) ? new BinlogPosition(this.readerFile, next - header.getEventLength()) : null;
            after = new BinlogPosition(rotate.getBinlogFilename(), rotate.getBinlogPosition());
            this.readerFile = rotate.getBinlogFilename();
            this.readerPosition = rotate.getBinlogPosition();
            if (next == 0) {
                // The rotate a dump starts with, or that follows a server restart: no log content.
                return;
            }
        }
        else {
            // Artificial events (the format description a dump starts with, heartbeats) are no log content.
            if (type == EventType.HEARTBEAT || (header.getFlags() & LOG_EVENT_ARTIFICIAL_F) != 0
                    || (next == 0 && type == EventType.FORMAT_DESCRIPTION)) {
                return;
            }
            // MariaDB 11.4 writes end_log_pos 0 into the events inside a transaction (binlog_legacy_event_pos=OFF):
            // their positions follow from the previous event's end and their own length.
            long start = (next != 0) ? next - header.getEventLength() : this.readerPosition;
            long end = (next != 0) ? next : start + header.getEventLength();
            at = new BinlogPosition(this.readerFile, start);
            after = new BinlogPosition(this.readerFile, end);
            this.readerPosition = end;
        }
        Received item = new Received(event, at, after, header.getTimestamp());
        try {
            while (!this.buffer.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (this.closed || this.failure.get() != null) {
                    return;
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        this.received = after;
    }

    private void apply() {
        try {
            while (!this.closed && this.failure.get() == null) {
                Received item = this.buffer.poll(this.grouped > 0 ? 0 : POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (this.grouped > 0 && (item == null || isPausedAt(item.at()))) {
                    flush();
                }
                if (item == null && this.grouped == 0) {
                    item = this.buffer.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (item != null && hold(item.at())) {
                    this.current = item.at();
                    handle(item);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ChangeStreamException ex) {
            fail(ex);
        }
        catch (SQLException | IOException | RuntimeException ex) {
            fail(new ChangeStreamException("Cannot apply the event at " + this.current + " of source " + this.source + " to "
                    + this.targetName + ": " + ex.getMessage(), ex));
        }
        finally {
            closeTarget();
        }
    }

    private boolean isPausedAt(BinlogPosition at) {
        synchronized (this.lock) {
            return this.pausePosition != null && at.compareTo(this.pausePosition) >= 0;
        }
    }

    /** Blocks while the pause position says so; false when the stream stopped meanwhile. */
    private boolean hold(BinlogPosition at) throws InterruptedException {
        synchronized (this.lock) {
            while (!this.closed && this.failure.get() == null && this.pausePosition != null && at.compareTo(this.pausePosition) >= 0) {
                this.lock.wait(POLL_MILLIS);
            }
            return !this.closed && this.failure.get() == null;
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
                    + " is not one of the tables the change stream replays " + this.tables.keySet() + ": a new table appeared");
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
        if (this.grouped > 0 && (this.grouped >= MAX_GROUPED || this.buffer.isEmpty() || isPausedAt(item.after()))) {
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
            advance(upTo);
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
            advance(position);
        }
    }

    private void advance(BinlogPosition position) {
        synchronized (this.lock) {
            if (position.compareTo(this.applied) > 0) {
                this.applied = position;
                this.lock.notifyAll();
            }
        }
    }

    private void fail(Throwable cause) {
        if (!this.failure.compareAndSet(null, cause)) {
            return;
        }
        LOG.error("Change stream of {} from source {} failed at {}: {}", this.settings.database(), this.source, this.applied,
                cause.getMessage(), cause);
        synchronized (this.lock) {
            this.lock.notifyAll();
        }
        this.connected.countDown();
        disconnect();
    }

    private void disconnect() {
        try {
            this.client.disconnect();
        }
        catch (IOException | RuntimeException ex) {
            LOG.debug("Disconnecting from source {} failed", this.source, ex);
        }
    }

    private void closeTarget() {
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

    /**
     * The deserializer the stream reads events with. A compressed transaction (MySQL's
     * {@code binlog_transaction_compression}) fails the stream, so its payload is skipped rather than decompressed:
     * the stream needs no zstd library, and the applier refuses the event naming its position.
     */
    static EventDeserializer eventDeserializer() {
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO, CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
                CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        deserializer.setEventDataDeserializer(EventType.TRANSACTION_PAYLOAD, (EventDataDeserializer<TransactionPayloadEventData>) (in) -> {
            TransactionPayloadEventData skipped = new TransactionPayloadEventData();
            skipped.setUncompressedEvents(new ArrayList<>());
            return skipped;
        });
        return deserializer;
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread() || !thread.isAlive()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** An event as the reader received it, with where it starts and what position follows it. */
    private record Received(Event event, BinlogPosition at, BinlogPosition after, long timestamp) {

    }

    /**
     * Opens the connection the stream writes to the target with.
     */
    @FunctionalInterface
    public interface TargetConnections {

        /**
         * Opens a connection to the target server; the stream uses it alone until it stops, then closes it.
         * @return a new connection
         * @throws SQLException when the target cannot be reached
         */
        Connection open() throws SQLException;

        /**
         * Connections from a data source.
         * @param dataSource the data source of the target server
         * @return the connections
         */
        static TargetConnections of(DataSource dataSource) {
            return dataSource::getConnection;
        }

    }

    /**
     * What a change stream replays, from where, to where. Build with {@link #builder()}.
     *
     * @param host the source primary's host
     * @param port the source primary's port
     * @param username the source account, with replication privileges
     * @param password its password
     * @param serverId the server id the stream's replication client uses, unique among the source's replicas
     * @param database the database whose changes are replayed; other databases' events are skipped
     * @param tables the database's tables as read from the source before the start; changes of any other table fail
     *     the stream
     * @param start the position to replay from
     * @param target the connections to the target server, which holds the same-named database with identical tables
     * @param ignoredStatement the statements on the database to skip rather than fail on (the move's own renames)
     * @param connectTimeout how long to wait for the source to start sending its binary log
     * @param sourceTimeout how long the source may send nothing (it sends heartbeats at a quarter of this when it has
     *     nothing to send) before the stream fails
     * @param bufferedEvents how many events the reader buffers ahead of the applier before it blocks
     */
    public record Settings(String host, int port, String username, String password, long serverId, String database,
            List<ShardTable> tables, BinlogPosition start, TargetConnections target, Predicate<String> ignoredStatement,
            Duration connectTimeout, Duration sourceTimeout, int bufferedEvents) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(target, "target");
            tables = List.copyOf(tables);
            ignoredStatement = (ignoredStatement != null) ? ignoredStatement : (statement) -> false;
            connectTimeout = (connectTimeout != null) ? connectTimeout : Duration.ofSeconds(30);
            sourceTimeout = (sourceTimeout != null) ? sourceTimeout : Duration.ofSeconds(60);
            if (bufferedEvents <= 0) {
                throw new IllegalArgumentException("bufferedEvents must be positive");
            }
        }

        /**
         * A builder with a random server id, a 30 s connect timeout, a 60 s source timeout, a buffer of 10,000 events
         * and no ignored statements.
         * @return the builder
         */
        public static Builder builder() {
            return new Builder();
        }

        @Override
        public String toString() {
            return "Settings[source=" + this.host + ":" + this.port + ", username=" + this.username + ", serverId=" + this.serverId
                    + ", database=" + this.database + ", start=" + this.start + "]";
        }

        /**
         * Builds {@link Settings}.
         */
        public static final class Builder {

            private String host;

            private int port = 3306;

            private String username;

            private String password;

            private long serverId = ThreadLocalRandom.current().nextLong(65536, 1L << 31);

            private String database;

            private List<ShardTable> tables = List.of();

            private BinlogPosition start;

            private TargetConnections target;

            private Predicate<String> ignoredStatement;

            private Duration connectTimeout = Duration.ofSeconds(30);

            private Duration sourceTimeout = Duration.ofSeconds(60);

            private int bufferedEvents = 10_000;

            private Builder() {
            }

            /**
             * The source primary.
             * @param host its host
             * @param port its port
             * @return this builder
             */
            public Builder source(String host, int port) {
                this.host = host;
                this.port = port;
                return this;
            }

            /**
             * The source account.
             * @param username the user
             * @param password the password
             * @return this builder
             */
            public Builder credentials(String username, String password) {
                this.username = username;
                this.password = password;
                return this;
            }

            /**
             * The replication client's server id.
             * @param serverId unique among the source's replicas
             * @return this builder
             */
            public Builder serverId(long serverId) {
                this.serverId = serverId;
                return this;
            }

            /**
             * The database and its tables, read from the source before the start.
             * @param database the database
             * @param tables its tables
             * @return this builder
             */
            public Builder database(String database, List<ShardTable> tables) {
                this.database = database;
                this.tables = tables;
                return this;
            }

            /**
             * The position to replay from.
             * @param start the position
             * @return this builder
             */
            public Builder start(BinlogPosition start) {
                this.start = start;
                return this;
            }

            /**
             * The target server.
             * @param target opens connections to it
             * @return this builder
             */
            public Builder target(TargetConnections target) {
                this.target = target;
                return this;
            }

            /**
             * The target server.
             * @param dataSource its data source
             * @return this builder
             */
            public Builder target(DataSource dataSource) {
                return target(TargetConnections.of(dataSource));
            }

            /**
             * Statements on the database to skip instead of failing.
             * @param ignoredStatement accepts the statements to skip
             * @return this builder
             */
            public Builder ignoredStatement(Predicate<String> ignoredStatement) {
                this.ignoredStatement = ignoredStatement;
                return this;
            }

            /**
             * How long to wait for the source.
             * @param connectTimeout the timeout
             * @return this builder
             */
            public Builder connectTimeout(Duration connectTimeout) {
                this.connectTimeout = connectTimeout;
                return this;
            }

            /**
             * How long the source may stay silent before the stream fails.
             * @param sourceTimeout the timeout
             * @return this builder
             */
            public Builder sourceTimeout(Duration sourceTimeout) {
                this.sourceTimeout = sourceTimeout;
                return this;
            }

            /**
             * How many events to buffer ahead of the applier.
             * @param bufferedEvents the count
             * @return this builder
             */
            public Builder bufferedEvents(int bufferedEvents) {
                this.bufferedEvents = bufferedEvents;
                return this;
            }

            /**
             * The settings.
             * @return the settings
             */
            public Settings build() {
                return new Settings(this.host, this.port, this.username, this.password, this.serverId, this.database, this.tables,
                        this.start, this.target, this.ignoredStatement, this.connectTimeout, this.sourceTimeout,
                        this.bufferedEvents);
            }

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
