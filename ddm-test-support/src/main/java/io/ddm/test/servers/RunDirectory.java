package io.ddm.test.servers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The well-known working directory {@code ${java.io.tmpdir}/ddm-test-servers}: one {@code run-<jvm pid>-<random>}
 * directory per JVM holding data directories, logs and the pid file of every server process started by that JVM.
 *
 * <p>A JVM that was killed ({@code kill -9}, a crashed build) cannot stop its servers. The first JVM using this class
 * afterwards finds its run directory (the owner process is gone), kills the processes listed in its pid files - only
 * if their command line still is a {@code mariadbd} / {@code mysqld} with exactly that data directory - and deletes it.
 */
final class RunDirectory {

    static final String SERVER_PID_FILE = "server.pid";
    static final String DATA_DIRECTORY = "data";
    private static final String OWNER_FILE = "owner";
    private static final long SPARSE_COPY_THRESHOLD = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    private static Path current;

    private RunDirectory() {
    }

    /** The well-known base directory shared by all JVMs. */
    static Path base() {
        return Path.of(System.getProperty("java.io.tmpdir"), "ddm-test-servers").toAbsolutePath();
    }

    /** This JVM's run directory; created (after removing stale ones) on first use. */
    static synchronized Path get() {
        if (current == null) {
            try {
                Path base = Files.createDirectories(base());
                cleanStale(base);
                ProcessHandle self = ProcessHandle.current();
                Path run = base.resolve("run-" + self.pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
                Files.createDirectories(run);
                Files.writeString(run.resolve(OWNER_FILE), self.pid() + " " + startMillis(self).orElse(0L) + "\n");
                current = run;
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create a working directory under " + base() + ": " + e.getMessage(), e);
            }
        }
        return current;
    }

    /**
     * Deletes this JVM's run directory (JVM exit). Servers still listed in it (e.g. of a topology whose start was
     * interrupted) are killed first: without their pid files, no later run could find them.
     */
    static synchronized void deleteCurrent() {
        if (current != null) {
            try {
                killLeftovers(current);
            } catch (IOException e) {
                LOG.warn("Cannot look for remaining test servers in {}: {}", current, e.toString());
            }
            deleteQuietly(current);
            current = null;
        }
    }

    /** Kills processes left behind by JVMs that no longer exist and removes their run directories. */
    static void cleanStale(Path base) {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(base, "run-*")) {
            for (Path run : runs) {
                if (Files.isDirectory(run) && !ownerAlive(run)) {
                    killLeftovers(run);
                    deleteQuietly(run);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean up stale test servers in {}: {}", base, e.toString());
        }
    }

    private static boolean ownerAlive(Path run) {
        Path owner = run.resolve(OWNER_FILE);
        try {
            String[] parts = Files.readString(owner).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0L;
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return false;
            }
            // The pid may have been reused by an unrelated process: compare start times when known.
            Optional<Long> actual = startMillis(handle.get());
            return started == 0L || actual.isEmpty() || Math.abs(actual.get() - started) < 2000;
        } catch (IOException | RuntimeException e) {
            // No (readable) owner file: either being created right now by another JVM, or garbage. Leave young ones alone.
            try {
                return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - 60_000;
            } catch (IOException ignored) {
                return false;
            }
        }
    }

    private static void killLeftovers(Path run) throws IOException {
        List<Path> pidFiles = new ArrayList<>();
        try (Stream<Path> files = Files.walk(run, 3)) {
            files.filter(file -> file.getFileName().toString().equals(SERVER_PID_FILE)).forEach(pidFiles::add);
        }
        for (Path pidFile : pidFiles) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                Path dataDirectory = pidFile.resolveSibling(DATA_DIRECTORY).toAbsolutePath();
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent() && handle.get().isAlive() && isOurServer(handle.get(), dataDirectory)) {
                    LOG.warn("Killing left-over test server process {} (data directory {})", pid, dataDirectory);
                    // SIGCONT is not needed: SIGKILL also ends a stopped (frozen) process.
                    handle.get().destroyForcibly();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!isGone(pid) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("Cannot stop the test server listed in {}: {}", pidFile, e.toString());
            }
        }
    }

    /** Whether the process is a {@code mariadbd} / {@code mysqld} with exactly {@code --datadir=<dataDirectory>}. */
    static boolean isOurServer(ProcessHandle process, Path dataDirectory) {
        List<String> commandLine = commandLine(process);
        if (commandLine.isEmpty()) {
            return false;
        }
        String executable = Path.of(commandLine.get(0)).getFileName().toString();
        if (!executable.startsWith("mariadbd") && !executable.startsWith("mysqld")) {
            return false;
        }
        return commandLine.contains("--datadir=" + dataDirectory);
    }

    private static List<String> commandLine(ProcessHandle process) {
        Path procCmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        if (Files.isReadable(procCmdline)) {
            try {
                String raw = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8);
                return Arrays.stream(raw.split("\0")).filter(part -> !part.isEmpty()).toList();
            } catch (IOException e) {
                return List.of();
            }
        }
        ProcessHandle.Info info = process.info();
        List<String> commandLine = new ArrayList<>();
        info.command().ifPresent(commandLine::add);
        info.arguments().ifPresent(arguments -> commandLine.addAll(Arrays.asList(arguments)));
        return commandLine;
    }

    /**
     * Whether a process has ended. A killed process that is not our child stays a zombie until its new parent reaps it
     * (never, in containers without an init process); a zombie counts as gone.
     */
    static boolean isGone(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc", "self"))) {
            try {
                String content = Files.readString(stat);
                // Format: pid (comm) state ...; comm may contain spaces and parentheses.
                String afterCommand = content.substring(content.lastIndexOf(')') + 1).trim();
                return afterCommand.startsWith("Z") || afterCommand.startsWith("X");
            } catch (IOException | RuntimeException e) {
                return !Files.exists(stat);
            }
        }
        return ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true);
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot delete {} completely: {}", directory, e.toString());
        }
    }

    /** Copies a data directory; large files sparsely (fresh InnoDB files are mostly zeros). */
    static void copyDirectory(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else if (Files.size(path) > SPARSE_COPY_THRESHOLD) {
                    copySparse(path, destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }

    private static void copySparse(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
            FileChannel channel = out.getChannel();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long size = in.size();
            long position = 0;
            while (position < size) {
                buffer.clear();
                int read = in.read(buffer, position);
                if (read <= 0) {
                    break;
                }
                buffer.flip();
                if (!isZeros(buffer)) {
                    long at = position;
                    while (buffer.hasRemaining()) {
                        at += channel.write(buffer, at);
                    }
                }
                position += read;
            }
            out.setLength(size);
        }
    }

    private static boolean isZeros(ByteBuffer buffer) {
        int limit = buffer.limit();
        int i = 0;
        for (; i + Long.BYTES <= limit; i += Long.BYTES) {
            if (buffer.getLong(i) != 0L) {
                return false;
            }
        }
        for (; i < limit; i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
