package io.ddm.topology;

/**
 * How reads outside a transaction choose among a node's replicas.
 */
public enum LoadBalancer {

    /** Replicas in turn. */
    ROUND_ROBIN,

    /** A random replica per read. */
    RANDOM,

    /** A random replica per read, in proportion to each replica's weight. */
    WEIGHT

}
