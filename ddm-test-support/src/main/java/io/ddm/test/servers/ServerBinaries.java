package io.ddm.test.servers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The executables of a MySQL-compatible server installation used by the process based paths.
 *
 * @param kind {@link ServerKind#LOCAL} or {@link ServerKind#EMBEDDED}
 * @param server the {@code mariadbd} / {@code mysqld} executable
 * @param installDb {@code mariadb-install-db} / {@code mysql_install_db}; {@code null} for MySQL, which initialises
 *     data directories with {@code mysqld --initialize-insecure}
 * @param baseDir value of {@code --basedir}, or {@code null} to use the compiled-in default (system packages)
 * @param libDir directory to add to {@code LD_LIBRARY_PATH}, or {@code null}
 * @param flavor MariaDB or MySQL
 * @param version first line of {@code --version}
 */
record ServerBinaries(ServerKind kind, Path server, Path installDb, Path baseDir, Path libDir, Flavor flavor, String version) {

    /** Directories searched after the {@code PATH}, in this order. */
    static final List<String> WELL_KNOWN_DIRECTORIES = List.of("/usr/sbin", "/usr/local/bin", "/usr/bin", "/usr/local/sbin",
            "/usr/local/mysql/bin", "/opt/homebrew/bin", "/opt/homebrew/sbin");

    /**
     * Finds a local installation.
     *
     * @param problems receives a description of what was missing when nothing usable is found
     * @return the binaries, if a server (and for MariaDB an install-db script) was found
     */
    static Optional<ServerBinaries> findLocal(List<String> problems) {
        List<Path> directories = searchDirectories();
        Optional<Path> server = find(directories, "mariadbd", "mysqld");
        if (server.isEmpty()) {
            problems.add("no mariadbd or mysqld executable on PATH or in " + WELL_KNOWN_DIRECTORIES);
            return Optional.empty();
        }
        String version;
        try {
            version = version(server.get(), Map.of());
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
        Flavor flavor = version.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
        Path installDb = null;
        if (flavor == Flavor.MARIADB) {
            List<Path> installDirectories = new ArrayList<>(directories);
            Path serverDirectory = server.get().toAbsolutePath().getParent();
            installDirectories.add(0, serverDirectory);
            if (serverDirectory.getParent() != null) {
                installDirectories.add(serverDirectory.getParent().resolve("bin"));
                installDirectories.add(serverDirectory.getParent().resolve("scripts"));
            }
            Optional<Path> found = find(installDirectories, "mariadb-install-db", "mysql_install_db");
            if (found.isEmpty()) {
                problems.add("found " + server.get() + " but no mariadb-install-db or mysql_install_db next to it");
                return Optional.empty();
            }
            installDb = found.get();
        }
        return Optional.of(new ServerBinaries(ServerKind.LOCAL, server.get(), installDb, null, null, flavor, version));
    }

    /** Runs {@code server --version} and returns its first line. */
    static String version(Path server, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(server.toString(), "--version").redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(server + " --version did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(server + " --version failed (exit " + process.exitValue() + "): " + text);
            }
            return text.lines().findFirst().orElse(text);
        } catch (IOException e) {
            throw new IllegalStateException(server + " --version cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static List<Path> searchDirectories() {
        Set<Path> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        for (String directory : WELL_KNOWN_DIRECTORIES) {
            directories.add(Path.of(directory));
        }
        return new ArrayList<>(directories);
    }

    private static Optional<Path> find(List<Path> directories, String... names) {
        for (String name : names) {
            for (Path directory : directories) {
                Path candidate = directory.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
