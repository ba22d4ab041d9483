package io.ddm.placement;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, every interval, the newest placement the servers record, and hands a version newer than the one this instance
 * routes by to a consumer that applies it: how an instance learns that another instance moved a shard. It only
 * decides; applying (redirecting the pools) is the consumer's. While this instance switches a shard itself, it looks
 * later ({@link LivePlacement#isSwitching()}).
 */
public final class PlacementWatcher implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(PlacementWatcher.class);

    private final Topology topology;

    private final LivePlacement placement;

    private final Duration timeout;

    private final Consumer<RecordedPlacement> apply;

    private final ScheduledExecutorService executor;

    /**
     * Starts watching.
     * @param topology the topology
     * @param placement where this instance routes now
     * @param interval time between two reads
     * @param timeout longest wait for each server
     * @param apply applies a newer version
     */
    public PlacementWatcher(Topology topology, LivePlacement placement, Duration interval, Duration timeout,
            Consumer<RecordedPlacement> apply) {
        this.topology = topology;
        this.placement = placement;
        this.timeout = timeout;
        this.apply = apply;
        this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "ddm-placement-" + topology.schema());
            thread.setDaemon(true);
            return thread;
        });
        this.executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the servers once and applies a newer version. Also called by statements that failed on a shard's retired
     * copy, so that they need not wait for the next scheduled read; one read at a time.
     */
    public synchronized void check() {
        try {
            if (this.placement.isSwitching()) {
                return;
            }
            Optional<RecordedPlacement> newest = PlacementStore.readNewest(this.topology, this.timeout);
            if (newest.isPresent() && newest.get().epoch() > this.placement.version().epoch() && !this.placement.isSwitching()) {
                logger.info("Shard placement of '{}' changed by move {} of another instance: now {} (version {})", this.topology.schema(),
                        newest.get().moveId(), newest.get().placement(), newest.get().epoch());
                this.apply.accept(newest.get());
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot apply the shard placement recorded for '{}': {}", this.topology.schema(), ex.toString(), ex);
        }
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

}
