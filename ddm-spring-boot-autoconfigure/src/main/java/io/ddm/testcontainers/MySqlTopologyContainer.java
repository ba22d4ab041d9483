package io.ddm.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.ddm.topology.Server.Role;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A DDM topology of MySQL containers: {@code nodes} primaries ({@code ds0}, {@code ds1}, ...), each with
 * {@code replicasPerNode} replicas ({@code ds0-r0}, ...) fed by GTID replication, on one Docker network. For tests
 * and local runs with Testcontainers and Spring Boot's {@code @ServiceConnection}:
 *
 * <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static MySqlTopologyContainer topology = new MySqlTopologyContainer("mysql:8.4").withNodes(2).withReplicasPerNode(1);
 * </pre>
 *
 * <p>Boot connects one {@code @ServiceConnection} to one container, and registers one connection details bean per
 * type: a topology of several servers therefore is one container, this one, which is the primary of {@code ds0}
 * and starts the other servers with itself (and stops them with itself). Its own JDBC URL, username and password are
 * those of {@code ds0}; {@link #getServers()} lists them all. DDM's
 * {@link MySqlTopologyContainerConnectionDetailsFactory} turns it into a
 * {@link io.ddm.connection.DdmConnectionDetails} naming every server, so {@code ddm.nodes.*} needs no URL.
 *
 * <p>Every server gets the account of {@link #withUsername(String)} / {@link #withPassword(String)} (default
 * {@value #DEFAULT_USERNAME} / {@value #DEFAULT_PASSWORD}) with all privileges, as DDM needs to create shard
 * databases, and the replication account {@code repl}. Images: {@code mysql} 8.0.23 or newer (8.4 by default).
 */
public class MySqlTopologyContainer extends MySQLContainer {

    /** The image used by {@link #MySqlTopologyContainer()}. */
    public static final String DEFAULT_IMAGE = "mysql:8.4";

    /** The application account's default name. */
    public static final String DEFAULT_USERNAME = "ddm";

    /** The application account's default password. */
    public static final String DEFAULT_PASSWORD = "ddm";

    private static final String REPLICATION_USER = "repl";

    private static final String REPLICATION_PASSWORD = "repl";

    private static final Duration REPLICATION_START_TIMEOUT = Duration.ofSeconds(60);

    private final DockerImageName image;

    private int nodes = 2;

    private int replicasPerNode = 1;

    private volatile List<TopologyServer> servers;

    private Network network;

    /** A topology of {@value #DEFAULT_IMAGE} containers, two nodes with one replica each. */
    public MySqlTopologyContainer() {
        this(DEFAULT_IMAGE);
    }

    /**
     * A topology of containers of the given image, two nodes with one replica each.
     * @param image a {@code mysql} image, e.g. {@code mysql:8.4}
     */
    public MySqlTopologyContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * A topology of containers of the given image, two nodes with one replica each.
     * @param image a {@code mysql} image (or one declared a compatible substitute for {@code mysql})
     */
    public MySqlTopologyContainer(DockerImageName image) {
        super(image);
        this.image = image;
        super.withUsername(DEFAULT_USERNAME);
        super.withPassword(DEFAULT_PASSWORD);
    }

    /**
     * Sets the number of nodes (primaries), {@code ds0} to {@code ds<nodes - 1>}.
     * @param nodes at least 1
     * @return this container
     */
    public MySqlTopologyContainer withNodes(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("A topology needs at least one node, not " + nodes);
        }
        checkNotCreated("withNodes");
        this.nodes = nodes;
        return this;
    }

    /**
     * Sets the number of replicas of every node, {@code ds0-r0} to {@code ds0-r<replicas - 1>}.
     * @param replicas 0 or more
     * @return this container
     */
    public MySqlTopologyContainer withReplicasPerNode(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("The number of replicas per node cannot be negative: " + replicas);
        }
        checkNotCreated("withReplicasPerNode");
        this.replicasPerNode = replicas;
        return this;
    }

    @Override
    public MySqlTopologyContainer withUsername(String username) {
        checkNotCreated("withUsername");
        super.withUsername(username);
        return this;
    }

    @Override
    public MySqlTopologyContainer withPassword(String password) {
        checkNotCreated("withPassword");
        super.withPassword(password);
        return this;
    }

    /**
     * The servers of the topology: every primary followed by its replicas, {@code ds0} (this container) first.
     * Creating them fixes the shape: {@link #withNodes(int)} and the like fail afterwards.
     * @return the servers
     */
    public List<TopologyServer> getServers() {
        List<TopologyServer> current = this.servers;
        if (current == null) {
            synchronized (this) {
                current = this.servers;
                if (current == null) {
                    current = createServers();
                    this.servers = current;
                }
            }
        }
        return current;
    }

    /**
     * One server's container, e.g. to stop a replica in a test.
     * @param name server name ({@code ds1}, {@code ds1-r0})
     * @return its container
     * @throws IllegalArgumentException for a name that is not a server of this topology
     */
    public MySQLContainer getServer(String name) {
        for (TopologyServer server : getServers()) {
            if (server.name().equals(name)) {
                return server.container();
            }
        }
        throw new IllegalArgumentException("No server '" + name + "' in this topology; servers: "
                + getServers().stream().map(TopologyServer::name).toList());
    }

    /**
     * Creates the container of another server than {@code ds0}: override to customise every server, e.g. with
     * settings of your own. The topology then sets its network, alias, command, username and password.
     * @param image the topology's image
     * @return a new container
     */
    protected MySQLContainer createServerContainer(DockerImageName image) {
        return new MySQLContainer(image);
    }

    @Override
    public void start() {
        if (getContainerId() != null) {
            return;
        }
        List<Startable> others = new ArrayList<>();
        for (TopologyServer server : getServers()) {
            if (server.container() != this) {
                others.add(server.container());
            }
        }
        // The other servers start (in parallel) before this one; containerIsStarted then wires the topology.
        dependsOn(others);
        super.start();
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse containerInfo) {
        super.containerIsStarted(containerInfo);
        for (TopologyServer server : getServers()) {
            if (server.role() == Role.PRIMARY) {
                setUpPrimary(server);
            }
        }
        for (TopologyServer server : getServers()) {
            if (server.role() == Role.REPLICA) {
                setUpReplica(server, primaryOf(server));
            }
        }
    }

    @Override
    public void stop() {
        try {
            super.stop();
        }
        finally {
            List<TopologyServer> created = this.servers;
            for (TopologyServer server : (created != null) ? created : List.<TopologyServer>of()) {
                if (server.container() != this) {
                    server.container().stop();
                }
            }
            if (this.network != null) {
                this.network.close();
            }
        }
    }

    private void checkNotCreated(String method) {
        if (this.servers != null) {
            throw new IllegalStateException(method + " must be called before the topology's servers are created (by"
                    + " getServers() or start())");
        }
    }

    private List<TopologyServer> createServers() {
        this.network = Network.newNetwork();
        List<TopologyServer> result = new ArrayList<>();
        for (int node = 0; node < this.nodes; node++) {
            String nodeName = "ds" + node;
            MySQLContainer primary = (node == 0) ? this : createServerContainer(this.image);
            configure(primary, nodeName, (node + 1) * 100);
            result.add(new TopologyServer(nodeName, Role.PRIMARY, nodeName, primary));
            for (int replica = 0; replica < this.replicasPerNode; replica++) {
                String replicaName = nodeName + "-r" + replica;
                MySQLContainer container = createServerContainer(this.image);
                configure(container, replicaName, (node + 1) * 100 + replica + 1);
                result.add(new TopologyServer(nodeName, Role.REPLICA, replicaName, container));
            }
        }
        return Collections.unmodifiableList(result);
    }

    private void configure(MySQLContainer container, String name, int serverId) {
        container.withNetwork(this.network);
        container.withNetworkAliases(name);
        container.withCommand("--server-id=" + serverId, "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
        if (container != this) {
            container.withUsername(getUsername());
            container.withPassword(getPassword());
        }
    }

    private TopologyServer primaryOf(TopologyServer replica) {
        for (TopologyServer server : getServers()) {
            if (server.role() == Role.PRIMARY && server.node().equals(replica.node())) {
                return server;
            }
        }
        throw new IllegalStateException("No primary for " + replica.name());
    }

    /**
     * Starts the binary log afresh (replicas replay nothing of the image's own set-up), then creates the accounts
     * outside it: every server creates its own, so that replicas never replay a CREATE USER.
     */
    private void setUpPrimary(TopologyServer primary) {
        try (Connection root = rootConnection(primary.container()); Statement statement = root.createStatement()) {
            statement.execute(resetBinaryLog(root));
            statement.execute("SET SESSION sql_log_bin = 0");
            createApplicationAccount(statement);
            statement.execute("CREATE USER IF NOT EXISTS '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + REPLICATION_PASSWORD + "'");
            statement.execute("GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'");
            statement.execute("SET SESSION sql_log_bin = 1");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot set up primary " + primary.name() + ": " + ex.getMessage(), ex);
        }
    }

    private void setUpReplica(TopologyServer replica, TopologyServer primary) {
        try (Connection root = rootConnection(replica.container()); Statement statement = root.createStatement()) {
            statement.execute("SET SESSION sql_log_bin = 0");
            createApplicationAccount(statement);
            statement.execute("SET SESSION sql_log_bin = 1");
            statement.execute(resetBinaryLog(root));
            statement.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + primary.name() + "', SOURCE_PORT = " + MYSQL_PORT
                    + ", SOURCE_USER = '" + REPLICATION_USER + "', SOURCE_PASSWORD = '" + REPLICATION_PASSWORD
                    + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1");
            statement.execute("START REPLICA");
            awaitReplicating(replica, statement);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot set up replica " + replica.name() + " of " + primary.name() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private void createApplicationAccount(Statement statement) throws SQLException {
        String user = getUsername();
        if (!"root".equalsIgnoreCase(user)) {
            String account = "'" + user.replace("'", "''") + "'@'%'";
            statement.execute("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + getPassword().replace("'", "''") + "'");
            statement.execute("GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION");
        }
    }

    /** {@code RESET BINARY LOGS AND GTIDS} from MySQL 8.4 on, {@code RESET MASTER} before. */
    private static String resetBinaryLog(Connection connection) throws SQLException {
        String[] version = connection.getMetaData().getDatabaseProductVersion().split("[.-]");
        int major = Integer.parseInt(version[0]);
        int minor = Integer.parseInt(version[1]);
        return (major > 8 || (major == 8 && minor >= 4)) ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER";
    }

    private static void awaitReplicating(TopologyServer replica, Statement statement) throws SQLException {
        long deadline = System.nanoTime() + REPLICATION_START_TIMEOUT.toNanos();
        String state = "no replica status";
        while (System.nanoTime() < deadline) {
            try (ResultSet status = statement.executeQuery("SHOW REPLICA STATUS")) {
                if (status.next()) {
                    String io = status.getString("Replica_IO_Running");
                    String sql = status.getString("Replica_SQL_Running");
                    if ("Yes".equalsIgnoreCase(io) && "Yes".equalsIgnoreCase(sql)) {
                        return;
                    }
                    state = "IO thread " + io + ", SQL thread " + sql + ", last IO error: " + status.getString("Last_IO_Error")
                            + ", last SQL error: " + status.getString("Last_SQL_Error");
                }
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + replica.name() + " to replicate", ex);
            }
        }
        throw new IllegalStateException(replica.name() + " does not replicate after " + REPLICATION_START_TIMEOUT.toSeconds()
                + " s: " + state);
    }

    private Connection rootConnection(MySQLContainer container) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + container.getHost() + ":" + container.getMappedPort(MYSQL_PORT)
                + "/?useSSL=false&allowPublicKeyRetrieval=true", "root", getPassword());
    }

    /**
     * One server of the topology.
     *
     * @param node the node it belongs to ({@code ds0})
     * @param role primary or replica
     * @param name server name: the node name for a primary, {@code ds0-r0} for a replica
     * @param container its container
     */
    public record TopologyServer(String node, Role role, String name, MySQLContainer container) {

        /**
         * The server's JDBC URL without a database, as DDM wants it: {@code jdbc:mysql://host:port/}. Only while
         * the container runs.
         * @return the URL
         */
        public String url() {
            return "jdbc:mysql://" + this.container.getHost() + ":" + this.container.getMappedPort(MYSQL_PORT) + "/";
        }

        @Override
        public String toString() {
            return this.role.name().toLowerCase(Locale.ROOT) + " " + this.name;
        }

    }

}
