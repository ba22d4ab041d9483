package io.ddm.datasource;

import java.sql.SQLException;
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

    /**
     * Whether a failure means the connection to the server is broken or could not be made: SQLState class
     * {@code 08} anywhere in the cause chain, or Connector/J's {@code CommunicationsException}.
     * @param failure a failure
     * @return whether it is a connection failure
     */
    public static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (cause instanceof SQLException sqlException && sqlException.getSQLState() != null
                    && sqlException.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause.getClass().getSimpleName().equals("CommunicationsException")) {
                return true;
            }
        }
        return false;
    }

}
