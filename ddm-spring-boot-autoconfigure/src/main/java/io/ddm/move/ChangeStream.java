package io.ddm.move;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.ddm.move.BinlogReader.Received;
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
 *
 * <p>The reading is {@link BinlogReader}'s, the applying {@link ChangeApplier}'s; the stream runs each in a thread of
 * its own and holds what both see: whether it is closed or failed, the pause position and the applied position.
 */
public final class ChangeStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

    /** How long the stream's threads wait at most before they look again whether the stream stopped. */
    static final long POLL_MILLIS = 200;

    private final Settings settings;

    private final String source;

    private final BlockingQueue<Received> buffer;

    private final Object lock = new Object();

    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private final BinlogReader reader;

    private final ChangeApplier applier;

    private final Thread readerThread;

    private final Thread applierThread;

    private volatile boolean closed;

    private volatile BinlogPosition applied;

    /** Where to hold; guarded by {@link #lock}. */
    private BinlogPosition pausePosition;

    private ChangeStream(Settings settings) {
        this.settings = settings;
        this.source = settings.host() + ":" + settings.port();
        this.applied = settings.start();
        this.buffer = new ArrayBlockingQueue<>(settings.bufferedEvents());
        this.reader = new BinlogReader(this, this.buffer);
        this.applier = new ChangeApplier(this, this.buffer);
        this.readerThread = daemon(this.reader::read, "ddm-move-binlog-reader-" + settings.database());
        this.applierThread = daemon(this.applier::apply, "ddm-move-binlog-applier-" + settings.database());
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
        this.applier.open();
        this.applierThread.start();
        this.readerThread.start();
        boolean connectedInTime;
        try {
            connectedInTime = this.reader.awaitConnected(this.settings.connectTimeout().toMillis() + POLL_MILLIS);
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
                this.settings.start(), this.applier.targetName());
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
        return this.reader.receivedPosition();
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
        if (this.applied.compareTo(this.reader.receivedPosition()) >= 0) {
            return Duration.ZERO;
        }
        long since = this.applier.groupStartMillis();
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
        return this.applier.eventsApplied();
    }

    /**
     * The rows those events changed on the target.
     * @return the count
     */
    public long rowsApplied() {
        return this.applier.rowsApplied();
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
        this.reader.disconnect();
        join(this.readerThread);
        join(this.applierThread);
        if (!this.applierThread.isAlive()) {
            this.applier.closeTarget();
        }
        LOG.info("Change stream of {} from source {} closed at {}", this.settings.database(), this.source, this.applied);
    }

    Settings settings() {
        return this.settings;
    }

    /** The source as the stream's messages name it: {@code host:port}. */
    String source() {
        return this.source;
    }

    boolean isClosed() {
        return this.closed;
    }

    /** Whether the stream was closed or has failed: the reader and the applier stop. */
    boolean isStopped() {
        return this.closed || this.failure.get() != null;
    }

    /** Whether the pause position says not to apply the event at a position. */
    boolean isPausedAt(BinlogPosition at) {
        synchronized (this.lock) {
            return this.pausePosition != null && at.compareTo(this.pausePosition) >= 0;
        }
    }

    /** Blocks while the pause position says so; false when the stream stopped meanwhile. */
    boolean hold(BinlogPosition at) throws InterruptedException {
        synchronized (this.lock) {
            while (!this.closed && this.failure.get() == null && this.pausePosition != null && at.compareTo(this.pausePosition) >= 0) {
                this.lock.wait(POLL_MILLIS);
            }
            return !this.closed && this.failure.get() == null;
        }
    }

    /** Moves the applied position forward to a position the target has committed, waking whoever awaits it. */
    void advance(BinlogPosition position) {
        synchronized (this.lock) {
            if (position.compareTo(this.applied) > 0) {
                this.applied = position;
                this.lock.notifyAll();
            }
        }
    }

    /** Fails the stream with its first failure (later ones are dropped) and stops it. */
    void fail(Throwable cause) {
        if (!this.failure.compareAndSet(null, cause)) {
            return;
        }
        LOG.error("Change stream of {} from source {} failed at {}: {}", this.settings.database(), this.source, this.applied,
                cause.getMessage(), cause);
        synchronized (this.lock) {
            this.lock.notifyAll();
        }
        this.reader.stop();
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

    static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
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

}
