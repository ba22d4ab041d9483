package io.ddm.benchmarks.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * Application startup and heap after startup, DDM against one plain DataSource and against stock ShardingSphere-JDBC's
 * driver configured the way its documentation shows for Spring Boot ({@code spring.datasource.driver-class-name} and a
 * {@code jdbc:shardingsphere:} URL): {@link StartupProbe} in a fresh JVM per measurement, with the same class path
 * and the same auto-configuration, the kinds alternating in random order. With more than one run, a first start of
 * each kind warms the file cache and is not counted.
 */
public final class StartupComparison {

    private StartupComparison() {
    }

    /**
     * Runs the comparison.
     * @param topology the servers, with the suite's data loaded
     * @param runs measured starts of each kind
     * @param shardingSphereYaml the stock ShardingSphere configuration file
     * @return the measurements by kind
     * @throws IOException when a probe cannot be started
     * @throws InterruptedException when interrupted
     */
    public static Map<Kind, List<Start>> run(DatabaseTopology topology, int runs, Path shardingSphereYaml)
            throws IOException, InterruptedException {
        Map<Kind, List<Start>> result = new EnumMap<>(Kind.class);
        List<Kind> order = new ArrayList<>();
        Random random = new Random(7);
        int first = (runs > 1) ? 0 : 1;
        for (int run = first; run <= runs; run++) {
            order.clear();
            order.addAll(List.of(Kind.values()));
            Collections.shuffle(order, random);
            for (Kind kind : order) {
                Start start = start(kind.arguments(topology, shardingSphereYaml), kind);
                if (run > 0) {
                    result.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(start);
                }
            }
        }
        return result;
    }

    private static Start start(List<String> arguments, Kind kind) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StartupProbe.class.getName());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("The " + kind + " startup probe failed:\n" + String.join("\n", output));
        }
        String line = output.stream().filter((each) -> each.startsWith(StartupProbe.RESULT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("The " + kind + " startup probe printed no result:\n"
                        + String.join("\n", output)));
        String[] fields = line.substring(StartupProbe.RESULT.length()).split(" ");
        return new Start(Double.parseDouble(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]), fields[3]);
    }

    /** What the application's DataSource is. */
    public enum Kind {

        /** DDM's auto-configuration from the suite's {@code ddm.*} properties. */
        DDM,

        /** DDM disabled, Spring Boot's HikariCP DataSource over ShardingSphere's driver and the suite's stock YAML. */
        SHARDINGSPHERE_DRIVER,

        /** DDM disabled, Spring Boot's HikariCP DataSource on one shard database. */
        PLAIN_DATASOURCE;

        List<String> arguments(DatabaseTopology topology, Path shardingSphereYaml) {
            List<String> result = new ArrayList<>();
            if (this == DDM) {
                result.add("SELECT COUNT(*) FROM t_order WHERE user_id = 32");
                Contenders.ddmProperties(topology, Map.of()).forEach((name, value) -> result.add("--" + name + "=" + value));
            }
            else if (this == SHARDINGSPHERE_DRIVER) {
                result.add("SELECT COUNT(*) FROM t_order WHERE user_id = 32");
                result.add("--ddm.enabled=false");
                result.add("--spring.datasource.driver-class-name=org.apache.shardingsphere.driver.ShardingSphereDriver");
                result.add("--spring.datasource.url=jdbc:shardingsphere:absolutepath:" + shardingSphereYaml.toAbsolutePath());
            }
            else {
                DatabaseServer primary = topology.primary(0);
                result.add("SELECT COUNT(*) FROM t_order_0 WHERE user_id = 32");
                result.add("--ddm.enabled=false");
                result.add("--spring.datasource.url=" + primary.jdbcUrl(BenchmarkData.database(0)));
                result.add("--spring.datasource.username=" + primary.username());
                result.add("--spring.datasource.password=" + primary.password());
            }
            result.add("--logging.level.root=WARN");
            return result;
        }

    }

    /**
     * One start.
     * @param readyMillis from {@code SpringApplication.run} to the first query's result
     * @param heapBytes heap used after startup and garbage collection
     * @param uptimeMillis the JVM's uptime when ready (includes the JVM's own start)
     * @param dataSourceClass the class of the application's DataSource
     */
    public record Start(double readyMillis, long heapBytes, long uptimeMillis, String dataSourceClass) {
    }

}
