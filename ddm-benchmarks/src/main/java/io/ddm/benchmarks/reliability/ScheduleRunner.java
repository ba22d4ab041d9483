package io.ddm.benchmarks.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * Runs the phases in order while the workload runs: opens their windows, injects and undoes their faults, and waits
 * (bounded) for DDM to record each fault and its recovery. Every wait is bounded; a fault that is not recorded in
 * time leaves its timeline without that moment, which the report shows.
 */
final class ScheduleRunner {

    /** How much longer than its time unit a fault is held at most, waiting for DDM to record it. */
    static final Duration DETECTION_GRACE = Duration.ofSeconds(60);

    /** How much longer than its time unit a recovery is awaited at most. */
    static final Duration RECOVERY_GRACE = Duration.ofSeconds(90);

    /** Time that {@link #WARM_UP} runs before the first phase, at most. */
    static final Duration WARM_UP_TIME = Duration.ofSeconds(5);

    /** How long a fault waits at most for every thread to start an operation in the fault's window. */
    static final Duration SETTLE_TIME = Duration.ofSeconds(2);

    /** Label of the window before the first phase (class loading, JIT, pools filling). */
    static final String WARM_UP = "warm-up";

    /** The shard whose primary pool the saturation exhausts. */
    static final int SATURATED_SHARD = 0;

    /** How long each saturating statement holds its connection. */
    static final Duration SATURATION_SLEEP = Duration.ofSeconds(2);

    private final DatabaseTopology topology;

    private final DdmView view;

    private final DataSource dataSource;

    private final Windows windows;

    private final ShardProgress progress;

    private final MonitorObserver observer;

    private final MixedWorkload workload;

    private final long[] anchor;

    private long saturationHeld;

    private long saturationFailed;

    private int saturationThreads;

    /**
     * A runner.
     * @param topology the servers
     * @param view DDM's view of them
     * @param dataSource DDM's data source, for the saturation
     * @param windows the run's windows
     * @param progress the workload's first writes per shard
     * @param observer the observer of DDM's monitors
     * @param workload the workload
     * @param anchor user id and id of the row the saturation reads, in {@link #SATURATED_SHARD}
     */
    ScheduleRunner(DatabaseTopology topology, DdmView view, DataSource dataSource, Windows windows, ShardProgress progress,
            MonitorObserver observer, MixedWorkload workload, long[] anchor) {
        this.topology = topology;
        this.view = view;
        this.dataSource = dataSource;
        this.windows = windows;
        this.progress = progress;
        this.observer = observer;
        this.workload = workload;
        this.anchor = anchor.clone();
    }

    /**
     * Runs the phases.
     * @param phases the phases, in order
     * @param unit the time unit of a phase ({@link FaultPhase#units()})
     * @return the timelines of every fault, in order
     * @throws InterruptedException when interrupted
     */
    List<Timeline> run(List<FaultPhase> phases, Duration unit) throws InterruptedException {
        List<Timeline> result = new ArrayList<>();
        this.windows.open(phases.get(0).id(), WARM_UP);
        sleep(min(WARM_UP_TIME, unit));
        for (FaultPhase phase : phases) {
            ReliabilitySuite.log("phase %s: %s", phase.id(), phase.description());
            if (!phase.disturbs()) {
                this.windows.open(phase.id(), "quiet");
                sleep(unit);
            }
            else if (phase == FaultPhase.SATURATE_POOL) {
                result.add(saturate(phase, unit));
            }
            else {
                result.addAll(fail(phase, unit));
            }
        }
        this.windows.close();
        return result;
    }

