package io.ddm.move;

/**
 * The phases of a shard move, in order, and its end states.
 */
public enum MoveState {

    /** Checking the source, the target and the tables before anything changes. */
    CHECKING,

    /** Copying a consistent snapshot of every table of the shard to the target. */
    COPYING,

    /** Applying the changes the source's binary log recorded since the snapshot. */
    CATCHING_UP,

    /** Comparing checksums of every chunk of every table on source and target at one consistent point. */
    VERIFYING,

    /** Pausing the shard's writes, retiring the source copy and routing to the target. */
    SWITCHING,

    /** The shard is served from the target; the source copy is retired. */
    DONE,

    /** The move stopped on an error; the shard is served from the source. */
    FAILED,

    /** The move was called off before it switched; the shard is served from the source. */
    ABORTED;

    /**
     * Whether the move has ended.
     * @return whether this is DONE, FAILED or ABORTED
     */
    public boolean isFinal() {
        return this == DONE || this == FAILED || this == ABORTED;
    }

}
