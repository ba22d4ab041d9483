package io.ddm.move;

import java.time.Instant;

/**
 * What a shard move is doing or did: the JSON of {@code /actuator/ddm/moves} and what {@link ShardMove#descriptor()}
 * returns.
 *
 * @param id the move's id
 * @param shard the shard index
 * @param database the shard database
 * @param source the node the shard moves from
 * @param target the node the shard moves to
 * @param state the phase, or DONE, FAILED or ABORTED
 * @param error why the move failed (naming the node, server or table at fault and what to do), {@code null} unless failed
 * @param rowsCopied rows copied from the snapshot so far
 * @param rowsTotal rows in the snapshot, counted when the copy started (0 before)
 * @param catchUpLagMillis how far the target is behind the source's binary log, in milliseconds
 * @param chunksVerified chunks whose checksums matched on both sides
 * @param writesPausedMillis how long statements for the shard waited during the switch, {@code null} before it
 * @param startedAt when the move started
 * @param finishedAt when it ended, {@code null} while it runs
 */
public record MoveDescriptor(String id, int shard, String database, String source, String target, MoveState state, String error,
        long rowsCopied, long rowsTotal, long catchUpLagMillis, long chunksVerified, Long writesPausedMillis, Instant startedAt,
        Instant finishedAt) {

}
