package io.ddm.move;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statements on the moving shard's database the change stream passes over.
 */
class NoOpStatementsTests {

    private final Predicate<String> noOp = NoOpStatements.of("shop_1", List.of("t_order_2", "_ddm_sequence"));

    @Test
    void anotherInstancesStartChangesNothing() {
        assertThat(this.noOp.test("CREATE DATABASE IF NOT EXISTS `shop_1`")).isTrue();
        assertThat(this.noOp.test("create schema if not exists shop_1")).isTrue();
        assertThat(this.noOp.test("CREATE TABLE IF NOT EXISTS `shop_1`.`_ddm_sequence` (name VARCHAR(64) PRIMARY KEY)")).isTrue();
        assertThat(this.noOp.test("CREATE TABLE IF NOT EXISTS t_order_2 (id BIGINT PRIMARY KEY)")).isTrue();
    }

    @Test
    void statementsThatChangeSomethingAreNotPassedOver() {
        assertThat(this.noOp.test("CREATE DATABASE IF NOT EXISTS `shop_10`")).isFalse();
        assertThat(this.noOp.test("CREATE DATABASE `shop_1`")).isFalse();
        assertThat(this.noOp.test("CREATE TABLE IF NOT EXISTS t_order_3 (id BIGINT PRIMARY KEY)")).isFalse();
        assertThat(this.noOp.test("CREATE TABLE t_order_2 (id BIGINT PRIMARY KEY)")).isFalse();
        assertThat(this.noOp.test("CREATE TABLE IF NOT EXISTS `shop_2`.`t_order_2` (id BIGINT PRIMARY KEY)")).isFalse();
        assertThat(this.noOp.test("DROP TABLE t_order_2")).isFalse();
        assertThat(this.noOp.test("CREATE DATABASE IF NOT EXISTS `shop_1`; DROP TABLE t_order_2")).isFalse();
    }

}
