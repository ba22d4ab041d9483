package io.ddm.benchmarks.suite;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.ddm.test.servers.DatabaseTopology;

/** The machine, the JDK, the servers and the library versions of a run, for the reports of the suites. */
public final class Environment {

    private Environment() {
    }

    /**
     * Describes a run's environment.
     * @param topology the servers, asked for their version
     * @return what (machine, JDK, servers, library) to its description, in report order
     * @throws SQLException when the first primary cannot be asked
     */
    public static Map<String, String> describe(DatabaseTopology topology) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("machine", cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memoryGib() + " GiB, " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        result.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection connection = topology.primary(0).connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT VERSION()")) {
            rows.next();
            result.put("servers", rows.getString(1) + " (" + topology.kind() + "), 2 primaries each with 1 replica, GTID replication");
            result.put("MySQL Connector/J", connection.getMetaData().getDriverVersion());
        }
        result.put("HikariCP", version("com.zaxxer", "HikariCP"));
        result.put("ShardingSphere-JDBC", version("org.apache.shardingsphere", "shardingsphere-jdbc"));
        Properties versions = new Properties();
        try (InputStream in = Environment.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read versions.properties", ex);
        }
        result.put("Spring Boot", versions.getProperty("spring-boot"));
        result.put("DDM", versions.getProperty("ddm"));
        return result;
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter((line) -> line.startsWith("model name"))
                    .map((line) -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        }
        catch (IOException ex) {
            return "unknown CPU";
        }
    }

    private static long memoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    /** A library's version from the {@code pom.properties} Maven puts in its jar (kept in the uber-jar). */
    private static String version(String groupId, String artifactId) {
        try (InputStream in = Environment.class.getResourceAsStream("/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

}
