package io.ddm.keygen;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.shardingsphere.infra.algorithm.core.ShardingSphereAlgorithm;
import org.apache.shardingsphere.infra.algorithm.core.exception.AlgorithmExecuteException;
import org.apache.shardingsphere.infra.algorithm.keygen.snowflake.SnowflakeKeyGenerateAlgorithm;

/**
 * The state of one snowflake key generator (last millisecond and sequence), computing keys exactly as
 * ShardingSphere's {@link SnowflakeKeyGenerateAlgorithm} does with its defaults, so that DDM's keys continue the
 * ones it issued: 41 bits of milliseconds since ShardingSphere's epoch (2016-11-01 local time), 10 bits of worker
 * id, 12 bits of sequence within the millisecond, starting each new millisecond at 0 or 1 alternately (the
 * default "vibration"); a clock that moved back by less than 10 ms is waited for, further back fails.
 *
 * <p>Unlike ShardingSphere's, it can compute keys without consuming them (dry runs), and commits keys only while
 * the worker id's grant still covers the moment they were computed.
 */
final class SnowflakeSequence {

    /** ShardingSphere's snowflake epoch, so that DDM's keys and ShardingSphere's are one sequence. */
    static final long EPOCH = SnowflakeKeyGenerateAlgorithm.EPOCH;

    static final int SEQUENCE_BITS = 12;

    static final int WORKER_ID_BITS = 10;

    static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    static final int TIMESTAMP_SHIFT = SEQUENCE_BITS + WORKER_ID_BITS;

    /** ShardingSphere's default {@code max-vibration-offset}. */
    static final int MAX_VIBRATION_OFFSET = 1;

    /** ShardingSphere's default {@code max-tolerate-time-difference-milliseconds}. */
    static final long MAX_TOLERATED_BACKWARDS_MILLIS = 10;

    private final LongSupplier clock;

    private int sequenceOffset = -1;

    private long sequence;

    private long lastMillis;

    SnowflakeSequence(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Issues keys: they are consumed only if the grant still holds once they are computed.
     * @param source the worker id's source, to explain an expired grant
     * @param grant the worker id and its validity
     * @param count number of keys
     * @param owner the algorithm, for its exceptions
     * @return the keys
     * @throws WorkerIdUnavailableException when the grant expired meanwhile
     */
    synchronized long[] next(WorkerIdSource source, WorkerIdSource.Grant grant, int count, ShardingSphereAlgorithm owner) {
        Draft draft = draft(grant.workerId(), count, owner);
        // Read after the last key's millisecond: a grant valid now was valid when that key was timed.
        if (!grant.isValidAt(System.nanoTime())) {
            throw source.unavailable();
        }
        this.lastMillis = draft.lastMillis;
        this.sequence = draft.sequence;
        this.sequenceOffset = draft.sequenceOffset;
        return draft.keys;
    }

    /**
     * The keys {@link #next} would issue now, consuming nothing.
     * @param workerId the worker id
     * @param count number of keys
     * @param owner the algorithm, for its exceptions
     * @return the keys
     */
    synchronized long[] preview(int workerId, int count, ShardingSphereAlgorithm owner) {
        return draft(workerId, count, owner).keys;
    }

    private Draft draft(int workerId, int count, ShardingSphereAlgorithm owner) {
        Draft result = new Draft(new long[count], this.lastMillis, this.sequence, this.sequenceOffset);
        for (int i = 0; i < count; i++) {
            long now = this.clock.getAsLong();
            if (now < result.lastMillis) {
                now = awaitClock(result.lastMillis, now, owner);
            }
            if (now == result.lastMillis) {
                result.sequence = (result.sequence + 1) & SEQUENCE_MASK;
                if (result.sequence == 0) {
                    now = nextMillisecond(result.lastMillis);
                }
            }
            else {
                result.sequenceOffset = (result.sequenceOffset == MAX_VIBRATION_OFFSET) ? 0 : result.sequenceOffset + 1;
                result.sequence = result.sequenceOffset;
            }
            result.lastMillis = now;
            result.keys[i] = ((now - EPOCH) << TIMESTAMP_SHIFT) | ((long) workerId << SEQUENCE_BITS) | result.sequence;
        }
        return result;
    }

    /** Waits until the clock is back at the last millisecond issued, or fails when it moved back too far. */
    private long awaitClock(long lastMillis, long now, ShardingSphereAlgorithm owner) {
        long current = now;
        while (current < lastMillis) {
            if (lastMillis - current >= MAX_TOLERATED_BACKWARDS_MILLIS) {
                throw new AlgorithmExecuteException(owner, "Clock is moving backwards, last time is %d milliseconds, current time is %d"
                        + " milliseconds", lastMillis, current);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(lastMillis - current);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AlgorithmExecuteException(owner, "Interrupted while waiting for the clock to reach %d milliseconds",
                        lastMillis);
            }
            current = this.clock.getAsLong();
        }
        return current;
    }

    private long nextMillisecond(long lastMillis) {
        long result = this.clock.getAsLong();
        while (result <= lastMillis) {
            Thread.onSpinWait();
            result = this.clock.getAsLong();
        }
        return result;
    }

    /** Keys computed from a copy of the state, committed by {@link #next} only. */
    private static final class Draft {

        private final long[] keys;

        private long lastMillis;

        private long sequence;

        private int sequenceOffset;

        private Draft(long[] keys, long lastMillis, long sequence, int sequenceOffset) {
            this.keys = keys;
            this.lastMillis = lastMillis;
            this.sequence = sequence;
            this.sequenceOffset = sequenceOffset;
        }

    }

}
