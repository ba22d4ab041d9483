package io.ddm.connection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddm.topology.JdbcUrls;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the servers of a DDM topology are: for every node its primary and its replicas, each with a JDBC URL and
 * credentials. Spring Boot's {@link ConnectionDetails} pattern: by default the servers come from {@code ddm.nodes.*}
 * ({@link PropertiesDdmConnectionDetails}); a bean of this type replaces them, as do Testcontainers'
 * {@code @ServiceConnection} on a {@code MySqlTopologyContainer} and Docker Compose services labelled for DDM.
 *
 * <p>A bean of this type decides which nodes and servers exist and their coordinates (URL, username, password).
 * Everything else still comes from {@code ddm.*}: pool budgets and settings ({@code ddm.nodes.<node>.pool.*},
 * {@code ...replicas.<replica>.pool.*}), replica weights, shards, placement and tables. A credential the details
 * leave {@code null} falls back to the properties ({@code ddm.nodes.<node>.username}, then a replica's node's). A
 * node or replica that {@code ddm.nodes.*} configures but the details do not name fails the startup: DDM never
 * starts a topology half from one source and half from another.
 */
public interface DdmConnectionDetails extends ConnectionDetails {

    /**
     * The nodes of the topology, in any order (DDM orders them by name, numbers compared as numbers).
     * @return the nodes
     */
    List<Node> getNodes();

    /**
     * One node: a primary and its read replicas.
     *
     * @param name node name ({@code ds0}), also the primary's server name
     * @param primary the primary
     * @param replicas the replicas by replica name ({@code ds0-r0}), in order; possibly none
     */
    record Node(String name, Server primary, Map<String, Server> replicas) {

        public Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(primary, "primary");
            replicas = Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
        }

        /**
         * A node without replicas.
         * @param name node name
         * @param primary the primary
         * @return the node
         */
        public static Node of(String name, Server primary) {
            return new Node(name, primary, Map.of());
        }

        /**
         * This node with one more replica.
         * @param replicaName replica name
         * @param replica the replica
         * @return a new node
         */
        public Node withReplica(String replicaName, Server replica) {
            Map<String, Server> more = new LinkedHashMap<>(this.replicas);
            more.put(replicaName, replica);
            return new Node(this.name, this.primary, more);
        }

    }

    /**
     * One server's coordinates.
     *
     * @param url JDBC URL without a database ({@code jdbc:mysql://host:port/}); DDM adds each shard database
     * @param username login username, or {@code null} for the one in {@code ddm.nodes.*}
     * @param password login password, or {@code null} for the one in {@code ddm.nodes.*}
     */
    record Server(String url, String username, String password) {

        @Override
        public String toString() {
            // Never the password.
            return (this.url != null) ? JdbcUrls.withoutCredentials(this.url) : "(no URL)";
        }

    }

}
