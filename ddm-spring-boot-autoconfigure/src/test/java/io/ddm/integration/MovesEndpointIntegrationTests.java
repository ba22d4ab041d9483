package io.ddm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddm.move.ShardMoves;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/ddm/moves} over real HTTP in a web application on three real servers, ds2 holding no shard: refused
 * with a message naming {@code ddm.moves.enabled} until it is set; then {@code POST {"shard": 1, "target": "ds2"}}
 * answers the move's descriptor at once, the move can be followed in {@code GET /moves} and {@code GET /moves/{id}}
 * until DONE, {@code /actuator/ddm} shows shard 1 on ds2 (configured on ds0), a finished move cannot be aborted, bad
 * requests answer 400 and unknown moves 404; the {@code ShardMoves} bean and the {@code ddm.moves} metrics are there.
 */
@RequiresDatabaseServers(primaries = 3, replicasPerPrimary = 0)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MovesEndpointIntegrationTests {

    private static final String SCHEMA = "it_moves_http";

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    private DatabaseTopology topology;

    private ConfigurableApplicationContext application;

    private String base;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @BeforeEach
    void reset() {
        this.topology.resetData(SCHEMA);
    }

    @AfterEach
    void stop() {
        if (this.application != null) {
            this.application.close();
        }
        this.topology.resetData(SCHEMA);
    }

    @Test
    void movesAreRefusedOverHttpUnlessEnabled() throws Exception {
        start(false);
        HttpResponse<String> refused = post("/actuator/ddm/moves", "{\"shard\": 1, \"target\": \"ds2\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(this.json.readTree(refused.body()).get("error").asText()).contains("ddm.moves.enabled=true");
        assertThat(get("/actuator/ddm/moves").body()).isEqualTo("[]");
        assertThat(this.application.getBean(ShardMoves.class).list()).isEmpty();
    }

    @Test
    void aMoveStartedOverHttpIsFollowedToDone() throws Exception {
        start(true);
        DataSource dataSource = this.application.getBean(DataSource.class);
        DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
        for (long k = 0; k < 40; k++) {
            DdmOnServers.execute(dataSource, "INSERT INTO t_kv VALUES (" + k + ", 'v" + k + "')");
        }

        HttpResponse<String> started = post("/actuator/ddm/moves", "{\"shard\": 1, \"target\": \"ds2\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode move = this.json.readTree(started.body());
        String id = move.get("id").asText();
        assertThat(move.get("shard").asInt()).isEqualTo(1);
        assertThat(move.get("source").asText()).isEqualTo("ds0");
        assertThat(move.get("target").asText()).isEqualTo("ds2");
        assertThat(move.get("error").isNull()).isTrue();
        for (String field : List.of("state", "rowsCopied", "rowsTotal", "catchUpLagMillis", "writesPausedMillis")) {
            assertThat(move.has(field)).as(field).isTrue();
        }
        JsonNode listed = this.json.readTree(get("/actuator/ddm/moves").body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);

        DdmOnServers.await(() -> state(id).matches("DONE|FAILED|ABORTED"), () -> "move " + id + " ends");
        JsonNode done = this.json.readTree(get("/actuator/ddm/moves/" + id).body());
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.get("rowsCopied").asLong()).isEqualTo(10);
        assertThat(done.get("rowsTotal").asLong()).isEqualTo(10);
        assertThat(done.get("writesPausedMillis").isNumber()).isTrue();

        JsonNode shard = this.json.readTree(get("/actuator/ddm").body()).get("shards").get(1);
        assertThat(shard.get("index").asInt()).isEqualTo(1);
        assertThat(shard.get("node").asText()).isEqualTo("ds2");
        assertThat(shard.get("configuredNode").asText()).isEqualTo("ds0");
        assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_1", "t_kv")).isEqualTo(10);
        assertThat(DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM t_kv").get(0).get(0).toString()).isEqualTo("40");

        HttpResponse<String> abortDone = delete("/actuator/ddm/moves/" + id);
        assertThat(abortDone.statusCode()).isEqualTo(409);
        assertThat(abortDone.body()).contains("DONE");
        assertThat(delete("/actuator/ddm/moves/nope").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/ddm/moves/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> badShard = post("/actuator/ddm/moves", "{\"shard\": 9, \"target\": \"ds2\"}");
        assertThat(badShard.statusCode()).isEqualTo(400);
        assertThat(badShard.body()).contains("Shard 9 does not exist");
        HttpResponse<String> badNode = post("/actuator/ddm/moves", "{\"shard\": 2, \"target\": \"ds9\"}");
        assertThat(badNode.statusCode()).isEqualTo(400);
        assertThat(badNode.body()).contains("'ds9' is not declared");
        // The table's route preview follows the move.
        assertThat(this.json.readTree(get("/actuator/ddm/tables/t_kv").body()).get("name").asText()).isEqualTo("t_kv");

        MeterRegistry registry = this.application.getBean(MeterRegistry.class);
        assertThat(registry.get("ddm.moves").tag("state", "DONE").gauge().value()).isEqualTo(1);
        assertThat(registry.get("ddm.move.rows.copied").gauge().value()).isEqualTo(10);
    }

    private String state(String id) {
        try {
            return this.json.readTree(get("/actuator/ddm/moves/" + id).body()).get("state").asText();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void start(boolean movesEnabled) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.jmx.enabled=false",
                "management.endpoints.web.exposure.include=ddm,health", "ddm.schema=" + SCHEMA, "ddm.shards=4",
                "ddm.create-shard-databases=true", "ddm.key-generator.worker-id=3", "ddm.placement.ds0=0,1", "ddm.placement.ds1=2,3",
                "ddm.moves.enabled=" + movesEnabled, "ddm.tables.t_kv.database-sharding.column=k",
                "ddm.tables.t_kv.database-sharding.algorithm=mod-hash"));
        this.topology.ddmNodeProperties(DdmOnServers.URL_PARAMETERS).forEach((key, value) -> properties.add(key + "=" + value));
        this.application = new SpringApplicationBuilder(ActuatorIntegrationTests.WebApplication.class)
            .properties(properties.toArray(String[]::new)).run();
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) this.application).getWebServer().getPort();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

}
