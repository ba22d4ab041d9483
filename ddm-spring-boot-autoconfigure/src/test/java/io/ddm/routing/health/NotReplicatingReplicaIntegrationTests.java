package io.ddm.routing.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.health.DdmHealthContributor;
import io.ddm.integration.DdmOnServers;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import static io.ddm.integration.DdmOnServers.comSelect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server configured as a replica that replicates from nobody (an empty {@code SHOW SLAVE STATUS}) never catches
 * up: with a maximum lag set it is excluded, reads go to the primary, and health says why. Here node ds0's "replica"
 * is the other primary of the harness, holding a copy of the shard database that nothing updates.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotReplicatingReplicaIntegrationTests {

    private static final String SCHEMA = "it_norepl";

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData(SCHEMA);
        for (DatabaseServer server : topology.primaries()) {
            try (Connection connection = server.connection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + SCHEMA + "_0");
                statement.execute("CREATE TABLE " + SCHEMA + "_0.t_kv (k BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
                statement.execute("INSERT INTO " + SCHEMA + "_0.t_kv VALUES (1, 'on " + server.name() + "')");
            }
        }
        topology.awaitReplication();
    }

    @Test
    void aReplicaWithoutReplicationIsExcludedWhenAMaximumLagIsSet() throws Exception {
        DatabaseServer primary = this.topology.primary(0);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(Duration.ofSeconds(5)))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> !monitor.isInRotation("ds0-r0"), () -> "not replicating, excluded: " + monitor.states());
            ReplicaState state = monitor.states().get("ds0-r0");
            assertThat(state.replicationStopped()).as("%s", state).isTrue();
            assertThat(state.reason()).contains("does not replicate");
            long primarySelects = comSelect(primary);
            assertThat(read(dataSource)).as("read from the primary").isEqualTo("on " + primary.name());
            assertThat(comSelect(primary) - primarySelects - 1).as("reads served by the primary").isEqualTo(1);
            Health health = ((HealthIndicator) new DdmHealthContributor(dataSource, Duration.ofSeconds(2)).getContributor("ds0")).health();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> replicas = (Map<String, Map<String, Object>>) health.getDetails().get("replicas");
            assertThat(replicas.get("ds0-r0")).containsEntry("inReadRotation", false)
                .hasEntrySatisfying("replicationStopped", (reason) -> assertThat((String) reason).contains("does not replicate"));
        }
    }

    @Test
    void withoutAMaximumLagItsReplicationIsNotJudged() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties(null))) {
            ReplicaHealthMonitor monitor = dataSource.getReplicaMonitor().orElseThrow();
            DdmOnServers.await(() -> monitor.states().get("ds0-r0").consecutiveSuccesses() >= 2,
                    () -> "checks passed: " + monitor.states());
            assertThat(monitor.isInRotation("ds0-r0")).isTrue();
            assertThat(read(dataSource)).isEqualTo("on " + this.topology.primary(1).name());
        }
    }

    /** One node: the first primary, with the second primary as its only replica. */
    private DdmProperties properties(Duration maxReplicaLag) {
        DatabaseServer primary = this.topology.primary(0);
        DatabaseServer notReplicating = this.topology.primary(1);
        DdmProperties properties = new DdmProperties();
        properties.setSchema(SCHEMA);
        properties.setShards(1);
        properties.getKeyGenerator().setWorkerId(1);
        DdmProperties.Node node = new DdmProperties.Node();
        node.setUrl(primary.jdbcUrl() + "?connectTimeout=5000&socketTimeout=60000");
        node.setUsername(primary.username());
        node.setPassword(primary.password());
        DdmProperties.Replica replica = new DdmProperties.Replica();
        replica.setUrl(notReplicating.jdbcUrl() + "?connectTimeout=5000&socketTimeout=60000");
        replica.setUsername(notReplicating.username());
        replica.setPassword(notReplicating.password());
        node.getReplicas().put("ds0-r0", replica);
        properties.getNodes().put("ds0", node);
        properties.getReadWriteSplitting().setMaxReplicaLag(maxReplicaLag);
        properties.getReadWriteSplitting().getHealth().setInterval(Duration.ofMillis(300));
        return properties;
    }

    private static String read(DdmDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            select.setLong(1, 1);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

}
