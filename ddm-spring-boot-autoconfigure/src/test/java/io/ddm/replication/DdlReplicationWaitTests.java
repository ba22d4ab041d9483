package io.ddm.replication;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The DDL replication wait without replicating servers: the timeout property, and a
 * wait whose servers cannot be reached. Waiting on real replicas is in {@code DdlIntegrationTests}.
 */
class DdlReplicationWaitTests {

    @Test
    void zeroTimeoutFailsStartupBeforeAnyServerIsContacted() {
        DdmProperties properties = new DdmProperties();
        properties.setSchema("shop");
        DdmProperties.Node node = new DdmProperties.Node();
        // Nothing listens there: startup must fail on the property, not on the server.
        node.setUrl("jdbc:mysql://127.0.0.1:1/?connectTimeout=2000");
        properties.getNodes().put("ds0", node);
        properties.getReadWriteSplitting().setReplicationWaitTimeout(Duration.ZERO);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> DdmDataSourceFactory.create(properties))
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddm.read-write-splitting.replication-wait-timeout"));
    }

    @Test
    void unreachableServersEndTheWaitWithTheReplicasReported() {
        Server primary = new Server("ds0", "ds0", Server.Role.PRIMARY, "jdbc:mysql://127.0.0.1:1/?connectTimeout=2000", "app", "secret", 1,
                Map.of());
        Server replica = new Server("ds0-r0", "ds0", Server.Role.REPLICA, "jdbc:mysql://127.0.0.1:1/?connectTimeout=2000", "app",
                "secret", 1, Map.of());
        try (ReplicaCatchUp catchUp = new ReplicaCatchUp(new Node("ds0", primary, List.of(replica)), Duration.ofSeconds(2))) {
            List<ReplicaCatchUp.Straggler> stragglers = catchUp.await();
            assertThat(stragglers).singleElement().satisfies((straggler) -> {
                assertThat(straggler.replica().name()).isEqualTo("ds0-r0");
                assertThat(straggler.problem()).contains("the binary log position of its primary 'ds0' cannot be read");
            });
            assertThat(catchUp.await()).as("the replica is not waited for again right away").isEmpty();
        }
    }

}
