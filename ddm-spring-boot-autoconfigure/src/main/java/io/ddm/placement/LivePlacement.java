package io.ddm.placement;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the shards of a logical database are served from now, next to where the configuration puts them. Starts from
 * the newest placement recorded on the servers (a shard moved since the configuration was written stays where it
 * was moved) and changes when a move switches a shard. One immutable version, replaced whole.
 */
public final class LivePlacement {

    private static final Logger logger = LoggerFactory.getLogger(LivePlacement.class);

    private final ShardPlacement configured;

    /** The current version and the one before it (null before the first change this instance saw). */
    private final AtomicReference<Versions> versions;

    private final java.util.concurrent.atomic.AtomicBoolean switching = new java.util.concurrent.atomic.AtomicBoolean();

    private final List<Consumer<RecordedPlacement>> listeners = new CopyOnWriteArrayList<>();

    private LivePlacement(ShardPlacement configured, RecordedPlacement current) {
        this.configured = configured;
        this.versions = new AtomicReference<>(new Versions(current, null));
    }

    /**
     * The placement of a topology as configured, for data sources that record nothing (H2, tests of wiring).
     * @param configured the configured placement
     * @return the placement
     */
    public static LivePlacement configured(ShardPlacement configured) {
        return new LivePlacement(configured, new RecordedPlacement(0, configured, null));
    }

    /**
     * Reads the newest placement the servers record for a topology, and logs where the configuration is stale.
     * @param topology the configured topology
     * @param timeout longest wait for each server
     * @return the placement
     */
    public static LivePlacement resolve(Topology topology, Duration timeout) {
        Optional<RecordedPlacement> recorded = PlacementStore.readNewest(topology, timeout);
        if (recorded.isEmpty()) {
            return configured(topology.placement());
        }
        RecordedPlacement newest = recorded.get();
        for (int shard = 0; shard < topology.shards(); shard++) {
            String node = newest.placement().nodeOf(shard);
            if (topology.nodes().stream().noneMatch((each) -> each.name().equals(node))) {
                throw new IllegalStateException("The servers of '" + topology.schema() + "' record shard " + shard + " on node '" + node
                        + "' (placement version " + newest.epoch() + ", move " + newest.moveId() + "), but ddm.nodes declares no such"
                        + " node. Declare node '" + node + "' again: the shard's data is there.");
            }
        }
        if (!newest.placement().equals(topology.placement())) {
            logger.warn("ddm.placement of '{}' is stale: shards are served where the servers record them, {} (version {}, from move {}),"
                    + " not where the configuration puts them, {}. Update ddm.placement to the recorded placement.", topology.schema(),
                    newest.placement(), newest.epoch(), newest.moveId(), topology.placement());
        }
        return new LivePlacement(topology.placement(), newest);
    }

    /**
     * Where the shards are served from now.
     * @return the placement
     */
    public ShardPlacement current() {
        return this.versions.get().current().placement();
    }

    /**
     * The current version with its epoch and the move that made it.
     * @return the version, epoch 0 while the configured placement holds
     */
    public RecordedPlacement version() {
        return this.versions.get().current();
    }

    /**
     * The version this instance routed by before the current one.
     * @return the previous version, empty while this instance has routed by one version only
     */
    public Optional<RecordedPlacement> previousVersion() {
        return Optional.ofNullable(this.versions.get().previous());
    }

    /**
     * Where the configuration places the shards.
     * @return the configured placement
     */
    public ShardPlacement configured() {
        return this.configured;
    }

    /**
     * Marks that this instance is switching a shard itself (so that it does not also follow its own new version as if
     * another instance had made it), or that it is done.
     * @param value whether a switch is under way
     */
    public void setSwitching(boolean value) {
        this.switching.set(value);
    }

    /**
     * Whether this instance is switching a shard.
     * @return whether a switch is under way
     */
    public boolean isSwitching() {
        return this.switching.get();
    }

    /**
     * Calls a listener with every version published from now on, on the thread that publishes it (a move's switch, or
     * the thread that follows another instance's move), after it was published.
     * @param listener called with the new version; its failures are logged, not thrown to the publisher
     */
    public void onChange(Consumer<RecordedPlacement> listener) {
        this.listeners.add(listener);
    }

    /**
     * Publishes a newer version.
     * @param version the version
     * @throws IllegalStateException when it is not newer than the current one
     */
    public void publish(RecordedPlacement version) {
        this.versions.updateAndGet((old) -> {
            if (version.epoch() <= old.current().epoch()) {
                throw new IllegalStateException("Placement version " + version.epoch() + " is not newer than " + old.current().epoch());
            }
            return new Versions(version, old.current());
        });
        for (Consumer<RecordedPlacement> listener : this.listeners) {
            try {
                listener.accept(version);
            }
            catch (RuntimeException ex) {
                logger.warn("Applying placement version {} failed in {}", version.epoch(), listener, ex);
            }
        }
    }

    private record Versions(RecordedPlacement current, RecordedPlacement previous) {

    }

}
