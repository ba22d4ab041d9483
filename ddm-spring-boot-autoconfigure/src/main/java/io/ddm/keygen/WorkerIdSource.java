package io.ddm.keygen;

/**
 * Where DDM's snowflake key generator ({@link LeasedSnowflakeKeyGenerateAlgorithm}) gets its 10-bit worker id,
 * each time it issues keys: a fixed configured id ({@link #fixed(int)}), or a {@link WorkerIdLease} that can be
 * lost and re-acquired, possibly as another id, while the application runs.
 */
public interface WorkerIdSource {

    /**
     * The worker id to issue keys with now. Waits while the current lease is too new to be used.
     * @return the id and until when it may be used
     * @throws WorkerIdUnavailableException when no worker id may be used now
     */
    Grant awaitGrant();

    /**
     * The worker id keys would be issued with now, without waiting: for dry runs, which issue nothing.
     * @return the id and until when it may be used
     * @throws WorkerIdUnavailableException when no worker id may be used now
     */
    Grant currentGrant();

    /**
     * The worker id held now, for display.
     * @return the id, or {@code -1} while none is held
     */
    int currentWorkerId();

    /**
     * Explains why no worker id may be used now, for a grant that expired while keys were being generated.
     * @return the exception to throw
     */
    WorkerIdUnavailableException unavailable();

    /**
     * A source that always has the same id: {@code ddm.key-generator.worker-id}, or a derived one.
     * @param workerId the id (0-1023)
     * @return the source
     */
    static WorkerIdSource fixed(int workerId) {
        if (workerId < 0 || workerId >= WorkerIdLease.WORKER_IDS) {
            throw new IllegalArgumentException("A snowflake worker id is 0-1023, not " + workerId);
        }
        return new WorkerIdSource() {

            @Override
            public Grant awaitGrant() {
                return currentGrant();
            }

            @Override
            public Grant currentGrant() {
                return new Grant(workerId, System.nanoTime() + Grant.FOREVER_NANOS);
            }

            @Override
            public int currentWorkerId() {
                return workerId;
            }

            @Override
            public WorkerIdUnavailableException unavailable() {
                throw new IllegalStateException("A fixed worker id is always available");
            }

            @Override
            public String toString() {
                return "fixed worker id " + workerId;
            }

        };
    }

    /**
     * Permission to issue keys with a worker id until a moment of {@link System#nanoTime()}.
     *
     * @param workerId the worker id (0-1023)
     * @param validUntilNanos {@link System#nanoTime()} from which on the id may no longer be used
     */
    record Grant(int workerId, long validUntilNanos) {

        /** Validity of a grant of a fixed id: about 70 years, yet without overflow in {@link #isValidAt(long)}. */
        static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

        /**
         * Whether the id may still be used.
         * @param nanoTime a {@link System#nanoTime()}
         * @return {@code true} before the grant expires
         */
        public boolean isValidAt(long nanoTime) {
            return nanoTime - this.validUntilNanos < 0;
        }

    }

}
