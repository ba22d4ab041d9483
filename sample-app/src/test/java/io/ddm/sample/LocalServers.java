package io.ddm.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;

/**
 * The sample's servers on this machine, from DDM's test harness: 3 primaries ({@code ds0}, {@code ds1}, {@code ds2}),
 * each with a replica ({@code ds0-r0}, ...) fed by GTID replication. {@code ddm.placement} puts the shards on ds0 and
 * ds1; ds2 holds none until a shard is moved there (README, "Scaling out"). Docker containers, a local {@code mariadbd}, or
 * MariaDB 11.4 binaries from Maven Central, whichever is available first; they stop when the JVM exits.
 *
 * <p>The harness picks free ports, so the servers are handed to the application as properties: {@code ddm.nodes.*}
 * for the default profile, or the {@code DDM_*} variables that {@code application-mysql.yml} reads.
 */
final class LocalServers {

    private LocalServers() {
    }

    /**
     * Starts the servers, or returns those already running in this JVM.
     * @return the topology
     * @throws IllegalStateException if this machine cannot run any
     */
    static DatabaseTopology start() {
        if (DatabaseServers.availableKind().isEmpty()) {
            throw new IllegalStateException(DatabaseServers.NONE_AVAILABLE_MESSAGE);
        }
        return DatabaseServers.topology(3, 1);
    }

    /**
     * The servers as {@code ddm.nodes.*} properties, as a user would write them in {@code application.yml}.
     * @param topology the servers
     * @return property names and values
     */
    static Map<String, String> nodeProperties(DatabaseTopology topology) {
        return topology.ddmNodeProperties();
    }

    /**
     * The servers as the variables {@code application-mysql.yml} reads: {@code DDM_DS0_URL}, {@code DDM_DS0_R0_URL},
     * ..., {@code DDM_USERNAME}, {@code DDM_PASSWORD}.
     * @param topology the servers
     * @return variable names and values
     */
    static Map<String, String> mysqlProfileVariables(DatabaseTopology topology) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (DatabaseServer server : topology.servers()) {
            variables.put("DDM_" + server.name().toUpperCase().replace('-', '_') + "_URL", server.jdbcUrl());
        }
        variables.put("DDM_USERNAME", topology.primary(0).username());
        variables.put("DDM_PASSWORD", topology.primary(0).password());
        return variables;
    }

}
