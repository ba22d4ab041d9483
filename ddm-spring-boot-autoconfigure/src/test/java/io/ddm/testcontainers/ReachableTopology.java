package io.ddm.testcontainers;

import java.util.Map;

import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link MySqlTopologyContainer} whose servers are already reachable at given host ports, without Docker: it
 * reports itself running (so neither Boot nor Testcontainers starts it) and maps every server's port 3306 to the
 * port given for its name. Pointed at the harness's servers, DDM connects to real replicated servers through the
 * very code path a running container takes.
 */
class ReachableTopology extends MySqlTopologyContainer {

    private final Map<String, Integer> ports;

    ReachableTopology(Map<String, Integer> ports) {
        super("mysql:8.4");
        this.ports = ports;
    }

    @Override
    protected MySQLContainer createServerContainer(DockerImageName image) {
        return new ReachableServer(image, this.ports);
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public String getHost() {
        return "127.0.0.1";
    }

    @Override
    public Integer getMappedPort(int originalPort) {
        return port(this.ports, "ds0", originalPort);
    }

    static Integer port(Map<String, Integer> ports, String name, int originalPort) {
        if (originalPort != MYSQL_PORT) {
            throw new IllegalArgumentException("Only port " + MYSQL_PORT + " is exposed, not " + originalPort);
        }
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalStateException("No port for server " + name + " in " + ports);
        }
        return port;
    }

    /** A server of the topology, identified by its network alias (its server name). */
    private static final class ReachableServer extends MySQLContainer {

        private final Map<String, Integer> ports;

        ReachableServer(DockerImageName image, Map<String, Integer> ports) {
            super(image);
            this.ports = ports;
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public String getHost() {
            return "127.0.0.1";
        }

        @Override
        public Integer getMappedPort(int originalPort) {
            String name = getNetworkAliases().stream().filter(this.ports::containsKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("No port for any of " + getNetworkAliases() + " in " + this.ports));
            return port(this.ports, name, originalPort);
        }

    }

}
