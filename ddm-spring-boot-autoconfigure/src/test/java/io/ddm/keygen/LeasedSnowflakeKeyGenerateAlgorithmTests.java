package io.ddm.keygen;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.function.LongSupplier;

import io.ddm.routing.RoutingDryRun;
import org.apache.shardingsphere.infra.algorithm.core.exception.AlgorithmExecuteException;
import org.apache.shardingsphere.infra.algorithm.core.exception.AlgorithmInitializationException;
import org.apache.shardingsphere.infra.algorithm.keygen.core.KeyGenerateAlgorithm;
import org.apache.shardingsphere.infra.algorithm.keygen.snowflake.SnowflakeKeyGenerateAlgorithm;
import org.apache.shardingsphere.infra.algorithm.keygen.snowflake.TimeService;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keys of {@link LeasedSnowflakeKeyGenerateAlgorithm}: ShardingSphere's layout and sequence exactly, the worker id
 * of the source at each call, nothing consumed by a dry run, and no key without a usable worker id.
 */
class LeasedSnowflakeKeyGenerateAlgorithmTests {

    private final List<WorkerIdSources.Registration> registrations = new ArrayList<>();

    @AfterEach
    void unregister() {
        this.registrations.forEach(WorkerIdSources.Registration::close);
    }

    @Test
    void isFoundThroughShardingSpheresServiceLoader() {
        WorkerIdSources.Registration registration = register(WorkerIdSource.fixed(3), System::currentTimeMillis);
        KeyGenerateAlgorithm algorithm = TypedSPILoader.getService(KeyGenerateAlgorithm.class, "DDM_SNOWFLAKE",
                LeasedSnowflakeKeyGenerateAlgorithm.properties(registration.key(), "t_order_key"));
        assertThat(algorithm).isInstanceOf(LeasedSnowflakeKeyGenerateAlgorithm.class);
        assertThat(workerIdOf(first(algorithm.generateKeys(null, 1)))).isEqualTo(3);
    }

