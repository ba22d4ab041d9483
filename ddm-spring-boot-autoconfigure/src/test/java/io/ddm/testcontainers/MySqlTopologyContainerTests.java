package io.ddm.testcontainers;

import java.util.List;
import java.util.Map;

import io.ddm.connection.DdmConnectionDetails;
import io.ddm.testcontainers.MySqlTopologyContainer.TopologyServer;
import io.ddm.topology.Server.Role;
import org.junit.jupiter.api.Test;
import org.testcontainers.mysql.MySQLContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link MySqlTopologyContainer} and the mapping of its servers to {@link DdmConnectionDetails}, without
 * Docker: the shape of the topology, the containers' settings, and the coordinates DDM gets.
 */
class MySqlTopologyContainerTests {

    @Test
    void aTopologyIsItsNodesPrimariesEachFollowedByItsReplicas() {
        MySqlTopologyContainer topology = new MySqlTopologyContainer().withNodes(2).withReplicasPerNode(2);
        assertThat(topology.getServers()).extracting(TopologyServer::node, TopologyServer::role, TopologyServer::name)
            .containsExactly(
                    tuple("ds0", Role.PRIMARY, "ds0"),
                    tuple("ds0", Role.REPLICA, "ds0-r0"),
                    tuple("ds0", Role.REPLICA, "ds0-r1"),
                    tuple("ds1", Role.PRIMARY, "ds1"),
                    tuple("ds1", Role.REPLICA, "ds1-r0"),
                    tuple("ds1", Role.REPLICA, "ds1-r1"));
        assertThat(topology.getServers().get(0).container()).as("the topology container is ds0's primary").isSameAs(topology);
        assertThat(topology.getServer("ds1-r1")).isSameAs(topology.getServers().get(5).container());
    }

    @Test
    void everyServerGetsItsAliasServerIdGtidAndTheTopologysAccount() {
        MySqlTopologyContainer topology = new MySqlTopologyContainer("mysql:8.4").withUsername("app").withPassword("s3cret")
            .withNodes(2);
        MySQLContainer replica = topology.getServer("ds1-r0");
        assertThat(replica.getNetworkAliases()).contains("ds1-r0");
        assertThat(replica.getNetwork()).isSameAs(topology.getNetwork());
        assertThat(replica.getCommandParts()).containsExactly("--server-id=201", "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
        assertThat(topology.getCommandParts()).containsExactly("--server-id=100", "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
        assertThat(replica.getUsername()).isEqualTo("app");
        assertThat(replica.getPassword()).isEqualTo("s3cret");
        assertThat(new MySqlTopologyContainer().getUsername()).isEqualTo(MySqlTopologyContainer.DEFAULT_USERNAME);
    }

    @Test
    void theShapeIsFixedOnceTheServersExist() {
        MySqlTopologyContainer topology = new MySqlTopologyContainer();
        topology.getServers();
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> topology.withNodes(3))
            .withMessageContaining("withNodes must be called before the topology's servers are created");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> topology.withUsername("x"));
    }

    @Test
    void badShapesAndUnknownServersAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MySqlTopologyContainer().withNodes(0))
            .withMessage("A topology needs at least one node, not 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new MySqlTopologyContainer().withReplicasPerNode(-1))
            .withMessage("The number of replicas per node cannot be negative: -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new MySqlTopologyContainer().getServer("ds7"))
            .withMessage("No server 'ds7' in this topology; servers: [ds0, ds0-r0, ds1, ds1-r0]");
    }

    @Test
    void theConnectionDetailsNameEveryServerAtItsHostPort() {
        ReachableTopology topology = new ReachableTopology(Map.of("ds0", 40100, "ds0-r0", 40101, "ds1", 40200, "ds1-r0", 40201));
        List<DdmConnectionDetails.Node> nodes = MySqlTopologyContainerConnectionDetailsFactory.nodes(topology);
        assertThat(nodes).extracting(DdmConnectionDetails.Node::name).containsExactly("ds0", "ds1");
        assertThat(nodes.get(0).primary()).isEqualTo(new DdmConnectionDetails.Server("jdbc:mysql://127.0.0.1:40100/", "ddm", "ddm"));
        assertThat(nodes.get(1).replicas())
            .containsExactly(entry("ds1-r0", new DdmConnectionDetails.Server("jdbc:mysql://127.0.0.1:40201/", "ddm", "ddm")));
    }

    @Test
    void aTopologyWithoutReplicasHasNodesWithoutReplicas() {
        ReachableTopology topology = new ReachableTopology(Map.of("ds0", 40100, "ds1", 40200, "ds2", 40300));
        topology.withNodes(3).withReplicasPerNode(0);
        assertThat(MySqlTopologyContainerConnectionDetailsFactory.nodes(topology))
            .extracting(DdmConnectionDetails.Node::name, (node) -> node.replicas().size())
            .containsExactly(tuple("ds0", 0), tuple("ds1", 0),
                    tuple("ds2", 0));
    }

}
