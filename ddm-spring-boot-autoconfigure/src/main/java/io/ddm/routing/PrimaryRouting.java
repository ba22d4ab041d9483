package io.ddm.routing;

import java.util.function.Supplier;

import org.apache.shardingsphere.infra.hint.HintManager;

/**
 * Forces the primaries for a block of code on the current thread, the programmatic form of
 * {@link DdmPrimary}. Blocks nest: only the outermost one opens and clears the routing hint.
 *
 * <pre>{@code
 * Order order = PrimaryRouting.call(() -> orders.findById(id));
 * }</pre>
 */
public final class PrimaryRouting {

    private PrimaryRouting() {
    }

    /**
     * Runs a block with every statement routed to the primaries.
     * @param <T> the result type
     * @param block the block
     * @return the block's result
     */
    public static <T> T call(Supplier<T> block) {
        if (HintManager.isInstantiated()) {
            if (!HintManager.isWriteRouteOnly()) {
                throw new IllegalStateException("A ShardingSphere HintManager is already open on this thread without"
                        + " write-route-only; call setWriteRouteOnly() on it instead of nesting PrimaryRouting/@DdmPrimary");
            }
            return block.get();
        }
        try (HintManager hint = HintManager.getInstance()) {
            hint.setWriteRouteOnly();
            return block.get();
        }
    }

    /**
     * Runs a block with every statement routed to the primaries.
     * @param block the block
     */
    public static void run(Runnable block) {
        call(() -> {
            block.run();
            return null;
        });
    }

    /**
     * Whether statements on the current thread are forced to the primaries.
     * @return whether a primary block is active
     */
    public static boolean isActive() {
        return HintManager.isInstantiated() && HintManager.isWriteRouteOnly();
    }

}
