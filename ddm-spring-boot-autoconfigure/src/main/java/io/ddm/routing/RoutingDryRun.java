package io.ddm.routing;

import java.util.function.Supplier;

/**
 * Marks the current thread as computing a route without executing it ({@code io.ddm.endpoint.RoutePreview}).
 * DDM's algorithms that keep state between statements read it so that a preview changes nothing: load
 * balancers do not advance their counters and key generators do not consume a value.
 */
public final class RoutingDryRun {

    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private RoutingDryRun() {
    }

    /**
     * Runs an action as a dry run on the current thread.
     * @param <T> the result type
     * @param action the action
     * @return its result
     */
    public static <T> T run(Supplier<T> action) {
        Boolean previous = ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            return action.get();
        }
        finally {
            if (previous == null) {
                ACTIVE.remove();
            }
            else {
                ACTIVE.set(previous);
            }
        }
    }

    /**
     * Whether the current thread is in a dry run.
     * @return {@code true} inside {@link #run(Supplier)}
     */
    public static boolean isActive() {
        return ACTIVE.get() != null;
    }

}
