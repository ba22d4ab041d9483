package io.ddm.metrics;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TableFinder}: which configured table a statement is counted under.
 */
class TableFinderTests {

    private final TableFinder finder = new TableFinder(List.of("t_order", "t_order_item", "t_region"));

    @Test
    void findsTheFirstConfiguredTableInTextOrder() {
        assertThat(this.finder.find("SELECT * FROM t_order_item i JOIN t_order o ON o.order_id = i.order_id")).isEqualTo(1);
        assertThat(this.finder.find("SELECT * FROM t_order o JOIN t_order_item i ON o.order_id = i.order_id")).isEqualTo(0);
        assertThat(this.finder.find("INSERT INTO t_region (id) VALUES (1)")).isEqualTo(2);
    }

    @Test
    void answersAgainAsTheFirstTimeForRememberedTextsAndForThoseBeyondWhatIsRemembered() {
        String longText = "SELECT * FROM t_region WHERE note = '" + "x".repeat(TableFinder.REMEMBERED_TEXT_LENGTH) + "'";
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < TableFinder.REMEMBERED_TEXTS + 10; i++) {
                String table = List.of("t_order", "t_order_item", "t_region", "t_user").get(i % 4);
                int expected = (i % 4 == 3) ? TableFinder.NONE : i % 4;
                assertThat(this.finder.find("SELECT * FROM " + table + " WHERE id = " + i)).isEqualTo(expected);
            }
            assertThat(this.finder.find(longText)).isEqualTo(2);
            assertThat(this.finder.find(null)).isEqualTo(TableFinder.NONE);
        }
    }

    @Test
    void matchesWholeIdentifiersCaseInsensitively() {
        assertThat(this.finder.find("select * from T_ORDER where user_id = 1")).isEqualTo(0);
        assertThat(this.finder.find("SELECT * FROM `t_order` WHERE user_id = 1")).isEqualTo(0);
        assertThat(this.finder.find("SELECT * FROM shop.t_order")).isEqualTo(0);
        assertThat(this.finder.find("SELECT * FROM t_order_7")).as("a physical table").isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find("SELECT * FROM t_orders")).isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find("SELECT 1")).isEqualTo(TableFinder.NONE);
    }

    @Test
    void ignoresLiteralsAndComments() {
        assertThat(this.finder.find("SELECT * FROM t_user WHERE note = 't_order' AND x = \"t_order\"")).isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find("SELECT * FROM t_user WHERE note = 'it''s t_order \\' t_order'")).isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find("/* t_order */ SELECT 1 -- t_order\n FROM t_region # t_order")).isEqualTo(2);
        assertThat(this.finder.find("SELECT 5--1 FROM t_order")).as("arithmetic, not a comment").isEqualTo(0);
        assertThat(this.finder.find("SELECT 'unterminated t_order")).isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find("SELECT * FROM `t_or")).isEqualTo(TableFinder.NONE);
    }

    @Test
    void findsNothingWithoutConfiguredTables() {
        assertThat(new TableFinder(List.of()).find("SELECT * FROM t_order")).isEqualTo(TableFinder.NONE);
        assertThat(this.finder.find(null)).isEqualTo(TableFinder.NONE);
    }

}
