package io.ddm.move;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link ChangeStream} refuses before it connects anywhere.
 */
class ChangeStreamTests {

    private static final ShardTable.Column ID = new ShardTable.Column("id", "bigint", "bigint(20)", false, false, null);

    @Test
    void unsupportedColumnsNamesTableColumnAndType() {
        ShardTable places = new ShardTable("shop_3", "t_place", List.of(ID,
                new ShardTable.Column("spot", "point", "point", false, true, null),
                new ShardTable.Column("name", "varchar", "varchar(20)", false, true, "utf8mb4")), List.of("id"));
        assertThat(ChangeStream.unsupportedColumns(List.of(places))).containsExactly("shop_3.t_place.spot (point)");
    }

    @Test
    void supportedTypesAreNotListed() {
        List<ShardTable.Column> columns = BinlogValues.SUPPORTED_TYPES.stream()
            .map((type) -> new ShardTable.Column("c_" + type, type, type, false, true, null))
            .toList();
        assertThat(ChangeStream.unsupportedColumns(List.of(new ShardTable("shop_3", "t_all", columns, List.of())))).isEmpty();
    }

    @Test
    void tableWithoutPrimaryKeyOrUnsupportedColumnIsRefusedBeforeConnecting() {
        ShardTable heap = new ShardTable("shop_3", "t_heap", List.of(ID), List.of());
        ShardTable places = new ShardTable("shop_3", "t_place", List.of(ID,
                new ShardTable.Column("spot", "geometry", "geometry", false, true, null)), List.of("id"));
        ChangeStream.Settings settings = ChangeStream.Settings.builder()
            .source("127.0.0.1", 1)
            .credentials("user", "secret")
            .database("shop_3", List.of(heap, places))
            .start(new BinlogPosition("binlog.000001", 4))
            .target(() -> {
                throw new AssertionError("must not connect");
            })
            .build();
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ChangeStream.start(settings))
            .withMessageContaining("shop_3.t_heap has no primary key")
            .withMessageContaining("shop_3.t_place.spot (geometry)");
        assertThat(settings.toString()).doesNotContain("secret");
    }

    @Test
    void compressedTransactionIsReadWithoutDecompressingIt() throws IOException {
        // The starter leaves zstd-jni out: the stream refuses compressed transactions, so it never decompresses one.
        assertThatThrownBy(() -> Class.forName("com.github.luben.zstd.Zstd")).isInstanceOf(ClassNotFoundException.class);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        byte[] notZstd = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7};
        writeEvent(log, 40, 1000, notZstd);
        writeEvent(log, 16, 1000 + 19 + notZstd.length + 19 + 8, new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
        EventDeserializer deserializer = BinlogReader.eventDeserializer();
        ByteArrayInputStream in = new ByteArrayInputStream(log.toByteArray());

        Event payload = deserializer.nextEvent(in);
        assertThat(payload.getHeader().getEventType()).isEqualTo(EventType.TRANSACTION_PAYLOAD);
        assertThat(((TransactionPayloadEventData) payload.getData()).getUncompressedEvents()).isEmpty();
        // The payload was skipped exactly: the next event reads as it was written.
        Event commit = deserializer.nextEvent(in);
        assertThat(commit.getHeader().getEventType()).isEqualTo(EventType.XID);
        assertThat(((XidEventData) commit.getData()).getXid()).isEqualTo(42);
    }

    /** A binary log event, version 4 header (little-endian): timestamp, type, server id, length, next position, flags. */
    private static void writeEvent(ByteArrayOutputStream log, int type, long nextPosition, byte[] data) {
        writeInt(log, 1_700_000_000, 4);
        log.write(type);
        writeInt(log, 1, 4);
        writeInt(log, 19 + data.length, 4);
        writeInt(log, nextPosition, 4);
        writeInt(log, 0, 2);
        log.writeBytes(data);
    }

    private static void writeInt(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

}
