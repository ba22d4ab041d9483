package io.ddm.routing;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes for reads outside transactions ({@code ddm.read-write-splitting.read-your-writes-window}):
 * after a thread writes through a DDM data source, its reads on that data source go to the primaries for the
 * window, so they see the write even while the replicas have not applied it yet. The unit of work is the thread,
 * as for Spring's transaction-less JDBC code; reads of other threads keep going to the replicas.
 *
 * <p>{@link WriteTrackingHook} records the writes, DDM's load balancer ({@code io.ddm.routing.rotation}) routes the
 * reads. Both find the window of a data source by the names of its primaries' physical data sources, registered
 * while it runs.
 */
public final class ReadYourWrites {

    private static final Map<String, Window> BY_PRIMARY = new ConcurrentHashMap<>();

    // Weak keys: a closed data source's window leaves no entry behind in long-lived threads.
    private static final ThreadLocal<Map<Window, Long>> LAST_WRITE = ThreadLocal.withInitial(WeakHashMap::new);

    private ReadYourWrites() {
    }

    /**
     * Starts read-your-writes for the primaries of one logical data source.
     * @param primaryDataSources names of the primaries' physical data sources
     * @param window how long after a write reads stay on the primaries
     * @return the registration, to close with the data source
     */
    public static AutoCloseable register(Iterable<String> primaryDataSources, Duration window) {
        Window registered = new Window(window.toNanos());
        primaryDataSources.forEach((name) -> BY_PRIMARY.put(name, registered));
        return () -> primaryDataSources.forEach((name) -> BY_PRIMARY.remove(name, registered));
    }

    static boolean isTracked(String primaryDataSource) {
        return !BY_PRIMARY.isEmpty() && BY_PRIMARY.containsKey(primaryDataSource);
    }

    static void written(String primaryDataSource) {
        Window window = BY_PRIMARY.get(primaryDataSource);
        if (window != null) {
            LAST_WRITE.get().put(window, System.nanoTime());
        }
    }

    /**
     * Whether the current thread's reads are pinned to a primary right now.
     * @param primaryDataSource name of the primary's physical data source
     * @return whether a write of this thread through its DDM data source is younger than the window
     */
    public static boolean isPinned(String primaryDataSource) {
        if (BY_PRIMARY.isEmpty()) {
            return false;
        }
        Window window = BY_PRIMARY.get(primaryDataSource);
        if (window == null) {
            return false;
        }
        Map<Window, Long> writes = LAST_WRITE.get();
        Long last = writes.get(window);
        if (last == null) {
            return false;
        }
        if (System.nanoTime() - last < window.nanos()) {
            return true;
        }
        writes.remove(window);
        return false;
    }

    /** The window of one data source; compared by identity. */
    private static final class Window {

        private final long nanos;

        Window(long nanos) {
            this.nanos = nanos;
        }

        long nanos() {
            return this.nanos;
        }

    }

}
