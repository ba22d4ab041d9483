package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * One real MySQL-compatible server of a {@link DatabaseTopology}: a primary or one of its replicas.
 *
 * <p>Every server has an account ({@link #username()} / {@link #password()}) with all privileges that can log in over
 * TCP from {@code 127.0.0.1}. The life-cycle methods ({@link #stop()}, {@link #kill()}, {@link #start()},
 * {@link #freeze()}, {@link #unfreeze()}) let tests simulate failures; a server always keeps its host, port and data.
 * All methods are thread-safe. Failures of the life-cycle methods are reported as {@link IllegalStateException}.
 */
public interface DatabaseServer {

    /**
     * Name of the server: {@code ds0}, {@code ds1}, ... for primaries and {@code ds0-r0}, {@code ds0-r1}, ... for the
     * replicas of {@code ds0}.
     *
     * @return the name, unique within its topology
     */
    String name();

    /**
     * Role of the server.
     *
     * @return {@link ServerRole#PRIMARY} or {@link ServerRole#REPLICA}
     */
    ServerRole role();

    /**
     * Host to connect to, usually {@code 127.0.0.1}.
     *
     * @return the host name or address
     */
    String host();

    /**
     * TCP port to connect to. It never changes, also not across {@link #stop()} and {@link #start()}.
     *
     * @return the port
     */
    int port();

    /**
     * Connector/J URL of the server without a default database and without parameters, so callers may append
     * {@code ?param=value}.
     *
     * @return e.g. {@code jdbc:mysql://127.0.0.1:41234/}
     */
    String jdbcUrl();

    /**
     * Connector/J URL of one database of the server, without parameters.
     *
     * @param database the database (schema) name
     * @return e.g. {@code jdbc:mysql://127.0.0.1:41234/orders}
     */
    String jdbcUrl(String database);

    /**
     * User with all privileges (including {@code GRANT OPTION}) that can log in over TCP.
     *
     * @return the user name, {@code ddm}
     */
    String username();

    /**
     * Password of {@link #username()}.
     *
     * @return the password, {@code ddm}
     */
    String password();

    /**
     * Opens a plain {@link java.sql.DriverManager} connection without default database, e.g. for assertions. It uses a
     * 10 s connect timeout and a 60 s socket timeout so a frozen server cannot hang a test forever.
     *
     * @return a new connection that the caller must close
     * @throws SQLException if the server cannot be reached
     */
    Connection connection() throws SQLException;

    /**
     * Opens a plain {@link java.sql.DriverManager} connection to one database, like {@link #connection()}.
     *
     * @param database the database (schema) name; it must exist
     * @return a new connection that the caller must close
     * @throws SQLException if the server cannot be reached or the database does not exist
     */
    Connection connection(String database) throws SQLException;

    /**
     * Shuts the server down cleanly (SIGTERM for processes, {@code docker stop} for containers) and waits until it has
     * stopped. Connections to its port are refused afterwards. Does nothing if it is not running.
     */
    void stop();

    /**
     * Kills the server abruptly (SIGKILL for processes, {@code docker kill} for containers), as in a crash. Does nothing
     * if it is not running.
     */
    void kill();

    /**
     * Starts a stopped or killed server again on the same port with the same data and waits until it accepts
     * connections; a replica then resumes replication from where it was (its replication stays paused if
     * {@link #pauseReplication()} was called before). Does nothing if the server is running.
     */
    void start();

    /**
     * Suspends the server process (SIGSTOP for processes, {@code docker pause} for containers): the TCP port still
     * accepts connections but the server does not answer, as a hung server would.
     *
     * @throws IllegalStateException if the server is not running
     */
    void freeze();

    /**
     * Resumes a server suspended by {@link #freeze()} (SIGCONT, {@code docker unpause}). Does nothing if it is not
     * frozen.
     */
    void unfreeze();

    /**
     * Whether the server process or container is alive; a frozen server is running.
     *
     * @return {@code true} unless stopped or killed
     */
    boolean isRunning();

    /**
     * Whether the server is suspended by {@link #freeze()}.
     *
     * @return {@code true} between {@link #freeze()} and {@link #unfreeze()}
     */
    boolean isFrozen();

    /**
     * Operating system process id of the running server.
     *
     * @return the pid for {@link ServerKind#LOCAL} and {@link ServerKind#EMBEDDED} servers that are running, empty
     *     otherwise (also always for Docker containers)
     */
    OptionalLong processId();

    /**
     * Stops applying replicated changes on a replica ({@code STOP SLAVE SQL_THREAD} / {@code STOP REPLICA SQL_THREAD})
     * so that replication lag builds up on purpose: changes are still received, but not visible on the replica.
     * {@link DatabaseTopology#awaitReplication()} ignores paused replicas.
     *
     * @throws IllegalStateException if this server is not a replica or is not running
     */
    void pauseReplication();

    /**
     * Resumes applying replicated changes after {@link #pauseReplication()}. Does nothing if not paused; on a stopped
     * replica it only clears the paused state, so that {@link #start()} starts applying. Use
     * {@link DatabaseTopology#awaitReplication()} to wait until the replica has caught up.
     *
     * @throws IllegalStateException if this server is not a replica
     */
    void resumeReplication();

    /**
     * Whether {@link #pauseReplication()} is in effect.
     *
     * @return {@code true} for a paused replica, {@code false} otherwise (always for primaries)
     */
    boolean isReplicationPaused();
}
