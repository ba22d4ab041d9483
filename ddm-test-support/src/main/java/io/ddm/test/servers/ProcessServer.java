package io.ddm.test.servers;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process of this JVM ({@link ServerKind#LOCAL} and {@link ServerKind#EMBEDDED}).
 *
 * <p>Directory layout: {@code <dir>/data} (data directory), {@code <dir>/tmp}, {@code <dir>/error.log},
 * {@code <dir>/console.log} and {@code <dir>/server.pid} (pid of the running process, for stale-process cleanup).
 */
final class ProcessServer extends ManagedServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_SOCKET_PATH = 100;

    private final ServerBinaries binaries;
    private final Path directory;
    private final Path dataDirectory;
    private final Path initFile;
    private final boolean runAsRoot;
    private volatile int port;
    private volatile Process process;
    private volatile boolean frozen;

    ProcessServer(String name, ServerBinaries binaries, int serverId, ManagedServer primary, Path directory, Path initFile,
            int port) {
        super(name, binaries.flavor(), serverId, primary);
        this.binaries = binaries;
        this.directory = directory.toAbsolutePath();
        this.dataDirectory = this.directory.resolve(RunDirectory.DATA_DIRECTORY);
        this.initFile = initFile;
        this.port = port;
        this.runAsRoot = "root".equals(System.getProperty("user.name"));
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isFrozen() {
        return frozen && alive();
    }

    @Override
    public OptionalLong processId() {
        Process current = process;
        return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
    }

    @Override
    String replicationHost() {
        return "127.0.0.1";
    }

    @Override
    int replicationPort() {
        return port;
    }

    /**
     * First start. The port was chosen free a moment ago; if another process grabbed it meanwhile, another free port is
     * chosen (only now: afterwards the port never changes).
     */
    @Override
    synchronized void initialize() {
        for (int attempt = 1; ; attempt++) {
            try {
                super.initialize();
                return;
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !errorLogTail().contains("Address already in use")) {
                    throw e;
                }
                int previous = port;
                port = Ports.free();
                log.info("{}: port {} was taken meanwhile, retrying on port {}", name(), previous, port);
            }
        }
    }

    @Override
    protected void launch() {
        try {
            Files.createDirectories(directory.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder(command()).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()));
            if (binaries.libDir() != null) {
                String libraries = binaries.libDir().toString();
                builder.environment().merge("LD_LIBRARY_PATH", libraries, (old, added) -> added + File.pathSeparator + old);
            }
            Process started = builder.start();
            started.getOutputStream().close();
            process = started;
            frozen = false;
            Files.writeString(directory.resolve(RunDirectory.SERVER_PID_FILE), started.pid() + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(name() + ": cannot start " + binaries.server() + ": " + e.getMessage(), e);
        }
        try {
            awaitAcceptingConnections(START_TIMEOUT, () -> process.isAlive() ? null
                    : "process exited with code " + process.exitValue() + "; last lines of " + errorLog() + ":\n" + errorLogTail());
        } catch (IllegalStateException e) {
            destroy();
            throw e;
        }
    }

    @Override
    protected void shutdown() {
        Process current = process;
        current.destroy();
        try {
            if (!current.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("{} did not shut down within {} s, killing it", name(), STOP_TIMEOUT.toSeconds());
                current.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + name(), e);
        }
        afterExit();
    }

    @Override
    protected void terminate() {
        Process current = process;
        current.destroyForcibly();
        try {
            current.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + name(), e);
        }
        afterExit();
    }

    @Override
    protected void suspend() {
        Signals.send(process.pid(), "STOP");
        frozen = true;
    }

    @Override
    protected void resume() {
        Signals.send(process.pid(), "CONT");
        frozen = false;
    }

    @Override
    protected boolean alive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    @Override
    void destroy() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            try {
                current.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        afterExit();
    }

    private void afterExit() {
        frozen = false;
        try {
            Files.deleteIfExists(directory.resolve(RunDirectory.SERVER_PID_FILE));
        } catch (IOException e) {
            log.debug("Cannot delete the pid file of {}: {}", name(), e.toString());
        }
    }

    /** The server command line; {@code --no-defaults} must come first. */
    private List<String> command() {
        boolean replica = role() == ServerRole.REPLICA;
        List<String> command = new ArrayList<>();
        command.add(binaries.server().toString());
        command.add("--no-defaults");
        if (binaries.baseDir() != null) {
            command.add("--basedir=" + binaries.baseDir());
        }
        command.add("--datadir=" + dataDirectory);
        command.add("--tmpdir=" + directory.resolve("tmp"));
        command.add("--port=" + port);
        command.add("--bind-address=127.0.0.1");
        command.add("--socket=" + socketPath());
        command.add("--pid-file=" + directory.resolve("mysqld.pid"));
        command.add("--log-error=" + errorLog());
        command.add("--skip-name-resolve");
        command.add("--server-id=" + serverId());
        command.add("--log-bin=binlog");
        command.add("--relay-log=relay-bin");
        command.add("--innodb-buffer-pool-size=32M");
        command.add("--innodb-flush-log-at-trx-commit=2");
        command.add("--performance-schema=OFF");
        command.add("--max-connections=300");
        command.add("--character-set-server=utf8mb4");
        command.add("--collation-server=utf8mb4_general_ci");
        command.add("--default-time-zone=+00:00");
        command.add("--init-file=" + initFile);
        if (binaries.flavor() == Flavor.MARIADB) {
            command.add("--binlog-format=ROW");
            command.add("--innodb-log-file-size=16M");
            command.add("--skip-ssl");
            if (replica) {
                command.add("--skip-slave-start");
            }
        } else {
            command.add("--gtid-mode=ON");
            command.add("--enforce-gtid-consistency=ON");
            command.add("--mysqlx=OFF");
            if (replica) {
                command.add("--skip-replica-start");
                command.add("--relay-log-recovery=ON");
            }
        }
        if (runAsRoot) {
            command.add("--user=root");
        }
        return command;
    }

    private String socketPath() {
        Path socket = directory.resolve("mysqld.sock");
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            return socket.toString();
        }
        // Unix socket paths are limited to ~107 bytes; a long java.io.tmpdir would exceed that.
        return "/tmp/ddm-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(directory.hashCode()) + ".sock";
    }

    private Path errorLog() {
        return directory.resolve("error.log");
    }

    /** The last ~30 lines of the error log, for failure messages. */
    String errorLogTail() {
        Path errorLog = errorLog();
        if (!Files.exists(errorLog)) {
            return "(no error log)";
        }
        try (RandomAccessFile file = new RandomAccessFile(errorLog.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - 4000);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + errorLog + ": " + e + ")";
        }
    }
}
