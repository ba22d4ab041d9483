package io.ddm.move;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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

}
