package io.ddm.test.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts topologies of {@link ProcessServer}s ({@link ServerKind#LOCAL}, {@link ServerKind#EMBEDDED}).
 *
 * <p>The system tables are created once per JVM and installation by {@code mariadb-install-db} (MySQL:
 * {@code mysqld --initialize-insecure}) into a template data directory, which is then copied for every server - much
 * faster than initialising each one. Accounts are created by an {@code --init-file} on every start, with
 * {@code sql_log_bin=0} so they are never replicated.
 */
final class ProcessBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);
    private static final AtomicInteger TOPOLOGIES = new AtomicInteger();
    private static final Map<Path, Path> TEMPLATES = new HashMap<>();

    private ProcessBackend() {
    }

    static DatabaseTopology start(ServerBinaries binaries, int primaryCount, int replicasPerPrimary, boolean shared) {
        Path run = RunDirectory.get();
        Path template = template(binaries, run);
        Path initFile = initFile(run);
        Path topologyDirectory = run.resolve("t" + TOPOLOGIES.incrementAndGet());
        List<ProcessServer> primaries = new ArrayList<>();
        List<List<ProcessServer>> replicas = new ArrayList<>();
        List<ProcessServer> all = new ArrayList<>();
        int serverId = 1;
        for (int p = 0; p < primaryCount; p++) {
            String name = "ds" + p;
            ProcessServer primary = new ProcessServer(name, binaries, serverId++, null, topologyDirectory.resolve(name), initFile,
                    Ports.free());
            primaries.add(primary);
            all.add(primary);
        }
        for (int p = 0; p < primaryCount; p++) {
            List<ProcessServer> replicasOfPrimary = new ArrayList<>();
            for (int r = 0; r < replicasPerPrimary; r++) {
                String name = "ds" + p + "-r" + r;
                ProcessServer replica = new ProcessServer(name, binaries, serverId++, primaries.get(p),
                        topologyDirectory.resolve(name), initFile, Ports.free());
                replicasOfPrimary.add(replica);
                all.add(replica);
            }
            replicas.add(replicasOfPrimary);
        }
        DatabaseTopology topology = new DatabaseTopology(binaries.kind(), primaries, replicas,
                () -> RunDirectory.deleteQuietly(topologyDirectory), shared);
        try {
            List<Runnable> starts = new ArrayList<>();
            for (ProcessServer server : all) {
                starts.add(() -> {
                    copyTemplate(template, topologyDirectory.resolve(server.name()));
                    server.initialize();
                });
            }
            Parallel.runAll(starts);
            List<Runnable> wiring = new ArrayList<>();
            for (List<ProcessServer> replicasOfPrimary : replicas) {
                for (ProcessServer replica : replicasOfPrimary) {
                    wiring.add(replica::connectToPrimary);
                }
            }
            Parallel.runAll(wiring);
            return topology;
        } catch (RuntimeException e) {
            topology.destroy();
            throw e;
        }
    }

    private static void copyTemplate(Path template, Path serverDirectory) {
        try {
            Files.createDirectories(serverDirectory);
            RunDirectory.copyDirectory(template, serverDirectory.resolve(RunDirectory.DATA_DIRECTORY));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot copy the template data directory to " + serverDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Initialises the template data directory for these binaries, once per JVM. */
    private static synchronized Path template(ServerBinaries binaries, Path run) {
        Path existing = TEMPLATES.get(binaries.server());
        if (existing != null) {
            return existing;
        }
        long started = System.nanoTime();
        Path template = run.resolve("template-" + (TEMPLATES.size() + 1));
        Path log = run.resolve("template-" + (TEMPLATES.size() + 1) + ".log");
        List<String> command = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (binaries.flavor() == Flavor.MARIADB) {
            command.add(binaries.installDb().toString());
            command.add("--no-defaults");
            if (binaries.baseDir() != null) {
                command.add("--basedir=" + binaries.baseDir());
            }
            command.add("--datadir=" + template);
            command.add("--auth-root-authentication-method=normal");
            command.add("--skip-test-db");
            command.add("--skip-name-resolve");
            command.add("--innodb-log-file-size=16M");
            command.add("--innodb-buffer-pool-size=32M");
            command.add("--performance-schema=OFF");
        } else {
            command.add(binaries.server().toString());
            command.add("--no-defaults");
            if (binaries.baseDir() != null) {
                command.add("--basedir=" + binaries.baseDir());
            }
            command.add("--initialize-insecure");
            command.add("--datadir=" + template);
            command.add("--innodb-buffer-pool-size=32M");
        }
        if (root) {
            command.add("--user=root");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (binaries.libDir() != null) {
                builder.environment().merge("LD_LIBRARY_PATH", binaries.libDir().toString(), (old, added) -> added + ":" + old);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Initialising a data directory with " + command.get(0) + " took longer than 180 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Initialising a data directory failed: " + String.join(" ", command) + " exited with "
                        + process.exitValue() + ":\n" + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        LOG.info("Initialised template data directory with {} ({}) in {} ms", command.get(0), binaries.version(),
                (System.nanoTime() - started) / 1_000_000);
        TEMPLATES.put(binaries.server(), template);
        return template;
    }

    /** SQL run by every server at start-up; never replicated. */
    private static synchronized Path initFile(Path run) {
        Path initFile = run.resolve("init.sql");
        if (!Files.exists(initFile)) {
            String user = Flavor.quote(ManagedServer.USER) + "@'%'";
            String replicationUser = Flavor.quote(ManagedServer.REPLICATION_USER) + "@'%'";
            String sql = "SET SESSION sql_log_bin = 0;\n"
                    + "CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY " + Flavor.quote(ManagedServer.PASSWORD) + ";\n"
                    + "GRANT ALL PRIVILEGES ON *.* TO " + user + " WITH GRANT OPTION;\n"
                    + "CREATE USER IF NOT EXISTS " + replicationUser + " IDENTIFIED BY "
                    + Flavor.quote(ManagedServer.REPLICATION_PASSWORD) + ";\n"
                    + "GRANT REPLICATION SLAVE ON *.* TO " + replicationUser + ";\n";
            try {
                Files.writeString(initFile, sql, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot write " + initFile + ": " + e.getMessage(), e);
            }
        }
        return initFile;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }
}
