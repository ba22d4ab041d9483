package io.ddm.routing.health;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the running monitors do when a statement on one of their physical data sources fails with a connection
 * error, by data source name, for the {@link ConnectionFailureHook}, which ShardingSphere creates without any
 * reference to a data source. Two DDM data sources in one JVM with the same schema and server names share
 * names; a failure then reaches the monitors of both.
 */
final class ConnectionFailureListeners {

    private static final Map<String, Set<Listener>> BY_DATA_SOURCE = new ConcurrentHashMap<>();

    private ConnectionFailureListeners() {
    }

    static void register(String dataSourceName, Listener listener) {
        BY_DATA_SOURCE.computeIfAbsent(dataSourceName, (name) -> ConcurrentHashMap.newKeySet()).add(listener);
    }

    static void unregister(String dataSourceName, Listener listener) {
        BY_DATA_SOURCE.computeIfPresent(dataSourceName, (name, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    static boolean isWatched(String dataSourceName) {
        return BY_DATA_SOURCE.containsKey(dataSourceName);
    }

    static void connectionFailed(String dataSourceName, Exception cause) {
        Set<Listener> listeners = BY_DATA_SOURCE.get(dataSourceName);
        if (listeners != null) {
            listeners.forEach((listener) -> listener.connectionFailed(dataSourceName, cause));
        }
    }

    /**
     * A monitor told of connection failures.
     */
    interface Listener {

        void connectionFailed(String dataSourceName, Exception cause);

    }

}