    private List<Timeline> fail(FaultPhase phase, Duration unit) throws InterruptedException {
        List<Timeline> timelines = new ArrayList<>();
        List<DatabaseServer> servers = new ArrayList<>();
        for (FaultPhase.Fault fault : phase.faults()) {
            DatabaseServer server = server(fault.server());
            servers.add(server);
            BooleanSupplier faulty = fault.primary() ? () -> !this.view.primaryAvailable(fault.server())
                    : () -> !this.view.replicaInRotation(fault.server());
            int node = nodeIndexOf(fault.server());
            int[] shards = fault.primary() ? IntStream.range(0, ReliabilityData.SHARDS)
                    .filter((shard) -> ReliabilityData.nodeOf(shard) == node).toArray() : new int[0];
            timelines.add(new Timeline(phase, fault.toString(), fault.server(), faulty, shards));
        }
        boolean kill = phase.faults().get(0).kind() == FaultPhase.Fault.Kind.KILL;
        settle(this.windows.open(phase.id(), (kill ? "killed" : "frozen") + ", not yet recorded"));
        this.observer.follow(timelines);
        long injected = System.nanoTime();
        for (int i = 0; i < timelines.size(); i++) {
            Timeline timeline = timelines.get(i);
            timeline.injected = System.nanoTime();
            if (phase.faults().get(i).kind() == FaultPhase.Fault.Kind.KILL) {
                servers.get(i).kill();
            }
            else {
                servers.get(i).freeze();
            }
        }
        if (awaitUntil(injected, unit.plus(DETECTION_GRACE), () -> timelines.stream().allMatch(Timeline::detectedInTime))) {
            this.windows.open(phase.id(), (kill ? "killed" : "frozen") + ", recorded");
        }
        awaitUntil(injected, unit, () -> false);
        long undone = System.nanoTime();
        this.windows.open(phase.id(), (kill ? "restarted" : "resumed") + ", not yet recovered");
        // Undone at once, each server in its own thread: a restart takes seconds.
        List<Thread> undos = new ArrayList<>();
        for (int i = 0; i < timelines.size(); i++) {
            Timeline timeline = timelines.get(i);
            DatabaseServer server = servers.get(i);
            boolean killed = phase.faults().get(i).kind() == FaultPhase.Fault.Kind.KILL;
            timeline.undoIssued = System.nanoTime();
            for (int shard : timeline.shards()) {
                this.progress.arm(shard, timeline.undoIssued);
            }
            Thread undo = new Thread(() -> {
                try {
                    if (killed) {
                        server.start();
                    }
                    else {
                        server.unfreeze();
                    }
                    timeline.up = System.nanoTime();
                }
                catch (RuntimeException ex) {
                    timeline.error = ex.getMessage();
                }
            }, "reliability-undo-" + server.name());
            undo.setDaemon(true);
            undo.start();
            undos.add(undo);
        }
        for (Thread undo : undos) {
            // The harness bounds a start (the server must accept connections in time); this only bounds the wait.
            undo.join(RECOVERY_GRACE.toMillis());
        }
        if (awaitUntil(undone, unit.plus(RECOVERY_GRACE), () -> timelines.stream().allMatch(Timeline::recoveredInTime))) {
            this.windows.open(phase.id(), "recovered");
        }
        awaitUntil(undone, unit, () -> false);
        this.observer.follow(List.of());
        return timelines;
    }

    private Timeline saturate(FaultPhase phase, Duration unit) throws InterruptedException {
        String primary = this.topology.primary(ReliabilityData.nodeOf(SATURATED_SHARD)).name();
        int poolSize = this.view.poolSize(primary, SATURATED_SHARD);
        Timeline timeline = new Timeline(phase, "pool of shard " + SATURATED_SHARD + " on " + primary + " (" + poolSize
                + " connections) exhausted", "pool", () -> this.view.threadsAwaiting(primary, SATURATED_SHARD) > 0);
        this.saturationThreads = 2 * poolSize;
        settle(this.windows.open(phase.id(), "saturated"));
        this.observer.follow(List.of(timeline));
        timeline.injected = System.nanoTime();
        PoolSaturation saturation = new PoolSaturation(this.dataSource, this.anchor[0], this.anchor[1], this.saturationThreads,
                SATURATION_SLEEP, unit.plus(DETECTION_GRACE).plus(Duration.ofMinutes(1)));
        try {
            awaitUntil(timeline.injected, unit.plus(DETECTION_GRACE), timeline::detectedInTime);
            awaitUntil(timeline.injected, unit, () -> false);
            this.windows.open(phase.id(), "after");
            timeline.undoIssued = System.nanoTime();
        }
        finally {
            saturation.close();
        }
        timeline.up = System.nanoTime();
        this.saturationHeld = saturation.held();
        this.saturationFailed = saturation.failed();
        awaitUntil(timeline.undoIssued, unit.plus(RECOVERY_GRACE), timeline::recoveredInTime);
        awaitUntil(timeline.undoIssued, unit, () -> false);
        this.observer.follow(List.of());
        return timeline;
    }

    /** Saturating statements that held their connection for their whole sleep. */
    long saturationHeld() {
        return this.saturationHeld;
    }

    /** Saturating statements that failed. */
    long saturationFailed() {
        return this.saturationFailed;
    }

    /** Threads of the saturation, 0 when it did not run. */
    int saturationThreads() {
        return this.saturationThreads;
    }

    /**
     * Waits (boundedly) until no operation of an earlier window runs, so that what a fault does counts in its window:
     * the previous window's failures are its own.
     */
    private void settle(Window window) throws InterruptedException {
        awaitUntil(System.nanoTime(), SETTLE_TIME, () -> this.workload.allIn(window));
    }

    /**
     * Waits until a condition holds or a time has passed since a moment.
     * @param since the moment ({@link System#nanoTime()})
     * @param most the longest wait from it
     * @param done the condition, polled every few milliseconds
     * @return whether the condition held
     */
    private static boolean awaitUntil(long since, Duration most, BooleanSupplier done) throws InterruptedException {
        long deadline = since + most.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(MonitorObserver.POLL_MILLIS);
        }
        return true;
    }

    private DatabaseServer server(String name) {
        return this.topology.servers().stream().filter((server) -> server.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No server " + name + " in " + this.topology));
    }

    private int nodeIndexOf(String server) {
        for (int i = 0; i < this.topology.primaries().size(); i++) {
            if (server.equals(this.topology.primary(i).name())
                    || this.topology.replicasOf(i).stream().anyMatch((replica) -> replica.name().equals(server))) {
                return i;
            }
        }
        throw new IllegalStateException("No server " + server + " in " + this.topology);
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

}
