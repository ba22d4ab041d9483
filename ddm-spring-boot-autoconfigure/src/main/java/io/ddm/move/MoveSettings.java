package io.ddm.move;

import java.time.Duration;

/**
 * How moves run.
 *
 * @param chunkRows rows per chunk of the verification
 * @param switchLag the catch-up lag below which the switch starts
 * @param drainTimeout longest wait, at the switch, for the shard's connections in use to be returned and for other
 *     instances' transactions on its tables to end; when it passes, the switch is called off and tried again
 * @param switchAttempts how often the switch is tried before the move fails
 * @param catchUpTimeout longest wait for the target to apply the source's binary log up to a position
 * @param replicaTimeout longest wait for the target's replicas to apply what the move wrote
 */
public record MoveSettings(int chunkRows, Duration switchLag, Duration drainTimeout, int switchAttempts, Duration catchUpTimeout,
        Duration replicaTimeout) {

    /** The defaults: 1,000-row chunks, 1 s lag, 2 s drain, 5 attempts, 60 s catch-up, 30 s replicas. */
    public static final MoveSettings DEFAULTS = new MoveSettings(1000, Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
            Duration.ofSeconds(60), Duration.ofSeconds(30));

}
