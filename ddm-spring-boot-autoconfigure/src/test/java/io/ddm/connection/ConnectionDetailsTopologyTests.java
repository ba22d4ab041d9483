package io.ddm.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.config.TopologyFactory;
import io.ddm.connection.DdmConnectionDetails.Node;
import io.ddm.connection.DdmConnectionDetails.Server;
import io.ddm.topology.Server.Role;
import io.ddm.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for the topology built from {@link DdmConnectionDetails} and {@code ddm.*}: the details give servers and
 * coordinates, the properties pools and weights, and properties naming servers the details do not are rejected.
 * Plain code, no Spring context.
 */
class ConnectionDetailsTopologyTests {

    /** Two nodes of two servers each, as Testcontainers or Docker Compose would give them. */
    private static final DdmConnectionDetails TWO_NODES = () -> List.of(
            Node.of("ds1", new Server("jdbc:mysql://10.9.0.3:33061/", "app", "s1"))
                .withReplica("ds1-r0", new Server("jdbc:mysql://10.9.0.4:33062/", "app", "s1")),
            Node.of("ds0", new Server("jdbc:mysql://10.9.0.1:33051/", "app", "s0"))
                .withReplica("ds0-r0", new Server("jdbc:mysql://10.9.0.2:33052/", null, null)));

    static DdmProperties properties(String... pairs) {
        Map<String, String> source = new LinkedHashMap<>();
        for (String pair : pairs) {
            int separator = pair.indexOf('=');
            source.put(pair.substring(0, separator), pair.substring(separator + 1));
        }
        return new Binder(new MapConfigurationPropertySource(source)).bind("ddm", DdmProperties.class)
            .orElseGet(DdmProperties::new);
    }

    @Test
    void detailsAloneGiveTheNodesAndServers() {
        Topology topology = TopologyFactory.create(properties("ddm.schema=shop", "ddm.shards=4"), TWO_NODES);
        assertThat(topology.nodes()).extracting(io.ddm.topology.Node::name).containsExactly("ds0", "ds1");
        io.ddm.topology.Server primary = topology.node("ds0").primary();
        assertThat(primary.url()).isEqualTo("jdbc:mysql://10.9.0.1:33051/");
        assertThat(primary.username()).isEqualTo("app");
        assertThat(primary.password()).isEqualTo("s0");
        assertThat(topology.node("ds1").replicas()).singleElement().satisfies((replica) -> {
            assertThat(replica.name()).isEqualTo("ds1-r0");
            assertThat(replica.role()).isEqualTo(Role.REPLICA);
            assertThat(replica.url()).isEqualTo("jdbc:mysql://10.9.0.4:33062/");
            assertThat(replica.weight()).isEqualTo(1);
        });
        assertThat(topology.placement().shardsOn("ds0")).containsExactly(0, 1);
    }

    @Test
    void detailsWinForCoordinatesAndPropertiesGivePoolsAndWeights() {
        DdmProperties properties = properties("ddm.schema=shop", "ddm.shards=4",
                "ddm.nodes.ds0.url=jdbc:mysql://prod-db0:3306/", "ddm.nodes.ds0.username=prod", "ddm.nodes.ds0.password=prod-secret",
                "ddm.nodes.ds0.pool.maximum-pool-size=16", "ddm.nodes.ds0.pool.connection-timeout=2500",
                "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://prod-db0-replica:3306/",
                "ddm.nodes.ds0.replicas.ds0-r0.weight=3", "ddm.nodes.ds0.replicas.ds0-r0.pool.maximum-pool-size=8",
                "ddm.nodes.ds1.pool.maximum-pool-size=6");
        Topology topology = TopologyFactory.create(properties, TWO_NODES);
        io.ddm.topology.Server primary = topology.node("ds0").primary();
        assertThat(primary.url()).isEqualTo("jdbc:mysql://10.9.0.1:33051/");
        assertThat(primary.username()).isEqualTo("app");
        assertThat(primary.password()).isEqualTo("s0");
        assertThat(primary.pool()).containsEntry("maximum-pool-size", "16").containsEntry("connection-timeout", "2500");
        io.ddm.topology.Server replica = topology.node("ds0").replicas().get(0);
        assertThat(replica.url()).isEqualTo("jdbc:mysql://10.9.0.2:33052/");
        assertThat(replica.weight()).isEqualTo(3);
        assertThat(replica.pool()).contains(entry("maximum-pool-size", "8"), entry("connection-timeout", "2500"));
        assertThat(topology.node("ds1").primary().pool()).containsEntry("maximum-pool-size", "6");
    }

    @Test
    void credentialsTheDetailsLeaveOutComeFromTheProperties() {
        // ds0-r0 has no credentials in the details: its own properties first, then its node's.
        Topology nodeCredentials = TopologyFactory.create(properties("ddm.shards=2", "ddm.nodes.ds0.username=fallback",
                "ddm.nodes.ds0.password=fallback-secret"), TWO_NODES);
        assertThat(nodeCredentials.node("ds0").replicas().get(0).username()).isEqualTo("fallback");
        assertThat(nodeCredentials.node("ds0").replicas().get(0).password()).isEqualTo("fallback-secret");
        assertThat(nodeCredentials.node("ds0").primary().username()).as("given by the details").isEqualTo("app");
        Topology replicaCredentials = TopologyFactory.create(properties("ddm.shards=2", "ddm.nodes.ds0.username=fallback",
                "ddm.nodes.ds0.replicas.ds0-r0.username=reader"), TWO_NODES);
        assertThat(replicaCredentials.node("ds0").replicas().get(0).username()).isEqualTo("reader");
    }

