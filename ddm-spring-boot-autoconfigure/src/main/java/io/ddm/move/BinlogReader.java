package io.ddm.move;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading half of a {@link ChangeStream}: a replication client on the source's binary log that gives every event
 * of log content the position it starts at and the one after it, and puts it in the stream's bounded buffer for the
 * {@link ChangeApplier}. Artificial events (heartbeats, the format description and rotate a dump starts with) are
 * not log content and are dropped here.
 */
final class BinlogReader {

    /** The stream's logger: what the stream logs keeps one name, whichever half logs it. */
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

    /** An event header flag: the event is not in the binary log, the server made it up for the dump. */
    private static final int LOG_EVENT_ARTIFICIAL_F = 0x20;

    private final ChangeStream stream;

    private final ChangeStream.Settings settings;

    private final String source;

    private final BinaryLogClient client;

    private final BlockingQueue<Received> buffer;

    private final CountDownLatch connected = new CountDownLatch(1);

    private volatile Exception communicationFailure;

    private volatile BinlogPosition received;

    // Reader thread only.
    private String readerFile;

    /** Where the next event starts in {@link #readerFile}: events inside a transaction may not say (see onEvent). */
    private long readerPosition;

    BinlogReader(ChangeStream stream, BlockingQueue<Received> buffer) {
        ChangeStream.Settings settings = stream.settings();
        this.stream = stream;
        this.settings = settings;
        this.source = stream.source();
        this.buffer = buffer;
        this.readerFile = settings.start().file();
        this.readerPosition = settings.start().position();
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
        this.client.setThreadFactory((runnable) -> ChangeStream.daemon(runnable, "ddm-move-binlog-client-" + settings.database()));
        this.client.registerEventListener(this::onEvent);
        this.client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {

            @Override
            public void onConnect(BinaryLogClient binaryLogClient) {
                BinlogReader.this.connected.countDown();
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient binaryLogClient, Exception ex) {
                BinlogReader.this.communicationFailure = ex;
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient binaryLogClient, Exception ex) {
                BinlogReader.this.stream.fail(new ChangeStreamException("Cannot read an event of the binary log of source "
                        + BinlogReader.this.source + " after " + BinlogReader.this.received + ": " + ex.getMessage(), ex));
            }

        });
    }

    /**
     * Waits until the source has started sending its binary log, or the stream has failed.
     * @param timeoutMillis how long to wait at most
     * @return whether the wait ended before the timeout
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        return this.connected.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The position after the last event received from the source.
     * @return the position, the start position until an event arrives
     */
    BinlogPosition receivedPosition() {
        BinlogPosition position = this.received;
        return (position != null) ? position : this.settings.start();
    }

    /**
     * Reads the binary log until the client disconnects: the body of the stream's reader thread. A connection that ends
     * while the stream is not closed fails the stream.
     */
    void read() {
        try {
            this.client.connect();
        }
        catch (IOException | RuntimeException ex) {
            this.stream.fail(new ChangeStreamException("Cannot read the binary log of source " + this.source + " from "
                    + this.settings.start() + ": " + ex.getMessage(), ex));
            return;
        }
        if (!this.stream.isClosed()) {
            Exception cause = this.communicationFailure;
            this.stream.fail(new ChangeStreamException("Lost the binary log connection to source " + this.source
                    + " after receiving up to " + receivedPosition() + ((cause != null) ? ": " + cause.getMessage() : ""), cause));
        }
    }

    private void onEvent(Event event) {
        if (this.stream.isStopped()) {
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
            while (!this.buffer.offer(item, ChangeStream.POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (this.stream.isStopped()) {
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

    /**
     * The stream failed: whoever waits for the connection stops waiting, and the client disconnects.
     */
    void stop() {
        this.connected.countDown();
        disconnect();
    }

    /**
     * Disconnects from the source, which ends {@link #read()}.
     */
    void disconnect() {
        try {
            this.client.disconnect();
        }
        catch (IOException | RuntimeException ex) {
            LOG.debug("Disconnecting from source {} failed", this.source, ex);
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

    /** An event as the reader received it, with where it starts and what position follows it. */
    record Received(Event event, BinlogPosition at, BinlogPosition after, long timestamp) {

    }

}
