package io.ddm.routing.rotation;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current {@link ReadRotation} of one DDM data source, replaced whole and read without locks. ShardingSphere
 * creates DDM's load balancers from properties only, so each holder is registered under an id that the balancers'
 * properties carry ({@link ReplicaLoadBalanceAlgorithm#ROTATION}) from before ShardingSphere starts until the data
 * source closes.
 */
public final class ReadRotationHolder implements AutoCloseable {

    private static final Map<String, ReadRotationHolder> REGISTERED = new ConcurrentHashMap<>();

    private final String id;

    private volatile ReadRotation current = ReadRotation.FULL;

    private ReadRotationHolder(String id) {
        this.id = id;
    }

    /**
     * Registers a holder with every replica in rotation.
     * @param schema the logical schema, part of the id for readability
     * @return the holder, to close with its data source
     */
    public static ReadRotationHolder register(String schema) {
        ReadRotationHolder holder = new ReadRotationHolder(schema + "-" + UUID.randomUUID());
        REGISTERED.put(holder.id, holder);
        return holder;
    }

    static ReadRotationHolder find(String id) {
        return REGISTERED.get(id);
    }

    /**
     * The id the load balancers find this holder by.
     * @return the id
     */
    public String id() {
        return this.id;
    }

    /**
     * The rotation reads are routed by now.
     * @return the current snapshot
     */
    public ReadRotation current() {
        return this.current;
    }

    /**
     * Replaces the rotation; reads routed from now on use it.
     * @param rotation the new snapshot
     */
    public void publish(ReadRotation rotation) {
        this.current = rotation;
    }

    @Override
    public void close() {
        REGISTERED.remove(this.id, this);
    }

    @Override
    public String toString() {
        return "ReadRotationHolder[" + this.id + ", " + this.current + "]";
    }

}
