package io.ddm.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.alibaba.ttl.threadpool.TtlExecutors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogicalStatement}: which statement a physical statement reports to, on the calling thread and on
 * an executor wrapped the way ShardingSphere wraps its own ({@code TtlExecutors}).
 */
class LogicalStatementTests {

    private final Observer observer = new Observer();

    private final ExecutorService executor = TtlExecutors.getTtlExecutorService(Executors.newFixedThreadPool(1));

    @AfterEach
    void shutDown() {
        this.executor.shutdownNow();
    }

    @Test
    void physicalStatementsOnTheCallingThreadAndOnWorkersCountTheirShards() throws Exception {
        LogicalStatement statement = LogicalStatement.begin(this.observer);
        LogicalStatement.current().physicalStarted("ds_0");
        this.executor.submit(() -> LogicalStatement.current().physicalStarted("ds_1")).get(10, TimeUnit.SECONDS);
        this.executor.submit(() -> LogicalStatement.current().physicalStarted("ds_1")).get(10, TimeUnit.SECONDS);
        assertThat(statement.end()).isEqualTo(2);
        assertThat(LogicalStatement.current()).isNull();
    }

    @Test
    void eachShardCountsOnceHoweverOftenAndInWhateverOrderItIsTouched() {
        LogicalStatement statement = LogicalStatement.begin(this.observer);
        for (String dataSource : List.of("ds_5", "ds_0", "ds_5", "ds_70", "ds_0", "ds_5")) {
            LogicalStatement.current().physicalStarted(dataSource);
        }
        assertThat(statement.end()).isEqualTo(3);
        LogicalStatement one = LogicalStatement.begin(this.observer);
        LogicalStatement.current().physicalStarted("ds_3");
        LogicalStatement.current().physicalStarted("ds_3");
        assertThat(one.end()).isEqualTo(1);
    }

    @Test
    void aWorkerThatFinishesLateReportsToTheStatementThatSubmittedIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<LogicalStatement> seen = new AtomicReference<>();
        LogicalStatement first = LogicalStatement.begin(this.observer);
        Future<?> late = this.executor.submit(() -> {
            await(release);
            seen.set(LogicalStatement.current());
            LogicalStatement.current().physicalStarted("ds_1");
        });
        assertThat(first.end()).isZero();
        LogicalStatement second = LogicalStatement.begin(this.observer);
        release.countDown();
        late.get(10, TimeUnit.SECONDS);
        assertThat(seen.get()).isSameAs(first);
        assertThat(second.end()).as("the next statement's shards").isZero();
        assertThat(this.observer.started).as("the ended statement is told, and ignores it").containsExactly("ds_1");
    }

    @Test
    void aStatementBegunInsideAnotherGivesItBackWhenItEnds() {
        LogicalStatement outer = LogicalStatement.begin(this.observer);
        LogicalStatement inner = LogicalStatement.begin(this.observer);
        assertThat(LogicalStatement.current()).isSameAs(inner);
        LogicalStatement.current().physicalStarted("ds_0");
        assertThat(inner.end()).isEqualTo(1);
        assertThat(LogicalStatement.current()).isSameAs(outer);
        assertThat(outer.end()).isZero();
        assertThat(LogicalStatement.current()).isNull();
    }

    @Test
    void aThreadCreatedDuringAStatementDoesNotInheritIt() throws Exception {
        AtomicReference<LogicalStatement> seen = new AtomicReference<>(LogicalStatement.begin(this.observer));
        try {
            Thread thread = new Thread(() -> seen.set(LogicalStatement.current()));
            thread.start();
            thread.join(10_000);
            assertThat(seen.get()).isNull();
        }
        finally {
            LogicalStatement.current().end();
        }
    }

    @Test
    void aWorkerOutsideAnyStatementSeesNone() throws Exception {
        LogicalStatement.begin(this.observer).end();
        AtomicReference<Object> seen = new AtomicReference<>("unset");
        this.executor.submit(() -> seen.set(LogicalStatement.current())).get(10, TimeUnit.SECONDS);
        assertThat(seen.get()).isNull();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Shard {@code n} for data source {@code ds_n}. */
    private static final class Observer implements StatementObserver {

        private final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public int shardOf(String dataSourceName) {
            this.started.add(dataSourceName);
            return Integer.parseInt(dataSourceName.substring(dataSourceName.indexOf('_') + 1));
        }

        @Override
        public void physicalExecuted(String dataSourceName, boolean success, long nanos) {
        }

    }

}
