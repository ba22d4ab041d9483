package io.ddm.benchmarks.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The run's windows in order; the workload counts each operation in the window open when it started. */
final class Windows {

    private final List<Window> all = new CopyOnWriteArrayList<>();

    private volatile Window current;

    /**
     * Ends the open window and opens the next.
     * @param phase the phase's title
     * @param label the stretch of the phase, e.g. {@code fault held}
     * @return the new window
     */
    synchronized Window open(String phase, String label) {
        long now = System.nanoTime();
        if (this.current != null) {
            this.current.end(now);
        }
        Window window = new Window(this.all.size(), phase, label, now);
        this.all.add(window);
        this.current = window;
        return window;
    }

    /** Ends the open window; operations started later count in none. */
    synchronized void close() {
        if (this.current != null) {
            this.current.end(System.nanoTime());
        }
        this.current = null;
    }

    /** The open window, {@code null} before the first and after {@link #close()}. */
    Window current() {
        return this.current;
    }

    List<Window> all() {
        return List.copyOf(this.all);
    }

}
