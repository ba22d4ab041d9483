package io.ddm.algorithm.segment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;

import com.google.common.collect.Range;
import io.ddm.algorithm.ShardingKeyException;
import io.ddm.topology.Segments;
import org.apache.shardingsphere.sharding.api.sharding.standard.PreciseShardingValue;
import org.apache.shardingsphere.sharding.api.sharding.standard.RangeShardingValue;
import org.apache.shardingsphere.sharding.spi.ShardingAlgorithm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SegmentShardingAlgorithm}: three segments of 5,000,000 keys each from 1, the tables of shard 1
 * ({@code t_order_1_0 .. t_order_1_2}) as ShardingSphere offers them after database routing.
 */
class SegmentShardingAlgorithmTests {

    private static final List<String> SHARD_1 = List.of("t_order_1_0", "t_order_1_1", "t_order_1_2");

    private static final String PATH = "ddm.tables.t_order.table-sharding.segments";

    private final SegmentShardingAlgorithm algorithm = algorithm(new Segments("order_id", 1, List.of(5_000_000L, 10_000_000L,
            15_000_000L)));

    private static SegmentShardingAlgorithm algorithm(Segments segments) {
        SegmentShardingAlgorithm result = new SegmentShardingAlgorithm();
        result.init(SegmentShardingAlgorithm.properties("t_order", segments, PATH));
        return result;
    }

    private String precise(Comparable<?> value) {
        return this.algorithm.doSharding(SHARD_1, new PreciseShardingValue<>("t_order", "order_id", null, value));
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private Collection<String> range(Range<?> range) {
        return this.algorithm.doSharding(SHARD_1, new RangeShardingValue<>("t_order", "order_id", null, (Range) range));
    }

    @Test
    void isRegisteredAsShardingSphereAlgorithm() {
        assertThat(ServiceLoader.load(ShardingAlgorithm.class).stream().map(ServiceLoader.Provider::type))
            .contains(SegmentShardingAlgorithm.class);
        assertThat(new SegmentShardingAlgorithm().getType()).isEqualTo("DDM_SEGMENT");
    }

    @Test
    void aKeyGoesToTheSegmentWhoseBoundsIncludeIt() {
        assertThat(precise(1L)).isEqualTo("t_order_1_0");
        assertThat(precise(5_000_000L)).isEqualTo("t_order_1_0");
        assertThat(precise(5_000_001L)).isEqualTo("t_order_1_1");
        assertThat(precise(10_000_000)).isEqualTo("t_order_1_1");
        assertThat(precise(BigInteger.valueOf(10_000_001))).isEqualTo("t_order_1_2");
        assertThat(precise(new BigDecimal("15000000"))).isEqualTo("t_order_1_2");
    }

    @Test
    void aKeyBeyondTheLastSegmentNamesTheSegmentToAdd() {
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(15_000_001L))
            .withMessage("t_order.order_id: key 15000001 is beyond the last segment (10000001..15000000); add a segment covering"
                    + " 15000001..20000000 to " + PATH + " (append 20000000) and restart, which creates its tables on every shard.");
    }

    @Test
    void aKeyFarBeyondTheLastSegmentNamesAllSegmentsToAdd() {
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(27_000_000L))
            .withMessageContaining("add segments covering 15000001..30000000 to " + PATH + " (e.g. append 20000000, ..., 30000000)");
    }

    @Test
    void aKeyBelowTheFirstSegmentIsRejected() {
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(0L))
            .withMessageStartingWith("t_order.order_id: key 0 is below the first segment (1..5000000)");
    }

    @Test
    void keysThatAreNotIntegersAreRejected() {
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise("abc"))
            .withMessage("t_order.order_id: the string 'abc' is not a segment key: range segments take integer keys; give an integer");
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> precise(new BigDecimal("1.5")))
            .withMessageContaining("1.5 is not a segment key");
    }

    @Test
    void aStringOfAnIntegerIsThatInteger() {
        assertThat(precise("15")).isEqualTo(precise(15L));
    }

    @Test
    void rangesPruneToTheSegmentsTheyOverlap() {
        assertThat(range(Range.closed(100L, 200L))).containsExactly("t_order_1_0");
        assertThat(range(Range.closed(4_999_999L, 5_000_001L))).containsExactly("t_order_1_0", "t_order_1_1");
        assertThat(range(Range.greaterThan(5_000_000L))).containsExactly("t_order_1_1", "t_order_1_2");
        assertThat(range(Range.atLeast(5_000_000L))).containsExactly("t_order_1_0", "t_order_1_1", "t_order_1_2");
        assertThat(range(Range.lessThan(5_000_001L))).containsExactly("t_order_1_0");
        assertThat(range(Range.atMost(5_000_001L))).containsExactly("t_order_1_0", "t_order_1_1");
        assertThat(range(Range.all())).containsExactlyElementsOf(SHARD_1);
    }

    @Test
    void rangesOutsideEverySegmentReadTheNearestWhichHoldsNoMatchingRow() {
        assertThat(range(Range.greaterThan(15_000_000L))).containsExactly("t_order_1_2");
        assertThat(range(Range.closed(20_000_000L, 30_000_000L))).containsExactly("t_order_1_2");
        assertThat(range(Range.lessThan(1L))).containsExactly("t_order_1_0");
        assertThat(range(Range.closed(new BigDecimal("5000000.5"), new BigDecimal("5000000.7")))).containsExactly("t_order_1_0");
    }

    @Test
    void theFirstSegmentMayStartAnywhere() {
        SegmentShardingAlgorithm fromZero = algorithm(new Segments("order_id", -100, List.of(0L, 100L)));
        assertThat(fromZero.doSharding(List.of("t_order_0_0", "t_order_0_1"),
                new PreciseShardingValue<>("t_order", "order_id", null, -100L))).isEqualTo("t_order_0_0");
        assertThat(fromZero.doSharding(List.of("t_order_0_0", "t_order_0_1"),
                new PreciseShardingValue<>("t_order", "order_id", null, 1L))).isEqualTo("t_order_0_1");
    }

    @Test
    void tablesOfShardsWithSeveralDigitsAndSegmentsAreTold() {
        SegmentShardingAlgorithm many = algorithm(new Segments("order_id", 1, List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L,
                100L, 110L, 120L)));
        assertThat(many.doSharding(List.of("t_order_12_1", "t_order_12_11"),
                new PreciseShardingValue<>("t_order", "order_id", null, 111L))).isEqualTo("t_order_12_11");
    }

}
