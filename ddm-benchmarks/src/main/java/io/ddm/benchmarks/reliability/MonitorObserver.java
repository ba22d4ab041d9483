package io.ddm.benchmarks.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * Polls DDM's view of every server every {@value #POLL_MILLIS} ms: fills in the {@link Timeline}s of the faults
 * under way (recorded, recovered, first write after the undo), and counts in the open {@link Window} each change
 * recorded for a server no fault of the phase touched (a primary recorded down, a replica taken out of rotation),
 * which would be a false alarm. Bounded: stops when closed, and in any case at a deadline given at start.
 */
final class MonitorObserver implements AutoCloseable {

    static final long POLL_MILLIS = 10;

    /** Server name to "DDM records a fault now". */
    private final Map<String, BooleanSupplier> servers = new LinkedHashMap<>();

    private final Map<String, String> changeNames = new HashMap<>();

    private final Map<String, Boolean> lastServerStates = new HashMap<>();

    private final Map<Timeline, Boolean> lastTimelineStates = new HashMap<>();

    private final Windows windows;

    private final ShardProgress progress;

    private final Thread thread;

    private volatile List<Timeline> active = List.of();

    private volatile boolean running = true;

    MonitorObserver(DdmView view, DatabaseTopology topology, Windows windows, ShardProgress progress, Duration bound) {
        this.windows = windows;
        this.progress = progress;
        for (int i = 0; i < topology.primaries().size(); i++) {
            String node = topology.primary(i).name();
            this.servers.put(node, () -> !view.primaryAvailable(node));
            this.changeNames.put(node, "primary " + node + " recorded down");
            for (DatabaseServer replica : topology.replicasOf(i)) {
                this.servers.put(replica.name(), () -> !view.replicaInRotation(replica.name()));
                this.changeNames.put(replica.name(), "replica " + replica.name() + " out of rotation");
            }
        }
        long deadline = System.nanoTime() + bound.toNanos();
        this.thread = new Thread(() -> run(deadline), "reliability-monitor-observer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Follows these timelines from now on, instead of the previous ones.
     * @param timelines the faults of the current phase, none between phases
     */
    void follow(List<Timeline> timelines) {
        this.active = List.copyOf(timelines);
    }

    private void run(long deadline) {
        while (this.running && System.nanoTime() < deadline) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void poll() {
        long now = System.nanoTime();
        List<Timeline> timelines = this.active;
        Set<String> targeted = timelines.stream().map(Timeline::watch).collect(Collectors.toSet());
        this.servers.forEach((server, faulty) -> {
            boolean state = faulty.getAsBoolean();
            boolean previous = this.lastServerStates.getOrDefault(server, false);
            Window window = this.windows.current();
            if (state && !previous && !targeted.contains(server) && window != null) {
                window.unexpectedMonitorChange(this.changeNames.get(server));
            }
            this.lastServerStates.put(server, state);
        });
        for (Timeline timeline : timelines) {
            boolean state = timeline.recordedFaulty();
            boolean previous = this.lastTimelineStates.getOrDefault(timeline, false);
            if (state && timeline.injected != 0 && timeline.detected == 0) {
                timeline.detected = now;
            }
            else if (state && !previous && timeline.detected != 0) {
                timeline.flaps++;
            }
            if (!state && timeline.detected != 0 && timeline.undoIssued != 0 && timeline.recovered == 0) {
                timeline.recovered = now;
            }
            if (timeline.undoIssued != 0 && timeline.firstWrite == 0 && timeline.shards().length > 0) {
                long latest = 0;
                for (int shard : timeline.shards()) {
                    long first = this.progress.firstSuccess(shard);
                    latest = (first == 0 || latest < 0) ? -1 : Math.max(latest, first);
                }
                if (latest > 0) {
                    timeline.firstWrite = latest;
                }
            }
            this.lastTimelineStates.put(timeline, state);
        }
    }

    @Override
    public void close() throws InterruptedException {
        this.running = false;
        this.thread.join(TimeUnit.SECONDS.toMillis(10));
    }

}
