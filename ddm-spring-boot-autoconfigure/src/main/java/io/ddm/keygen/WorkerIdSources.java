package io.ddm.keygen;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker id sources of the running DDM data sources, by a key unique to each. ShardingSphere creates key
 * generators from a type and string properties only, so DDM's rule configuration passes this key and
 * {@link LeasedSnowflakeKeyGenerateAlgorithm} looks its source up when initialised.
 *
 * <p>A registration also keeps each generator's sequence state, so that a generator ShardingSphere creates again
 * for the same table (when it rebuilds its rules) continues the sequence rather than restarting it within the
 * same millisecond.
 */
public final class WorkerIdSources {

    private static final Logger logger = LoggerFactory.getLogger(WorkerIdSources.class);

    private static final ConcurrentMap<String, Registration> REGISTERED = new ConcurrentHashMap<>();

    private WorkerIdSources() {
    }

    /**
     * Registers a source under a new unique key.
     * @param source the source; closed with the registration when it is {@link AutoCloseable}
     * @return the registration, to close when the data source closes
     */
    public static Registration register(WorkerIdSource source) {
        return register(source, System::currentTimeMillis);
    }

    static Registration register(WorkerIdSource source, LongSupplier clock) {
        Registration result = new Registration(UUID.randomUUID().toString(), source, clock);
        REGISTERED.put(result.key, result);
        return result;
    }

    static Optional<Registration> lookup(String key) {
        return Optional.ofNullable(REGISTERED.get(key));
    }

    /**
     * One data source's worker id source and its generators' sequences.
     */
    public static final class Registration implements AutoCloseable {

        private final String key;

        private final WorkerIdSource source;

        private final LongSupplier clock;

        private final ConcurrentMap<String, SnowflakeSequence> sequences = new ConcurrentHashMap<>();

        private Registration(String key, WorkerIdSource source, LongSupplier clock) {
            this.key = key;
            this.source = source;
            this.clock = clock;
        }

        /**
         * The key that names this registration in the key generators' properties.
         * @return the key
         */
        public String key() {
            return this.key;
        }

        WorkerIdSource source() {
            return this.source;
        }

        /**
         * The sequence state of one generator, shared by every instance ShardingSphere creates for it.
         * @param name the generator's name, or {@code null} for a state of its own
         */
        SnowflakeSequence sequence(String name) {
            if (name == null) {
                return new SnowflakeSequence(this.clock);
            }
            return this.sequences.computeIfAbsent(name, (ignored) -> new SnowflakeSequence(this.clock));
        }

        /**
         * Unregisters the source and closes it: a lease is released and its keep-alive stops.
         */
        @Override
        public void close() {
            REGISTERED.remove(this.key, this);
            if (this.source instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                }
                catch (Exception ex) {
                    logger.debug("Closing the worker id source {} failed", this.source, ex);
                }
            }
        }

    }

}
