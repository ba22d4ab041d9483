package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import org.testcontainers.containers.Network;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A MySQL container ({@link ServerKind#DOCKER}). Its host port is chosen once and bound explicitly, so it survives
 * {@code docker stop} / {@code docker start}; Testcontainers' own {@code stop()} would remove the container, so
 * the life-cycle methods use the Docker API directly.
 */
final class ContainerServer extends ManagedServer {

    private static final String ROOT_PASSWORD = "root";
    private static final int MYSQL_PORT = 3306;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final MySQLContainer container;
    private final int hostPort;
    private volatile boolean created;
    private volatile boolean frozen;
    private volatile String host;

    ContainerServer(String name, String image, Network network, int serverId, ManagedServer primary) {
        super(name, Flavor.MYSQL, serverId, primary);
        this.hostPort = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                "--server-id=" + serverId,
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--log-bin",
                "--innodb-buffer-pool-size=32M",
                "--innodb-redo-log-capacity=16M",
                "--innodb-flush-log-at-trx-commit=2",
                "--performance-schema=OFF",
                "--mysqlx=OFF",
                "--max-connections=300",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--default-time-zone=+00:00",
                "--skip-name-resolve"));
        if (primary != null) {
            command.add("--skip-replica-start");
            command.add("--relay-log-recovery=ON");
        }
        this.container = new MySQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("mysql"))
                .withNetwork(network)
                .withNetworkAliases(name)
                .withUsername("root")
                .withPassword(ROOT_PASSWORD)
                .withCommand(command.toArray(String[]::new))
                .withStartupTimeoutSeconds((int) START_TIMEOUT.toSeconds());
        container.setPortBindings(List.of(hostPort + ":" + MYSQL_PORT));
    }

    @Override
    public String host() {
        String current = host;
        if (current == null) {
            current = container.getHost();
            host = current;
        }
        return current;
    }

    @Override
    public int port() {
        return hostPort;
    }

    @Override
    public boolean isFrozen() {
        return frozen && alive();
    }

    @Override
    public OptionalLong processId() {
        return OptionalLong.empty();
    }

    @Override
    String replicationHost() {
        return name();
    }

    @Override
    int replicationPort() {
        return MYSQL_PORT;
    }

    @Override
    protected void launch() {
        if (!created) {
            container.start();
            created = true;
            try (Connection root = container.createConnection("")) {
                DockerBackend.createAccounts(root);
            } catch (SQLException e) {
                throw new IllegalStateException(name() + ": cannot create the test accounts: " + e.getMessage(), e);
            }
        } else {
            client().startContainerCmd(container.getContainerId()).exec();
        }
        frozen = false;
        awaitAcceptingConnections(START_TIMEOUT, () -> alive() ? null : "container exited; last log lines:\n" + logTail());
    }

    @Override
    protected void shutdown() {
        try {
            client().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
        } catch (NotModifiedException alreadyStopped) {
            // fine
        }
        frozen = false;
    }

    @Override
    protected void terminate() {
        if (frozen) {
            resume();
        }
        client().killContainerCmd(container.getContainerId()).exec();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (alive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        frozen = false;
    }

    @Override
    protected void suspend() {
        client().pauseContainerCmd(container.getContainerId()).exec();
        frozen = true;
    }

    @Override
    protected void resume() {
        client().unpauseContainerCmd(container.getContainerId()).exec();
        frozen = false;
    }

    @Override
    protected boolean alive() {
        if (!created || container.getContainerId() == null) {
            return false;
        }
        try {
            InspectContainerResponse.ContainerState state = client().inspectContainerCmd(container.getContainerId()).exec().getState();
            return Boolean.TRUE.equals(state.getRunning());
        } catch (DockerException e) {
            return false;
        }
    }

    @Override
    void destroy() {
        try {
            if (frozen) {
                resume();
            }
        } catch (RuntimeException e) {
            log.debug("Cannot unpause {}: {}", name(), e.toString());
        }
        try {
            container.stop();
        } catch (RuntimeException e) {
            log.warn("Cannot remove the container of {}: {}", name(), e.toString());
        }
        frozen = false;
    }

    private DockerClient client() {
        return container.getDockerClient();
    }

    private String logTail() {
        try {
            List<String> lines = container.getLogs().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (RuntimeException e) {
            return "(no logs: " + e + ")";
        }
    }
}
