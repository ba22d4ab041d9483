package io.ddm.datasource;

import java.util.Locale;

import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Server;

/**
 * Describes failures of physical servers for messages and health details: the root cause is what names the
 * real problem (connection refused, unknown database), not the pool's or driver's wrappers around it.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * The innermost cause of a failure.
     * @param failure the failure
     * @return its root cause, or the failure itself
     */
    public static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * Names a server for a message: {@code primary 'ds1' of node 'ds1' (10.0.1.1:3306)}, never its credentials.
     * @param server the server
     * @return role, name, node and address
     */
    public static String describe(Server server) {
        return server.role().name().toLowerCase(Locale.ROOT) + " '" + server.name() + "' of node '" + server.node() + "' ("
                + JdbcUrls.hostAndPort(server.url()) + ")";
    }

    /**
     * The root cause as {@code SimpleClassName: message}.
     * @param failure the failure
     * @return a one-line description
     */
    public static String describe(Throwable failure) {
        Throwable root = rootCause(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

}
