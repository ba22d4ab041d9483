package io.ddm.datasource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statements count as DDL, by their text.
 */
class StatementTextTests {

    @Test
    void ddlIsToldByItsFirstKeyword() {
        assertThat(StatementText.isDdl("CREATE TABLE t_order_0 (id BIGINT)")).isTrue();
        assertThat(StatementText.isDdl("  alter table t_order_1 add column c int")).isTrue();
        assertThat(StatementText.isDdl("DROP INDEX i ON t")).isTrue();
        assertThat(StatementText.isDdl("TRUNCATE TABLE t_order_2")).isTrue();
        assertThat(StatementText.isDdl("RENAME TABLE a TO b")).isTrue();
        assertThat(StatementText.isDdl("/* migration 7 */ CREATE VIEW v AS SELECT 1")).isTrue();
        assertThat(StatementText.isDdl("-- migration 7\nCREATE INDEX i ON t (c)")).isTrue();
        assertThat(StatementText.isDdl("/*!50001 CREATE ALGORITHM=UNDEFINED */ VIEW v AS SELECT 1")).isTrue();
        assertThat(StatementText.isDdl("create")).isTrue();
        assertThat(StatementText.isDdl("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(StatementText.isDdl("DELETE FROM t")).isFalse();
        assertThat(StatementText.isDdl("REPLACE INTO t VALUES (1)")).isFalse();
        assertThat(StatementText.isDdl("SELECT * FROM t")).isFalse();
        assertThat(StatementText.isDdl("/* CREATE */ SELECT 1")).isFalse();
        assertThat(StatementText.isDdl("CREATED")).isFalse();
        assertThat(StatementText.isDdl("drop_table()")).isFalse();
        assertThat(StatementText.isDdl("")).isFalse();
        assertThat(StatementText.isDdl("/* unterminated")).isFalse();
    }

}