    @Test
    void keyHoldsTheTimeSinceShardingSpheresEpochTheWorkerIdAndTheSequence() {
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(WorkerIdSource.fixed(1000), System::currentTimeMillis, "t");
        long before = System.currentTimeMillis();
        long key = first(algorithm.generateKeys(null, 1));
        long after = System.currentTimeMillis();
        assertThat(SnowflakeSequence.EPOCH)
            .isEqualTo(LocalDateTime.of(2016, 11, 1, 0, 0).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        assertThat((key >>> 22) + SnowflakeSequence.EPOCH).isBetween(before, after);
        assertThat(workerIdOf(key)).isEqualTo(1000);
        assertThat(key & 4095).as("the first millisecond's sequence starts at 0").isZero();
        assertThat(key).isPositive();
    }

    @Test
    void keysAreShardingSpheresForTheSameClockReadings() {
        // Same millisecond several times, new milliseconds (the start offset alternates 0, 1), a whole exhausted
        // millisecond (4096 keys) that moves on to the next one.
        List<Long> readings = new ArrayList<>(List.of(5_000L, 5_000L, 5_000L, 5_001L, 5_003L, 5_003L, 5_010L));
        for (int i = 0; i < 4100; i++) {
            readings.add(6_000L);
        }
        readings.add(6_001L);
        readings.add(6_002L);
        long base = SnowflakeSequence.EPOCH + 1_000_000L;
        List<Long> expected = new ArrayList<>();
        ScriptedClock shardingSphereClock = new ScriptedClock(base, readings);
        SnowflakeKeyGenerateAlgorithm.setTimeService(new TimeService() {

            @Override
            public long getCurrentMillis() {
                return shardingSphereClock.getAsLong();
            }

        });
        try {
            SnowflakeKeyGenerateAlgorithm shardingSphere = new SnowflakeKeyGenerateAlgorithm();
            shardingSphere.init(new Properties());
            for (int i = 0; i < 4105; i++) {
                expected.add(first(shardingSphere.generateKeys(null, 1)));
            }
        }
        finally {
            SnowflakeKeyGenerateAlgorithm.setTimeService(new TimeService());
        }
        // ShardingSphere without a compute node context uses worker id 0.
        LeasedSnowflakeKeyGenerateAlgorithm ddm = algorithm(WorkerIdSource.fixed(0), new ScriptedClock(base, readings), "t");
        List<Long> actual = new ArrayList<>();
        for (int i = 0; i < 4105; i++) {
            actual.add(first(ddm.generateKeys(null, 1)));
        }
        assertThat(actual).isEqualTo(expected);
        LeasedSnowflakeKeyGenerateAlgorithm worker = algorithm(WorkerIdSource.fixed(1000), new ScriptedClock(base, readings), "u");
        for (int i = 0; i < 4105; i++) {
            assertThat(first(worker.generateKeys(null, 1))).isEqualTo(expected.get(i) | (1000L << 12));
        }
    }

    @Test
    void severalRowsGetAscendingDistinctKeys() {
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(WorkerIdSource.fixed(7), () -> SnowflakeSequence.EPOCH + 42, "t");
        List<Long> keys = new ArrayList<>(algorithm.generateKeys(null, 5));
        assertThat(keys).hasSize(5).doesNotHaveDuplicates().isSorted();
        assertThat(keys).extracting((key) -> key & 4095).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aDryRunReturnsTheNextKeysAndConsumesNothing() {
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(WorkerIdSource.fixed(9), () -> SnowflakeSequence.EPOCH + 42, "t");
        long issued = first(algorithm.generateKeys(null, 1));
        List<Long> previewed = RoutingDryRun.run(() -> new ArrayList<>(algorithm.generateKeys(null, 3)));
        List<Long> previewedAgain = RoutingDryRun.run(() -> new ArrayList<>(algorithm.generateKeys(null, 3)));
        assertThat(previewedAgain).isEqualTo(previewed);
        assertThat(previewed).doesNotContain(issued);
        assertThat(algorithm.generateKeys(null, 3)).as("the keys issued after the dry runs are the previewed ones")
            .containsExactlyElementsOf(previewed);
    }

    @Test
    void generatorsCreatedAgainForTheSameTableContinueItsSequence() {
        WorkerIdSources.Registration registration = register(WorkerIdSource.fixed(5), () -> SnowflakeSequence.EPOCH + 42);
        Properties props = LeasedSnowflakeKeyGenerateAlgorithm.properties(registration.key(), "t_order_key");
        LeasedSnowflakeKeyGenerateAlgorithm first = new LeasedSnowflakeKeyGenerateAlgorithm();
        first.init(props);
        LeasedSnowflakeKeyGenerateAlgorithm again = new LeasedSnowflakeKeyGenerateAlgorithm();
        again.init(props);
        assertThat(List.of(first(first.generateKeys(null, 1)), first(again.generateKeys(null, 1)))).doesNotHaveDuplicates();
    }

    @Test
    void theWorkerIdIsTheSourcesAtEachCall() {
        MutableSource source = new MutableSource(11);
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(source, System::currentTimeMillis, "t");
        assertThat(workerIdOf(first(algorithm.generateKeys(null, 1)))).isEqualTo(11);
        source.workerId = 12;
        assertThat(workerIdOf(first(algorithm.generateKeys(null, 1)))).isEqualTo(12);
    }

    @Test
    void withoutAUsableWorkerIdNoKeyIsGeneratedAndNothingIsConsumed() {
        MutableSource source = new MutableSource(11);
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(source, () -> SnowflakeSequence.EPOCH + 42, "t");
        long issued = first(algorithm.generateKeys(null, 1));
        source.workerId = -1;
        assertThatExceptionOfType(WorkerIdUnavailableException.class).isThrownBy(() -> algorithm.generateKeys(null, 1))
            .withMessage("no lease");
        assertThatExceptionOfType(WorkerIdUnavailableException.class)
            .isThrownBy(() -> RoutingDryRun.run(() -> algorithm.generateKeys(null, 1)));
        source.workerId = 11;
        assertThat(first(algorithm.generateKeys(null, 1))).isEqualTo(issued + 1);
    }

    @Test
    void keysAreNotConsumedWhenTheGrantExpiresWhileTheyAreComputed() {
        MutableSource source = new MutableSource(11);
        source.validity = 0;
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(source, () -> SnowflakeSequence.EPOCH + 42, "t");
        assertThatExceptionOfType(WorkerIdUnavailableException.class).isThrownBy(() -> algorithm.generateKeys(null, 1))
            .withMessage("expired");
        source.validity = 60_000_000_000L;
        assertThat(first(algorithm.generateKeys(null, 1)) & 4095).as("still the first key of the millisecond").isZero();
    }

    @Test
    void aClockBackByLessThanTheToleranceIsWaitedFor() {
        long now = SnowflakeSequence.EPOCH + 1_000;
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(WorkerIdSource.fixed(1),
                new ScriptedClock(0, List.of(now, now - 5, now - 2, now)), "t");
        long first = first(algorithm.generateKeys(null, 1));
        long second = first(algorithm.generateKeys(null, 1));
        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void aClockBackByMoreThanTheToleranceFails() {
        long now = SnowflakeSequence.EPOCH + 1_000;
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = algorithm(WorkerIdSource.fixed(1),
                new ScriptedClock(0, List.of(now, now - 20, now - 20)), "t");
        algorithm.generateKeys(null, 1);
        assertThatExceptionOfType(AlgorithmExecuteException.class).isThrownBy(() -> algorithm.generateKeys(null, 1))
            .withMessageContaining("Clock is moving backwards");
    }

    @Test
    void anUnregisteredSourceFailsInitialisation() {
        LeasedSnowflakeKeyGenerateAlgorithm algorithm = new LeasedSnowflakeKeyGenerateAlgorithm();
        assertThatExceptionOfType(AlgorithmInitializationException.class)
            .isThrownBy(() -> algorithm.init(LeasedSnowflakeKeyGenerateAlgorithm.properties("gone", "t")))
            .withMessageContaining("no worker id source is registered");
        WorkerIdSources.Registration registration = WorkerIdSources.register(WorkerIdSource.fixed(1));
        registration.close();
        assertThatExceptionOfType(AlgorithmInitializationException.class)
            .isThrownBy(() -> algorithm.init(LeasedSnowflakeKeyGenerateAlgorithm.properties(registration.key(), "t")));
    }

    static int workerIdOf(long key) {
        return (int) ((key >>> 12) & 1023);
    }

    private static long first(Collection<? extends Comparable<?>> keys) {
        assertThat(keys).hasSize(1);
        return (Long) keys.iterator().next();
    }

    private LeasedSnowflakeKeyGenerateAlgorithm algorithm(WorkerIdSource source, LongSupplier clock, String name) {
        WorkerIdSources.Registration registration = register(source, clock);
        LeasedSnowflakeKeyGenerateAlgorithm result = new LeasedSnowflakeKeyGenerateAlgorithm();
        result.init(LeasedSnowflakeKeyGenerateAlgorithm.properties(registration.key(), name));
        return result;
    }

    private WorkerIdSources.Registration register(WorkerIdSource source, LongSupplier clock) {
        WorkerIdSources.Registration result = WorkerIdSources.register(source, clock);
        this.registrations.add(result);
        return result;
    }

    /** Returns the given readings one by one (plus an offset), then the last one, one millisecond later each time. */
    private static final class ScriptedClock implements LongSupplier {

        private final Deque<Long> readings;

        private long last;

        ScriptedClock(long offset, List<Long> readings) {
            this.readings = new ArrayDeque<>(readings.stream().map((reading) -> reading + offset).toList());
        }

        @Override
        public synchronized long getAsLong() {
            this.last = this.readings.isEmpty() ? this.last + 1 : this.readings.poll();
            return this.last;
        }

    }

    /** A source whose id and grants the test sets; -1 means none. */
    private static final class MutableSource implements WorkerIdSource {

        private volatile int workerId;

        private volatile long validity = 60_000_000_000L;

        MutableSource(int workerId) {
            this.workerId = workerId;
        }

        @Override
        public Grant awaitGrant() {
            return currentGrant();
        }

        @Override
        public Grant currentGrant() {
            if (this.workerId < 0) {
                throw new WorkerIdUnavailableException("no lease");
            }
            return new Grant(this.workerId, System.nanoTime() + this.validity);
        }

        @Override
        public int currentWorkerId() {
            return this.workerId;
        }

        @Override
        public WorkerIdUnavailableException unavailable() {
            return new WorkerIdUnavailableException("expired");
        }

    }

}
