package io.ddm.integration;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.datasource.NodeUnavailableException;
import io.ddm.endpoint.DdmEndpoint;
import io.ddm.endpoint.TopologyDescriptor;
import io.ddm.endpoint.TopologyDescriptor.NodeDescriptor;
import io.ddm.health.DdmHealthContributor;
import io.ddm.health.DdmHealthStatus;
import io.ddm.metrics.DdmMetrics;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A spare node: ds1 (with its replica) is declared, but {@code ddm.placement} puts all 4 shards on ds0, so ds1
 * holds none. DDM starts, routes every row and every DDL statement to ds0 only, creates nothing on ds1, and still
 * checks ds1's servers: the endpoint lists ds1 with no shards, health shows its state. Its primary stopped before
 * startup does not fail the startup (nothing routes to it): health then shows ds1 SPARE_DOWN. The same server stopped
 * while its node holds a shard still fails the startup.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpareNodeIntegrationTests {

    private static final String SCHEMA = "it_spare";

    private static final int SHARDS = 4;

    private static final int ROWS = 16;

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @BeforeEach
    void reset() {
        this.topology.resetData(SCHEMA);
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @Test
    void spareNodeHoldsNothingButIsListedAndChecked() throws SQLException {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties())) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                    "CREATE TABLE t_region (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO t_region VALUES (1, 'north')");
            for (long k = 0; k < ROWS; k++) {
                DdmOnServers.execute(dataSource, "INSERT INTO t_kv VALUES (" + k + ", 'v" + k + "')");
            }
            for (int shard = 0; shard < SHARDS; shard++) {
                assertThat(DdmOnServers.count(this.topology.primary(0), SCHEMA + "_" + shard, "t_kv")).isEqualTo(ROWS / SHARDS);
                assertThat(DdmOnServers.count(this.topology.primary(0), SCHEMA + "_" + shard, "t_region")).isEqualTo(1);
            }
            assertThat(((Number) DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM t_kv").get(0).get(0)).longValue()).isEqualTo(ROWS);
            this.topology.awaitReplication();
            assertThat(databases(this.topology.primary(1))).isEmpty();
            assertThat(databases(this.topology.replicasOf(1).get(0))).isEmpty();
            assertThat(dataSource.getPhysicalDataSources().pools()).extracting((pool) -> pool.server().node()).containsOnly("ds0");

            NodeDescriptor spare = ddmEndpoint(dataSource).nodes().get(1);
            assertThat(spare.name()).isEqualTo("ds1");
            assertThat(spare.shards()).isEmpty();
            assertThat(spare.primary().state()).isEqualTo("UP");
            assertThat(spare.primary().databases()).isEmpty();
            assertThat(spare.replicas()).extracting(TopologyDescriptor.ServerDescriptor::state).containsExactly("UP");

            Health health = nodeHealth(dataSource, "ds1");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("shards")).isEqualTo(List.of());
            assertThat(nodeHealth(dataSource, "ds0").getDetails().get("shards"))
                .isEqualTo(List.of("it_spare_0", "it_spare_1", "it_spare_2", "it_spare_3"));
        }
    }

    @Test
    void spareNodeDownAtStartupDoesNotFailTheStartupAndShowsDown() throws SQLException {
        DatabaseServer spare = this.topology.primary(1);
        spare.stop();
        DdmProperties holdingShards = properties();
        holdingShards.getPlacement().put("ds0", List.of(0, 1, 2));
        holdingShards.getPlacement().put("ds1", List.of(3));
        assertThatExceptionOfType(NodeUnavailableException.class).isThrownBy(() -> DdmDataSourceFactory.create(holdingShards))
            .satisfies((ex) -> assertThat(ex.getNode()).isEqualTo("ds1"));
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties())) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                    "INSERT INTO t_kv VALUES (100, 'while ds1 is down')");
            // The read goes to ds0's replica: wait until it has the row (replicas of a stopped primary are skipped).
            this.topology.awaitReplication();
            assertThat(DdmOnServers.query(dataSource, "SELECT v FROM t_kv WHERE k = 100").get(0).get(0)).isEqualTo("while ds1 is down");

            Health health = nodeHealth(dataSource, "ds1");
            assertThat(health.getStatus()).isEqualTo(DdmHealthStatus.SPARE_DOWN);
            assertThat(health.getDetails().get("shards")).isEqualTo(List.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> primary = (Map<String, Object>) health.getDetails().get("primary");
            assertThat(primary).containsEntry("status", "DOWN").containsEntry("failingFast", true);
            assertThat(nodeHealth(dataSource, "ds0").getStatus()).isEqualTo(Status.UP);
            assertThat(ddmEndpoint(dataSource).nodes().get(1).primary().state()).isEqualTo("DOWN");

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new DdmMetrics(dataSource).bindTo(registry);
            assertThat(registry.get("ddm.primary.available").tag("node", "ds1").gauge().value()).isZero();
            assertThat(registry.get("ddm.primary.available").tag("node", "ds0").gauge().value()).isEqualTo(1);
            assertThat(registry.find("ddm.pool.connections.max").tag("node", "ds1").gauges()).isEmpty();

            spare.start();
            DdmOnServers.await(() -> nodeHealth(dataSource, "ds1").getStatus().equals(Status.UP), () -> "ds1 UP again");
            DdmOnServers.await(() -> dataSource.getPrimaryMonitor().orElseThrow().isAvailable("ds1"), () -> "ds1 recorded up");
        }
    }

    /** Every server of the harness; all 4 shards on ds0, ds1 and its replica hold none. */
    private DdmProperties properties() {
        DdmProperties properties = new DdmOnServers(this.topology, SCHEMA, SHARDS).table("t_kv", "k", "mod-hash", null, null, null)
            .properties();
        properties.getPlacement().put("ds0", List.of(0, 1, 2, 3));
        properties.getBroadcastTables().add("t_region");
        properties.getPrimaryHealth().setInterval(Duration.ofMillis(200));
        properties.getPrimaryHealth().setTimeout(Duration.ofSeconds(2));
        return properties;
    }

    private static TopologyDescriptor ddmEndpoint(DdmDataSource dataSource) {
        return new DdmEndpoint(dataSource, List.of(), Show.NEVER, Set.of(), Duration.ofSeconds(2)).topology(SecurityContext.NONE);
    }

    private static Health nodeHealth(DdmDataSource dataSource, String node) {
        return ((HealthIndicator) new DdmHealthContributor(dataSource, Duration.ofSeconds(2)).getContributor(node)).health();
    }

    private static List<String> databases(DatabaseServer server) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema",
                "SELECT SCHEMA_NAME FROM SCHEMATA WHERE SCHEMA_NAME LIKE '" + SCHEMA + "\\_%'")) {
            result.add(row.get(0).toString());
        }
        return result;
    }

}
