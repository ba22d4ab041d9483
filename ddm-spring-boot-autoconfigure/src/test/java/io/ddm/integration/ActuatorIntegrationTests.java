package io.ddm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/ddm} and {@code /actuator/health} of a real web application over real HTTP, on real
 * replicated servers: the JSON lists the configured topology, route previews point at the physical tables
 * where rows really are, no credential leaks, and health follows servers going down and coming back.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActuatorIntegrationTests {

    /** A password that appears nowhere else, so a leak cannot hide. */
    private static final String PASSWORD = "Zq7-unique-Secret";

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    private DatabaseTopology topology;

    private ConfigurableApplicationContext application;

    private String base;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_actuator");
        for (DatabaseServer primary : topology.primaries()) {
            try (Connection connection = primary.connection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '" + PASSWORD + "'");
                statement.execute("GRANT ALL ON *.* TO 'app'@'%'");
            }
        }
        topology.awaitReplication();
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.jmx.enabled=false",
                "management.endpoints.web.exposure.include=ddm,health", "management.endpoint.health.show-details=always",
                "ddm.schema=it_actuator", "ddm.shards=4", "ddm.create-shard-databases=true", "ddm.key-generator.worker-id=3",
                "ddm.health.timeout=2s",
                // ds0: credentials embedded in the URLs; ds1: as properties.
                "ddm.nodes.ds0.url=" + urlWithCredentials(topology.primary(0)),
                "ddm.nodes.ds0.replicas.ds0-r0.url=" + urlWithCredentials(topology.replicasOf(0).get(0)),
                "ddm.nodes.ds1.url=" + topology.primary(1).jdbcUrl() + DdmOnServers.URL_PARAMETERS,
                "ddm.nodes.ds1.username=app", "ddm.nodes.ds1.password=" + PASSWORD,
                "ddm.nodes.ds1.replicas.ds1-r0.url=" + topology.replicasOf(1).get(0).jdbcUrl() + DdmOnServers.URL_PARAMETERS,
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_order.table-sharding.column=user_id", "ddm.tables.t_order.table-sharding.algorithm=mod-hash",
                "ddm.tables.t_order.table-sharding.tables-per-shard=2", "ddm.tables.t_order.key-generator.column=order_id",
                "ddm.tables.t_order.binding-group=orders",
                "ddm.tables.t_order_item.database-sharding.column=user_id",
                "ddm.tables.t_order_item.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_order_item.table-sharding.column=user_id", "ddm.tables.t_order_item.table-sharding.algorithm=mod-hash",
                "ddm.tables.t_order_item.table-sharding.tables-per-shard=2", "ddm.tables.t_order_item.binding-group=orders",
                "ddm.broadcast-tables=t_region",
                "ddm.tables.t_ticket.database-sharding.column=ticket_id", "ddm.tables.t_ticket.database-sharding.algorithm=mod-hash",
                "ddm.tables.t_ticket.key-generator.column=ticket_id", "ddm.tables.t_ticket.key-generator.type=sequence",
                "ddm.key-generator.sequence.block-size=50"));
        this.application = new SpringApplicationBuilder(WebApplication.class).properties(properties.toArray(String[]::new)).run();
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) this.application).getWebServer().getPort();
        DdmOnServers.execute(this.application.getBean(DataSource.class),
                "CREATE TABLE t_order (order_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, amount INT NOT NULL)",
                "CREATE TABLE t_order_item (item_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL)",
                "CREATE TABLE t_region (region_id INT PRIMARY KEY, name VARCHAR(20))",
                "CREATE TABLE t_setting (name VARCHAR(20) PRIMARY KEY, value VARCHAR(20))",
                "CREATE TABLE t_ticket (ticket_id BIGINT PRIMARY KEY, title VARCHAR(20))");
        for (long user = 0; user < 24; user++) {
            DdmOnServers.execute(this.application.getBean(DataSource.class),
                    "INSERT INTO t_order (user_id, amount) VALUES (" + user + ", 1)");
        }
    }

    private static String urlWithCredentials(DatabaseServer server) {
        return "jdbc:mysql://app:" + PASSWORD + "@" + server.host() + ":" + server.port() + "/" + DdmOnServers.URL_PARAMETERS;
    }

    @AfterAll
    void stop() {
        if (this.application != null) {
            this.application.close();
        }
    }

    @AfterEach
    void restore() {
        this.topology.restore();
    }

    @Test
    void topologyListsTheConfiguredNodesShardsAndPhysicalTablesWithoutSecrets() throws Exception {
        HttpResponse<String> response = get("/actuator/ddm");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(PASSWORD).doesNotContain("app:").doesNotContain("\"app\"");
        JsonNode body = this.json.readTree(response.body());
        assertThat(body.get("schema").asText()).isEqualTo("it_actuator");
        assertThat(body.get("nodes")).hasSize(2);
        assertThat(body.get("shards")).hasSize(4);
        JsonNode ds0 = body.get("nodes").get(0);
        assertThat(ds0.get("name").asText()).isEqualTo("ds0");
        assertThat(ds0.get("shards")).extracting(JsonNode::asInt).containsExactly(0, 1);
        assertThat(ds0.get("primary").get("address").asText()).isEqualTo("127.0.0.1:" + this.topology.primary(0).port());
        assertThat(ds0.get("primary").get("state").asText()).isEqualTo("UP");
        assertThat(ds0.get("primary").get("url").asText()).isEqualTo("******");
        assertThat(ds0.get("replicas").get(0).get("name").asText()).isEqualTo("ds0-r0");
        JsonNode tables = body.get("tables");
        assertThat(tables.get("t_order").get("kind").asText()).isEqualTo("sharded");
        assertThat(tables.get("t_order").get("bindingGroup").asText()).isEqualTo("orders");
        assertThat(tables.get("t_order").get("dataNodes")).hasSize(8);
        assertThat(tables.get("t_order").get("dataNodes").get(7).asText()).isEqualTo("ds1.it_actuator_3.t_order_7");
        assertThat(tables.get("t_order_item").get("dataNodes")).hasSize(8);
        assertThat(tables.get("t_region").get("kind").asText()).isEqualTo("broadcast");
        assertThat(tables.get("t_region").get("dataNodes")).hasSize(4);
        assertThat(tables.get("t_setting").get("kind").asText()).isEqualTo("single");
        assertThat(tables.get("t_setting").get("dataNodes").get(0).asText()).isEqualTo("ds0.it_actuator_0.t_setting");
        assertThat(body.get("keyGenerators").get("t_order").get("column").asText()).isEqualTo("order_id");
        assertThat(body.get("readWriteSplitting").get("loadBalancer").asText()).isEqualTo("round-robin");
    }

    @Test
    void sequencesShowTheirPositionAndMoveForwardButNotBack() throws Exception {
        DataSource dataSource = this.application.getBean(DataSource.class);
        DdmOnServers.execute(dataSource, "INSERT INTO t_ticket (title) VALUES ('first')");
        JsonNode sequence = this.json.readTree(get("/actuator/ddm").body()).get("sequences").get(0);
        assertThat(sequence.get("name").asText()).isEqualTo("t_ticket");
        assertThat(sequence.get("table").asText()).isEqualTo("t_ticket");
        assertThat(sequence.get("column").asText()).isEqualTo("ticket_id");
        assertThat(sequence.get("next").asLong()).isEqualTo(2);
        assertThat(sequence.get("blockEnd").asLong()).isEqualTo(51);
        assertThat(sequence.get("blockSize").asInt()).isEqualTo(50);
        assertThat(sequence.get("server").asText()).isEqualTo("ds0");
        assertThat(this.json.readTree(get("/actuator/ddm").body()).get("tables").has("_ddm_sequence"))
            .as("DDM's own table is not the application's").isFalse();

        HttpResponse<String> moved = post("/actuator/ddm/sequences/t_ticket", "{\"value\": 1000}");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(this.json.readTree(moved.body()).get("firstUnreserved").asLong()).isEqualTo(1000);
        DdmOnServers.execute(dataSource, "INSERT INTO t_ticket (title) VALUES ('second')");
        assertThat(DdmOnServers.query(dataSource, "SELECT ticket_id FROM t_ticket WHERE title = 'second'").get(0).get(0))
            .hasToString("1000");
        assertThat(this.application.getBean(io.ddm.keygen.DdmSequences.class).states()).singleElement()
            .satisfies((state) -> assertThat(state.next()).isEqualTo(1001));

        HttpResponse<String> back = post("/actuator/ddm/sequences/t_ticket", "{\"value\": 10}");
        assertThat(back.statusCode()).isEqualTo(400);
        assertThat(this.application.getBean(io.ddm.keygen.DdmSequences.class).states()).singleElement()
            .satisfies((state) -> assertThat(state.next()).as("a refused move changes nothing").isEqualTo(1001));
        assertThat(post("/actuator/ddm/sequences/t_nothing", "{\"value\": 10}").statusCode()).isEqualTo(404);
        assertThat(post("/actuator/ddm/other/t_ticket", "{\"value\": 10}").statusCode()).isEqualTo(404);
    }

    @Test
    void oneTableAndNotFound() throws Exception {
        HttpResponse<String> table = get("/actuator/ddm/tables/t_order");
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(this.json.readTree(table.body()).get("databaseSharding").get("algorithm").asText()).isEqualTo("mod-hash");
        assertThat(get("/actuator/ddm/tables/t_nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void keyRoutePreviewPointsAtThePhysicalTableHoldingTheRow() throws Exception {
        for (long user : List.of(3L, 15L, 22L)) {
            HttpResponse<String> response = get("/actuator/ddm/tables/t_order/" + user);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode route = this.json.readTree(response.body());
            assertThat(route.get("route").asText()).isEqualTo("single-shard");
            JsonNode unit = route.get("units").get(0);
            DatabaseServer primary = this.topology.primary(unit.get("node").asText().equals("ds0") ? 0 : 1);
            assertThat(DdmOnServers.rows(primary, unit.get("database").asText(),
                    "SELECT COUNT(*) FROM " + unit.get("tables").get(0).asText() + " WHERE user_id = " + user))
                .as("user %s previewed in %s", user, unit)
                .containsExactly(List.of(1L));
        }
        assertThat(get("/actuator/ddm/tables/t_order/not-a-number").statusCode()).isEqualTo(400);
    }

    @Test
    void sqlRoutePreviewClassifiesSingleMultiAndScatterRoutes() throws Exception {
        JsonNode scatter = postSql("{\"sql\": \"SELECT COUNT(*) FROM t_order\"}");
        assertThat(scatter.get("route").asText()).isEqualTo("all-shards");
        assertThat(scatter.get("shards").asInt()).isEqualTo(4);
        // ShardingSphere merges each shard's two tables into one UNION ALL statement: 4 statements, 8 tables.
        assertThat(scatter.get("units")).hasSize(4);
        List<String> tables = new ArrayList<>();
        scatter.get("units").forEach((unit) -> unit.get("tables").forEach((table) -> tables.add(table.asText())));
        assertThat(tables).containsExactlyInAnyOrder("t_order_0", "t_order_1", "t_order_2", "t_order_3", "t_order_4", "t_order_5",
                "t_order_6", "t_order_7");
        JsonNode multi = postSql("{\"sql\": \"SELECT * FROM t_order WHERE user_id IN (?, ?)\", \"parameters\": \"1, 2\"}");
        assertThat(multi.get("route").asText()).isEqualTo("multi-shard");
        assertThat(multi.get("shards").asInt()).isEqualTo(2);
        JsonNode single = postSql("{\"sql\": \"UPDATE t_order SET amount = 2 WHERE user_id = ?\", \"parameters\": \"5\"}");
        assertThat(single.get("route").asText()).isEqualTo("single-shard");
        // user 5 -> table 5 of 8 -> shard 2, hosted by ds1; writes go to the primary.
        assertThat(single.get("units").get(0).get("server").asText()).isEqualTo("ds1");
        assertThat(single.get("units").get(0).get("sql").asText()).contains("t_order_5");
        assertThat(DdmOnServers.rows(this.topology.primary(1), "it_actuator_2", "SELECT amount FROM t_order_5 WHERE user_id = 5"))
            .as("the preview executed nothing")
            .containsExactly(List.of(1));
        assertThat(post("/actuator/ddm", "{\"sql\": \"SELEKT nonsense\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void healthFollowsReplicasAndPrimariesGoingDownAndComingBack() throws Exception {
        JsonNode initial = health("/actuator/health/ddm");
        assertThat(initial.get("status").asText()).as(initial.toString()).isEqualTo("UP");

        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        replica.stop();
        JsonNode node = health("/actuator/health/ddm/ds0");
        assertThat(node.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(node.get("details").get("primary").get("status").asText()).isEqualTo("UP");
        assertThat(node.get("details").get("replicas").get("ds0-r0").get("status").asText()).isEqualTo("DOWN");
        assertThat(node.get("details").get("replicas").get("ds0-r0").get("error").asText()).isNotBlank();
        assertThat(health("/actuator/health/ddm").get("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health").statusCode()).as("the application stays UP").isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                health("/actuator/health/ddm/ds0").get("details").get("replicas").get("ds0-r0").get("inReadRotation").asBoolean())
            .as("routing took the replica out of the read rotation").isFalse());
        DdmOnServers.execute(this.application.getBean(DataSource.class), "INSERT INTO t_order (user_id, amount) VALUES (100, 1)");
        replica.start();
        // A probe still finishing its bounded attempt from the outage may answer once more: UP follows within
        // about twice ddm.health.timeout.
        awaitStatus("/actuator/health/ddm/ds0", "UP");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                health("/actuator/health/ddm/ds0").get("details").get("replicas").get("ds0-r0").get("inReadRotation").asBoolean())
            .as("the replica is back in the read rotation").isTrue());

        this.topology.primary(1).stop();
        HttpResponse<String> down = get("/actuator/health/ddm");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode ddm = this.json.readTree(down.body());
        assertThat(ddm.get("status").asText()).isEqualTo("DOWN");
        assertThat(ddm.get("components").get("ds1").get("status").asText()).isEqualTo("DOWN");
        assertThat(ddm.get("components").get("ds1").get("details").get("primary").get("error").asText()).isNotBlank();
        assertThat(ddm.get("components").get("ds0").get("status").asText()).isEqualTo("UP");
        assertThat(health("/actuator/health/db").get("status").asText()).as("db judges the DDM DataSource by its servers")
            .isEqualTo("DOWN");
        this.topology.primary(1).start();
        awaitStatus("/actuator/health/ddm", "UP");
    }

    @Test
    void aHungServerIsReportedDownWithoutHangingTheHealthCheck() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        replica.freeze();
        JsonNode node = health("/actuator/health/ddm/ds1");
        assertThat(node.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(node.get("details").get("replicas").get("ds1-r0").get("status").asText()).isEqualTo("DOWN");
        replica.unfreeze();
        awaitStatus("/actuator/health/ddm/ds1", "UP");
    }

    private void awaitStatus(String path, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> {
                JsonNode health = health(path);
                assertThat(health.get("status").asText()).as(health.toString()).isEqualTo(status);
            });
    }

    private JsonNode health(String path) throws IOException, InterruptedException {
        return this.json.readTree(get(path).body());
    }

    private JsonNode postSql(String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/actuator/ddm", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApplication {

    }

}
