package io.ddm.routing.health;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running monitors by replica data source name, for the {@link ReplicaFailureHook}, which ShardingSphere
 * creates without any reference to a data source. Two DDM data sources in one JVM with the same schema and
 * replica names share names; a failure then excludes the replica in both, and each one's checks re-admit it.
 */
final class ReplicaMonitors {

    private static final Map<String, Set<ReplicaHealthMonitor>> BY_DATA_SOURCE = new ConcurrentHashMap<>();

    private ReplicaMonitors() {
    }

    static void register(String dataSourceName, ReplicaHealthMonitor monitor) {
        BY_DATA_SOURCE.computeIfAbsent(dataSourceName, (name) -> ConcurrentHashMap.newKeySet()).add(monitor);
    }

    static void unregister(String dataSourceName, ReplicaHealthMonitor monitor) {
        BY_DATA_SOURCE.computeIfPresent(dataSourceName, (name, monitors) -> {
            monitors.remove(monitor);
            return monitors.isEmpty() ? null : monitors;
        });
    }

    static boolean isWatched(String dataSourceName) {
        return BY_DATA_SOURCE.containsKey(dataSourceName);
    }

    static void connectionFailed(String dataSourceName, Exception cause) {
        Set<ReplicaHealthMonitor> monitors = BY_DATA_SOURCE.get(dataSourceName);
        if (monitors != null) {
            monitors.forEach((monitor) -> monitor.connectionFailed(dataSourceName, cause));
        }
    }

}
