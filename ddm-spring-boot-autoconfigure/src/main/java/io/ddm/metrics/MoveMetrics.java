package io.ddm.metrics;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.ddm.move.MoveDescriptor;
import io.ddm.move.MoveState;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics of shard moves: {@code ddm.moves} (how many moves this instance knows in each state, tag
 * {@code state}: an alert on {@code FAILED} finds a move that needs an operator), and of the newest move
 * {@code ddm.move.rows.copied}, {@code ddm.move.rows.total} and {@code ddm.move.lag} (the target's catch-up lag, 0 unless
 * a move runs).
 */
public class MoveMetrics implements MeterBinder {

    private final ShardMoves moves;

    /**
     * Creates the metrics.
     * @param moves the moves
     */
    public MoveMetrics(ShardMoves moves) {
        this.moves = moves;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (MoveState state : MoveState.values()) {
            Gauge.builder("ddm.moves", this.moves,
                    (all) -> all.list().stream().filter((move) -> move.descriptor().state() == state).count())
                .description("Shard moves this instance knows, by state")
                .tag("state", state.name())
                .strongReference(true)
                .register(registry);
        }
        newest(registry, "ddm.move.rows.copied", "Rows the newest shard move has copied from its snapshot", MoveDescriptor::rowsCopied);
        newest(registry, "ddm.move.rows.total", "Rows in the snapshot of the newest shard move", MoveDescriptor::rowsTotal);
        TimeGauge.builder("ddm.move.lag", this.moves, TimeUnit.MILLISECONDS,
                (all) -> newest(all).filter((move) -> !move.state().isFinal()).map(MoveDescriptor::catchUpLagMillis).orElse(0L))
            .description("How far the target of the running shard move is behind the source's binary log")
            .strongReference(true)
            .register(registry);
    }

    private void newest(MeterRegistry registry, String name, String description, ToDoubleFunction<MoveDescriptor> value) {
        Gauge.builder(name, this.moves, (all) -> newest(all).map(value::applyAsDouble).orElse(0.0))
            .description(description)
            .strongReference(true)
            .register(registry);
    }

    private static Optional<MoveDescriptor> newest(ShardMoves moves) {
        List<ShardMove> all = moves.list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).descriptor());
    }

}
