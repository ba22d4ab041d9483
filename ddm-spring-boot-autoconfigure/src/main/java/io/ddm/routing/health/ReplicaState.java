package io.ddm.routing.health;

import java.time.Duration;
import java.time.Instant;

/**
 * What the {@link ReplicaHealthMonitor} knows about one replica.
 *
 * @param replica the replica's name
 * @param node the node (primary) it replicates
 * @param inRotation whether reads are routed to it
 * @param reason why it is excluded, or the last failure while it is still in rotation; {@code null} when healthy
 * @param replicationLag last lag read, {@code null} when not checked, unknown or replication is stopped
 * @param replicationStopped whether the last check found its SQL thread stopped or no replication configured at all
 *     (infinite lag); only judged with a maximum lag set
 * @param consecutiveFailures failed checks in a row
 * @param consecutiveSuccesses passed checks in a row
 * @param since when it entered its current state (in or out of rotation)
 * @param exclusions how often it has been excluded since the monitor started
 */
public record ReplicaState(String replica, String node, boolean inRotation, String reason, Duration replicationLag,
        boolean replicationStopped, int consecutiveFailures, int consecutiveSuccesses, Instant since,
        long exclusions) {

}
