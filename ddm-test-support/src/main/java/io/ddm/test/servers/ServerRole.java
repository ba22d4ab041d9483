package io.ddm.test.servers;

/**
 * Role of a {@link DatabaseServer} in its {@link DatabaseTopology}.
 */
public enum ServerRole {

    /** Accepts writes; its changes are replicated to its replicas. */
    PRIMARY,

    /** Applies the changes of one primary through asynchronous GTID replication. */
    REPLICA
}
