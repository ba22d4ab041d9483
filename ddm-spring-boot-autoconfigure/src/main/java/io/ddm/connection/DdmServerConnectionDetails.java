package io.ddm.connection;

import io.ddm.topology.Server.Role;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * One server of a DDM topology, for sources that know servers one at a time: Docker Compose registers one
 * connection details bean per running service. When there is no {@link DdmConnectionDetails} bean, DDM gathers all
 * beans of this type into one topology ({@link ServerConnectionDetailsTopology}).
 */
public interface DdmServerConnectionDetails extends ConnectionDetails {

    /**
     * The node the server belongs to ({@code ds0}).
     * @return the node name
     */
    String getNode();

    /**
     * Whether the server is its node's primary or one of its replicas.
     * @return the role
     */
    Role getRole();

    /**
     * The server's name: the node name for a primary, the replica name ({@code ds0-r0}) for a replica.
     * @return the server name
     */
    String getName();

    /**
     * JDBC URL without a database ({@code jdbc:mysql://host:port/}).
     * @return the URL
     */
    String getUrl();

    /**
     * Login username, or {@code null} for the one in {@code ddm.nodes.*}.
     * @return the username
     */
    String getUsername();

    /**
     * Login password, or {@code null} for the one in {@code ddm.nodes.*}.
     * @return the password
     */
    String getPassword();

}
