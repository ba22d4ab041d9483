package io.ddm.routing.health;

import java.time.Duration;

import io.ddm.config.DdmProperties;

/**
 * How the {@link ReplicaHealthMonitor} checks replicas.
 *
 * @param interval time between two checks of every replica
 * @param timeout longest wait for one replica's answer
 * @param failureThreshold consecutive failed checks that exclude a replica
 * @param successThreshold consecutive passed checks that re-admit it
 * @param maxReplicaLag lag beyond which a replica is excluded, {@code null} to not check lag
 */
public record ReplicaHealthSettings(Duration interval, Duration timeout, int failureThreshold, int successThreshold,
        Duration maxReplicaLag) {

    /**
     * Settings from {@code ddm.read-write-splitting.*}.
     * @param properties the read/write-splitting properties
     * @return the settings
     */
    public static ReplicaHealthSettings of(DdmProperties.ReadWriteSplitting properties) {
        DdmProperties.ReplicaHealth health = properties.getHealth();
        return new ReplicaHealthSettings(health.getInterval(), health.getTimeout(), health.getFailureThreshold(),
                health.getSuccessThreshold(), properties.getMaxReplicaLag());
    }

}
