package io.ddm.benchmarks.reliability;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The phases of the schedule, in their default order. A fault phase holds its fault for one time unit (longer, up to
 * {@link ScheduleRunner#DETECTION_GRACE}, until DDM has recorded it), then undoes it and runs one more unit (longer,
 * up to {@link ScheduleRunner#RECOVERY_GRACE}, until DDM has recorded the recovery and the application wrote on the
 * node's shards again). The quiet phases run one unit.
 */
enum FaultPhase {

    /** All servers up. */
    BASELINE("baseline", "no fault"),

    /** A primary crashes. */
    KILL_PRIMARY("kill-primary", "kill primary ds0 (SIGKILL), then restart it", new Fault("ds0", Fault.Kind.KILL)),

    /** A primary hangs: its port still accepts connections, nothing answers. */
    FREEZE_PRIMARY("freeze-primary", "freeze primary ds1 (SIGSTOP), then resume it (SIGCONT)", new Fault("ds1", Fault.Kind.FREEZE)),

    /** A replica crashes. */
    KILL_REPLICA("kill-replica", "kill replica ds0-r0, then restart it", new Fault("ds0-r0", Fault.Kind.KILL)),

    /** A replica hangs. */
    FREEZE_REPLICA("freeze-replica", "freeze replica ds1-r0, then resume it", new Fault("ds1-r0", Fault.Kind.FREEZE)),

    /** Two servers of different nodes crash together. */
    KILL_PRIMARY_AND_REPLICA("kill-primary-and-replica", "kill primary ds1 and replica ds0-r0 of the other node at once, then restart both",
            new Fault("ds1", Fault.Kind.KILL), new Fault("ds0-r0", Fault.Kind.KILL)),

    /** Every replica hangs: all reads must go to the primaries. */
    FREEZE_REPLICAS("freeze-replicas", "freeze both replicas at once, then resume both", new Fault("ds0-r0", Fault.Kind.FREEZE),
            new Fault("ds1-r0", Fault.Kind.FREEZE)),

    /** One shard's primary pool is exhausted by long statements of the same application. */
    SATURATE_POOL("saturate-pool", "hold every connection of the pool of shard 0 on primary ds0 with SELECT SLEEP(2), then stop"),

    /** All servers up again. */
    FINAL("final", "no fault, after all the others");

    private final String id;

    private final String description;

    private final List<Fault> faults;

    FaultPhase(String id, String description, Fault... faults) {
        this.id = id;
        this.description = description;
        this.faults = List.of(faults);
    }

    /** The name on the command line ({@code --phases=baseline,kill-primary,...}). */
    String id() {
        return this.id;
    }

    String description() {
        return this.description;
    }

    /** The servers it fails, none for the quiet phases and the saturation. */
    List<Fault> faults() {
        return this.faults;
    }

    /** Whether it has a fault (or a saturation) and then a recovery. */
    boolean disturbs() {
        return !this.faults.isEmpty() || this == SATURATE_POOL;
    }

    /** Time units of the phase: 1 to hold a fault (or to be quiet), 1 to recover. */
    int units() {
        return disturbs() ? 2 : 1;
    }

    static FaultPhase of(String id) {
        return Arrays.stream(values()).filter((phase) -> phase.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown phase '" + id + "', known: "
                        + Arrays.stream(values()).map(FaultPhase::id).toList()));
    }

    /**
     * One server to fail.
     * @param server its name in the topology ({@code ds0}, {@code ds0-r0}, ...)
     * @param kind how
     */
    record Fault(String server, Kind kind) {

        /** How a server fails. */
        enum Kind {

            /** SIGKILL, then start again on the same port and data. */
            KILL,

            /** SIGSTOP, then SIGCONT. */
            FREEZE

        }

        boolean primary() {
            return !this.server.contains("-r");
        }

        @Override
        public String toString() {
            return (primary() ? "primary " : "replica ") + this.server + ((this.kind == Kind.KILL) ? " killed" : " frozen");
        }

    }

}
