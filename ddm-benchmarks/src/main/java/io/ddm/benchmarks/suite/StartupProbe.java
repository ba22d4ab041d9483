package io.ddm.benchmarks.suite;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of the startup comparison, run in a fresh JVM per measurement by {@link StartupComparison}: a
 * minimal Spring Boot application (auto-configuration, no web server) whose only bean of interest is its
 * {@code DataSource}, DDM's or a plain HikariCP one, depending on the properties it is given. It starts, runs one query
 * through the data source, collects garbage and prints one line: the time from {@code SpringApplication.run} to the
 * query's result, the heap still used, the JVM's uptime and the data source's class.
 */
public final class StartupProbe {

    /** Start of the line the probe prints. */
    static final String RESULT = "STARTUP-PROBE ";

    private StartupProbe() {
    }

    /**
     * Starts the application.
     * @param args the SQL of the first query, then Spring Boot arguments ({@code --name=value})
     * @throws Exception when the application fails to start or the query fails
     */
    public static void main(String[] args) throws Exception {
        String query = args[0];
        long start = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .run(Arrays.copyOfRange(args, 1, args.length))) {
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(query)) {
                rows.next();
            }
            long ready = System.nanoTime();
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println(String.format(Locale.ROOT, "%s%.1f %d %d %s", RESULT, (ready - start) / 1e6, heap, uptime,
                    dataSource.getClass().getName()));
        }
    }

    /** The application: auto-configuration only. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

    }

}
