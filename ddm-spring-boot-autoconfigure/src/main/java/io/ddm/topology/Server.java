package io.ddm.topology;

import java.util.Map;

/**
 * One physical MySQL server: a node's primary or one of its replicas.
 *
 * @param name node name for a primary ({@code ds0}), replica name for a replica ({@code ds0-r0})
 * @param node the node it belongs to
 * @param role primary or replica
 * @param url server JDBC URL without a database (or with a {@code {database}} placeholder)
 * @param username login username
 * @param password login password
 * @param weight share of reads for the weight load balancer (replicas)
 * @param pool HikariCP settings in relaxed form
 */
public record Server(String name, String node, Role role, String url, String username, String password, int weight,
        Map<String, String> pool) {

    public Server {
        pool = Map.copyOf(pool);
    }

    /**
     * The role of a server in its node.
     */
    public enum Role {

        /** Takes writes and reads in transactions. */
        PRIMARY,

        /** Takes reads outside transactions. */
        REPLICA

    }

    @Override
    public String toString() {
        // Never the password.
        return this.role + " " + this.name + " (" + JdbcUrls.withoutCredentials(this.url) + ")";
    }

}
