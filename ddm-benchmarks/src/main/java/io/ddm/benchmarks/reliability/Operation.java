package io.ddm.benchmarks.reliability;

/** What one step of the workload does, each on a fresh logical connection. */
enum Operation {

    /** A point select by sharding key and id of an acknowledged row, outside a transaction: served by a replica. */
    READ("reads"),

    /** A point insert of a new row, auto-commit: on the shard's primary. */
    INSERT("inserts"),

    /** {@code v = v + 1} of an acknowledged row by sharding key and id, auto-commit. */
    UPDATE("updates"),

    /** 2 or 3 inserts of one user and the update of that user's latest row, then commit: one shard's primary. */
    TRANSACTION("transactions");

    private final String plural;

    Operation(String plural) {
        this.plural = plural;
    }

    String plural() {
        return this.plural;
    }

}
