package io.ddm.benchmarks.reliability;

import java.util.function.BooleanSupplier;

/**
 * What happened to one fault of a phase, as {@link System#nanoTime()} moments: injected, recorded by DDM's monitor,
 * undone (restart or resume issued, then the server up), recorded recovered, and the application's first write on
 * the node's shards afterwards. 0 for a moment that did not come. Written by the schedule and the observer.
 */
final class Timeline {

    private final FaultPhase phase;

    private final String fault;

    private final String watch;

    private final BooleanSupplier recordedFaulty;

    private final int[] shards;

    volatile long injected;

    volatile long detected;

    volatile long undoIssued;

    volatile long up;

    volatile long recovered;

    volatile long firstWrite;

    /** Recorded faulty again after the recovery, or recorded well again while the fault still held. */
    volatile int flaps;

    volatile String error;

    /**
     * A timeline.
     * @param phase the phase
     * @param fault what is done, e.g. {@code primary ds0 killed}
     * @param watch the name of the observer's watch that shows it ({@code ds0}, {@code ds0-r0}, {@code pool})
     * @param recordedFaulty whether DDM (or the pool) shows the fault now
     * @param shards the shards whose first write after the undo counts, none for replicas
     */
    Timeline(FaultPhase phase, String fault, String watch, BooleanSupplier recordedFaulty, int... shards) {
        this.phase = phase;
        this.fault = fault;
        this.watch = watch;
        this.recordedFaulty = recordedFaulty;
        this.shards = shards;
    }

    FaultPhase phase() {
        return this.phase;
    }

    String fault() {
        return this.fault;
    }

    String watch() {
        return this.watch;
    }

    int[] shards() {
        return this.shards;
    }

    boolean recordedFaulty() {
        return this.recordedFaulty.getAsBoolean();
    }

    boolean detectedInTime() {
        return this.detected != 0;
    }

    /** Whether the recovery is complete: recorded by the monitor and, for a primary, written on again. */
    boolean recoveredInTime() {
        return this.recovered != 0 && (this.shards.length == 0 || this.firstWrite != 0);
    }

    /** Milliseconds between two moments, -1 when one did not come. */
    static double millis(long from, long to) {
        return (from == 0 || to == 0) ? -1 : (to - from) / 1e6;
    }

}
