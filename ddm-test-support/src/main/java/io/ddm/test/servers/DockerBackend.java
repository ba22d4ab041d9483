package io.ddm.test.servers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Starts topologies of MySQL containers ({@link ServerKind#DOCKER}) with Testcontainers.
 *
 * <p>Only touch this class after checking that Testcontainers is on the class path: it links against it, an optional
 * dependency.
 */
final class DockerBackend {

    /** System property overriding the image; it must be a {@code mysql} image of version 8.0.26 or newer. */
    static final String IMAGE_PROPERTY = "ddm.it.docker.image";
    static final String DEFAULT_IMAGE = "mysql:8.4";

    private DockerBackend() {
    }

    /** Testcontainers' own check; never throws. */
    static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static String image() {
        String image = System.getProperty(IMAGE_PROPERTY);
        return image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim();
    }

    static DatabaseTopology start(int primaryCount, int replicasPerPrimary, boolean shared) {
        String image = image();
        Network network = Network.newNetwork();
        List<ContainerServer> primaries = new ArrayList<>();
        List<List<ContainerServer>> replicas = new ArrayList<>();
        List<ContainerServer> all = new ArrayList<>();
        int serverId = 1;
        for (int p = 0; p < primaryCount; p++) {
            ContainerServer primary = new ContainerServer("ds" + p, image, network, serverId++, null);
            primaries.add(primary);
            all.add(primary);
        }
        for (int p = 0; p < primaryCount; p++) {
            List<ContainerServer> replicasOfPrimary = new ArrayList<>();
            for (int r = 0; r < replicasPerPrimary; r++) {
                ContainerServer replica = new ContainerServer("ds" + p + "-r" + r, image, network, serverId++, primaries.get(p));
                replicasOfPrimary.add(replica);
                all.add(replica);
            }
            replicas.add(replicasOfPrimary);
        }
        DatabaseTopology topology = new DatabaseTopology(ServerKind.DOCKER, primaries, replicas, network::close, shared);
        try {
            // Create the network before the containers start concurrently.
            network.getId();
            List<Runnable> starts = new ArrayList<>();
            for (ContainerServer server : all) {
                starts.add(server::initialize);
            }
            Parallel.runAll(starts);
            List<Runnable> wiring = new ArrayList<>();
            for (List<ContainerServer> replicasOfPrimary : replicas) {
                for (ContainerServer replica : replicasOfPrimary) {
                    wiring.add(replica::connectToPrimary);
                }
            }
            Parallel.runAll(wiring);
            return topology;
        } catch (RuntimeException e) {
            topology.destroy();
            throw e;
        }
    }

    /** Creates the accounts of the harness as root, without writing them to the binary log. */
    static void createAccounts(Connection root) throws SQLException {
        try (Statement statement = root.createStatement()) {
            String user = Flavor.quote(ManagedServer.USER) + "@'%'";
            String replicationUser = Flavor.quote(ManagedServer.REPLICATION_USER) + "@'%'";
            statement.execute("SET SESSION sql_log_bin = 0");
            statement.execute("CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY " + Flavor.quote(ManagedServer.PASSWORD));
            statement.execute("GRANT ALL PRIVILEGES ON *.* TO " + user + " WITH GRANT OPTION");
            statement.execute("CREATE USER IF NOT EXISTS " + replicationUser + " IDENTIFIED BY "
                    + Flavor.quote(ManagedServer.REPLICATION_PASSWORD));
            statement.execute("GRANT REPLICATION SLAVE ON *.* TO " + replicationUser);
            statement.execute("SET SESSION sql_log_bin = 1");
        }
    }
}