    @Test
    void aNodeOnlyThePropertiesNameFailsTheStartup() {
        DdmProperties properties = properties("ddm.shards=3", "ddm.nodes.ds2.url=jdbc:mysql://db2:3306/");
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> TopologyFactory.create(properties, TWO_NODES))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("ddm.nodes.ds2");
                assertThat(ex.getProblem()).contains("node 'ds2' is configured, but the servers come from connection details")
                    .contains("[ds1, ds0]");
                assertThat(ex.getAction()).contains("Remove ddm.nodes.ds2.*").contains("add node 'ds2'");
            });
    }

    @Test
    void aReplicaOnlyThePropertiesNameFailsTheStartup() {
        DdmProperties properties = properties("ddm.shards=2", "ddm.nodes.ds1.replicas.ds1-r1.weight=2");
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> TopologyFactory.create(properties, TWO_NODES))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("ddm.nodes.ds1.replicas.ds1-r1");
                assertThat(ex.getProblem()).contains("give node 'ds1' only the replicas [ds1-r0]");
            });
    }

    @Test
    void aBadUrlInTheDetailsNamesTheDetailsNotAProperty() {
        DdmConnectionDetails details = new NamedDetails(List.of(
                Node.of("ds0", new Server("jdbc:mysql://10.9.0.1:33051/test", "app", "s0"))));
        assertThatExceptionOfType(DdmConfigurationException.class)
            .isThrownBy(() -> TopologyFactory.create(properties("ddm.shards=1"), details))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("node 'ds0' in connection details (the test's topology)");
                assertThat(ex.getProblem()).contains("names the database 'test'");
                assertThat(ex.getAction()).contains("jdbc:mysql://10.9.0.1:33051/");
            });
        DdmConnectionDetails noUrl = new NamedDetails(List.of(Node.of("ds0", new Server("jdbc:mysql://h:1/", "a", "b"))
            .withReplica("ds0-r0", new Server(null, "a", "b"))));
        assertThatExceptionOfType(DdmConfigurationException.class)
            .isThrownBy(() -> TopologyFactory.create(properties("ddm.shards=1"), noUrl))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("replica 'ds0-r0' of node 'ds0' in connection details (the test's topology)");
                assertThat(ex.getProblem()).isEqualTo("no URL is configured for replica 'ds0-r0'");
                assertThat(ex.getAction()).startsWith("Give the connection details the server's JDBC URL");
            });
    }

    @Test
    void detailsWithoutNodesFailTheStartup() {
        assertThatExceptionOfType(DdmConfigurationException.class)
            .isThrownBy(() -> TopologyFactory.create(properties(), new NamedDetails(List.of())))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("the test's topology");
                assertThat(ex.getProblem()).isEqualTo("the connection details name no node");
            });
    }

    @Test
    void invalidAndDuplicateServerNamesInTheDetailsAreRejected() {
        DdmConnectionDetails badName = new NamedDetails(List.of(Node.of("ds 0", new Server("jdbc:mysql://h:1/", "a", "b"))));
        assertThatExceptionOfType(DdmConfigurationException.class)
            .isThrownBy(() -> TopologyFactory.create(properties("ddm.shards=1"), badName))
            .withMessageContaining("node 'ds 0' in connection details (the test's topology)")
            .withMessageContaining("is not a valid node or replica name");
        DdmConnectionDetails duplicate = new NamedDetails(List.of(Node.of("ds0", new Server("jdbc:mysql://h:1/", "a", "b")),
                Node.of("ds1", new Server("jdbc:mysql://h:2/", "a", "b")).withReplica("ds0", new Server("jdbc:mysql://h:3/", "a", "b"))));
        assertThatExceptionOfType(DdmConfigurationException.class)
            .isThrownBy(() -> TopologyFactory.create(properties("ddm.shards=2"), duplicate))
            .withMessageContaining("replica 'ds0' of node 'ds1'")
            .withMessageContaining("the name 'ds0' is used by another node or replica");
    }

    @Test
    void propertiesBackedDetailsReadDdmNodesWithInheritedReplicaCredentials() {
        DdmProperties properties = properties("ddm.nodes.ds0.url=jdbc:mysql://db0:3306/", "ddm.nodes.ds0.username=u",
                "ddm.nodes.ds0.password=p", "ddm.nodes.ds0.replicas.ds0-r0.url=jdbc:mysql://db0r:3306/",
                "ddm.nodes.ds0.replicas.ds0-r1.url=jdbc:mysql://db0r1:3306/", "ddm.nodes.ds0.replicas.ds0-r1.username=r");
        List<Node> nodes = new PropertiesDdmConnectionDetails(properties).getNodes();
        assertThat(nodes).singleElement().satisfies((node) -> {
            assertThat(node.name()).isEqualTo("ds0");
            assertThat(node.primary()).isEqualTo(new Server("jdbc:mysql://db0:3306/", "u", "p"));
            assertThat(node.replicas()).containsExactly(entry("ds0-r0", new Server("jdbc:mysql://db0r:3306/", "u", "p")),
                    entry("ds0-r1", new Server("jdbc:mysql://db0r1:3306/", "r", "p")));
        });
    }

    @Test
    void serversNeverShowTheirPassword() {
        assertThat(new Server("jdbc:mysql://u:pw@h:1/", "u", "hunter2")).hasToString("jdbc:mysql://h:1/")
            .asString().doesNotContain("hunter2").doesNotContain("pw");
    }

    /** Connection details that describe themselves, as a user's bean might. */
    private record NamedDetails(List<Node> nodes) implements DdmConnectionDetails {

        @Override
        public List<Node> getNodes() {
            return this.nodes;
        }

        @Override
        public String toString() {
            return "the test's topology";
        }

    }

}
