package io.ddm.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ddm.test.servers.DatabaseTopology;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample on servers started on this machine: {@code ./mvnw -pl sample-app -am spring-boot:test-run}. Starts
 * the topology of {@link LocalServers}, then {@link SampleApplication} with the servers as {@code ddm.nodes.*}
 * arguments. The servers stop when the application does.
 *
 * <p>With the argument {@value #SERVERS_ONLY} it starts only the servers and prints the variables that point the
 * {@code mysql} profile at them, for a machine without Docker:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run -Dspring-boot.run.arguments=--servers-only}.
 */
public final class TestSampleApplication {

    /** Start the servers only and print the {@code DDM_*} variables of the {@code mysql} profile. */
    static final String SERVERS_ONLY = "--servers-only";

    private TestSampleApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean serversOnly = arguments.remove(SERVERS_ONLY);
        DatabaseTopology topology = LocalServers.start();
        if (serversOnly) {
            printVariables(topology);
            // The servers live as long as this JVM: until Ctrl+C.
            Thread.currentThread().join();
            return;
        }
        List<String> withNodes = new ArrayList<>();
        LocalServers.nodeProperties(topology).forEach((name, value) -> withNodes.add("--" + name + "=" + value));
        // Servers of this machine only: shard moves may be started over HTTP (README, "Scaling out").
        withNodes.add("--ddm.moves.enabled=true");
        withNodes.addAll(arguments);
        SpringApplication.from(SampleApplication::main).run(withNodes.toArray(String[]::new));
    }

    private static void printVariables(DatabaseTopology topology) {
        Map<String, String> variables = LocalServers.mysqlProfileVariables(topology);
        StringBuilder text = new StringBuilder();
        text.append(System.lineSeparator())
            .append("The sample's servers are running (")
            .append(topology.kind())
            .append("), until Ctrl+C. In another terminal, run the sample's mysql profile on them:")
            .append(System.lineSeparator())
            .append(System.lineSeparator());
        variables.forEach((name, value) -> text.append("export ").append(name).append('=').append(value).append(System.lineSeparator()));
        text.append("./mvnw -pl sample-app -am spring-boot:run -Dspring-boot.run.profiles=mysql").append(System.lineSeparator());
        System.out.println(text);
    }

}
