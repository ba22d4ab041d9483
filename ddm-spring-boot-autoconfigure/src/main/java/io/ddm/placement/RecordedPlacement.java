package io.ddm.placement;

import io.ddm.topology.ShardPlacement;

/**
 * A version of the placement as recorded on the servers by a shard move. Versions are numbered: a higher epoch is
 * newer. Epoch 0 is the configured placement, which is never recorded.
 *
 * @param epoch the version
 * @param placement where each shard lives in this version
 * @param moveId the move that made this version
 */
public record RecordedPlacement(long epoch, ShardPlacement placement, String moveId) {

}
