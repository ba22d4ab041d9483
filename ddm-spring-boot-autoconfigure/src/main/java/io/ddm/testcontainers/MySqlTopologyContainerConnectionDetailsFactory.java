package io.ddm.testcontainers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.connection.DdmConnectionDetails;
import io.ddm.testcontainers.MySqlTopologyContainer.TopologyServer;
import io.ddm.topology.Server.Role;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ContainerConnectionDetailsFactory} that makes a {@code @ServiceConnection} {@link MySqlTopologyContainer}
 * the {@link DdmConnectionDetails} of the application: every server of the topology, with the topology's account.
 * Registered in {@code META-INF/spring.factories}, as Boot registers its own factories.
 */
class MySqlTopologyContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<MySqlTopologyContainer, DdmConnectionDetails> {

    MySqlTopologyContainerConnectionDetailsFactory() {
        super(ANY_CONNECTION_NAME);
    }

    @Override
    protected DdmConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<MySqlTopologyContainer> source) {
        return new MySqlTopologyContainerConnectionDetails(source);
    }

    /**
     * The nodes of a topology: every primary with its replicas, at the host ports the containers are reachable on.
     * @param topology the topology, running
     * @return its nodes
     */
    static List<DdmConnectionDetails.Node> nodes(MySqlTopologyContainer topology) {
        Map<String, DdmConnectionDetails.Node> nodes = new LinkedHashMap<>();
        for (TopologyServer server : topology.getServers()) {
            DdmConnectionDetails.Server address = new DdmConnectionDetails.Server(server.url(), topology.getUsername(),
                    topology.getPassword());
            if (server.role() == Role.PRIMARY) {
                nodes.put(server.node(), DdmConnectionDetails.Node.of(server.node(), address));
            }
            else {
                nodes.computeIfPresent(server.node(), (name, node) -> node.withReplica(server.name(), address));
            }
        }
        return new ArrayList<>(nodes.values());
    }

    /**
     * {@link DdmConnectionDetails} backed by a {@link ContainerConnectionSource}; the container starts, if it does not
     * run yet, when DDM first asks for the servers.
     */
    static final class MySqlTopologyContainerConnectionDetails extends ContainerConnectionDetails<MySqlTopologyContainer>
            implements DdmConnectionDetails {

        MySqlTopologyContainerConnectionDetails(ContainerConnectionSource<MySqlTopologyContainer> source) {
            super(source);
        }

        @Override
        public List<Node> getNodes() {
            return nodes(getContainer());
        }

    }

}
