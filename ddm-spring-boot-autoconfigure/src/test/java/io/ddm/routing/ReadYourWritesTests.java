package io.ddm.routing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-your-writes bookkeeping without servers: which statements count as writes, and whose reads a write pins.
 * Routing on real servers is in {@code ReadWriteSplittingIntegrationTests}.
 */
class ReadYourWritesTests {

    @Test
    void writesAreEveryStatementButReads() {
        assertThat(WriteTrackingHook.isWrite("INSERT INTO t_order VALUES (1)")).isTrue();
        assertThat(WriteTrackingHook.isWrite("update t_order set a = 1")).isTrue();
        assertThat(WriteTrackingHook.isWrite("DELETE FROM t_order")).isTrue();
        assertThat(WriteTrackingHook.isWrite("REPLACE INTO t VALUES (1)")).isTrue();
        assertThat(WriteTrackingHook.isWrite("  select * from t_order")).isFalse();
        assertThat(WriteTrackingHook.isWrite("(SELECT 1) UNION (SELECT 2)")).isFalse();
        assertThat(WriteTrackingHook.isWrite("SHOW TABLES")).isFalse();
        assertThat(WriteTrackingHook.isWrite("WITH x AS (SELECT 1) SELECT * FROM x")).isFalse();
        assertThat(WriteTrackingHook.isWrite("EXPLAIN SELECT 1")).isFalse();
    }

    @Test
    void aWritePinsOnlyTheWritingThreadAndOnlyForTheWindow() throws Exception {
        try (AutoCloseable registration = ReadYourWrites.register(List.of("shop_0__ds0", "shop_1__ds0"), Duration.ofMillis(300))) {
            assertThat(ReadYourWrites.isPinned("shop_0__ds0")).as("before any write").isFalse();
            ReadYourWrites.written("shop_1__ds0");
            assertThat(ReadYourWrites.isPinned("shop_0__ds0")).as("any primary of the same data source").isTrue();
            assertThat(ReadYourWrites.isPinned("other__ds9")).as("a data source without the window").isFalse();
            assertThat(CompletableFuture.supplyAsync(() -> ReadYourWrites.isPinned("shop_0__ds0")).get(10, TimeUnit.SECONDS))
                .as("another thread").isFalse();
            Thread.sleep(400);
            assertThat(ReadYourWrites.isPinned("shop_0__ds0")).as("after the window").isFalse();
        }
        ReadYourWrites.written("shop_0__ds0");
        assertThat(ReadYourWrites.isPinned("shop_0__ds0")).as("after the data source closed").isFalse();
    }

}
