package io.ddm.sample;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application on real replicated servers (2 nodes, each a primary with a replica), driven over real HTTP
 * as a client would: orders come back as placed, all orders of a user live in the one shard and physical tables the
 * answers name (checked on the servers themselves), the report across shards adds up to what was written, and
 * {@code /actuator/ddm} shows the configured topology. Subclasses wire the servers in as a profile would.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@DirtiesContext
abstract class OrderApiIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final DatabaseTopology topology = DatabaseServers.topology(2, 1);

    @LocalServerPort
    private int port;

    @Test
    void ordersOfAUserLiveInTheOneShardTheAnswersName() throws Exception {
        Map<Long, Response> users = usersOnBothNodes();
        Map<Long, List<JsonNode>> placed = new LinkedHashMap<>();
        for (Map.Entry<Long, Response> user : users.entrySet()) {
            long userId = user.getKey();
            for (int n = 1; n <= 2; n++) {
                Response order = post("/users/" + userId + "/orders", orderBody(n));
                assertThat(order.status()).isEqualTo(201);
                assertThat(order.body().get("userId").asLong()).isEqualTo(userId);
                assertThat(order.body().get("total").decimalValue()).isEqualByComparingTo(expectedTotal(n));
                assertThat(order.body().get("items")).hasSize(n);
                assertThat(order.shard()).as("the order is in its user's shard").isEqualTo(user.getValue().shard());
                assertThat(order.route()).isEqualTo("single-shard");
                placed.computeIfAbsent(userId, (id) -> new ArrayList<>()).add(order.body());
            }
        }
        // Reads outside a transaction are served by the replicas.
        this.topology.awaitReplication();
        List<String> orderDataNodes = dataNodes("t_order");
        for (Map.Entry<Long, List<JsonNode>> entry : placed.entrySet()) {
            long userId = entry.getKey();
            String shard = users.get(userId).shard();
            for (JsonNode order : entry.getValue()) {
                Response read = get("/users/" + userId + "/orders/" + order.get("orderId").asLong());
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.body()).isEqualTo(order);
                assertThat(read.route()).isEqualTo("single-shard");
                assertThat(read.shard()).isEqualTo(shard);
            }
            Response list = get("/users/" + userId + "/orders");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.route()).isEqualTo("single-shard");
            assertThat(list.shard()).isEqualTo(shard);
            assertThat(orderIds(list.body())).containsExactlyInAnyOrderElementsOf(orderIds(entry.getValue()));

            // On the servers themselves: every order of the user is in the physical table the answers named, on the
            // node they named (primary and replica), and in no other physical table of any shard.
            String node = list.header("X-DDM-Node");
            String table = list.header("X-DDM-Tables").split(",")[0];
            assertThat(table).startsWith("t_order_");
            for (String dataNode : orderDataNodes) {
                String[] parts = dataNode.split("\\.");
                boolean named = parts[0].equals(node) && parts[1].equals(shard) && parts[2].equals(table);
                DatabaseServer primary = this.topology.primary(Integer.parseInt(parts[0].substring("ds".length())));
                List<Long> rows = orderIdsIn(primary, parts[1], parts[2], userId);
                if (named) {
                    assertThat(rows).as(dataNode).containsExactlyInAnyOrderElementsOf(orderIds(entry.getValue()));
                    DatabaseServer replica = this.topology.replicasOf(Integer.parseInt(parts[0].substring("ds".length()))).get(0);
                    assertThat(orderIdsIn(replica, parts[1], parts[2], userId)).as("replica of " + dataNode)
                        .containsExactlyInAnyOrderElementsOf(rows);
                    assertThat(itemCount(primary, parts[1], table.replace("t_order_", "t_order_item_"), userId))
                        .isEqualTo(entry.getValue().stream().mapToInt((order) -> order.get("items").size()).sum());
                }
                else {
                    assertThat(rows).as(dataNode).isEmpty();
                }
            }
        }
    }

    @Test
    void reportAcrossAllShardsAddsUpWhatWasWritten() throws Exception {
        this.topology.awaitReplication();
        Map<String, Totals> before = report();
        Map<String, Totals> expected = new HashMap<>();
        String[] regions = { "EU", "NA", "APAC" };
        for (int u = 0; u < 6; u++) {
            String region = regions[u % regions.length];
            long userId = post("/users", "{\"name\": \"report-" + u + "\", \"region\": \"" + region + "\"}").body().get("userId").asLong();
            for (int n = 1; n <= 1 + u % 3; n++) {
                assertThat(post("/users/" + userId + "/orders", orderBody(n)).status()).isEqualTo(201);
                expected.merge(region, new Totals(1, expectedTotal(n)), Totals::plus);
            }
        }
        this.topology.awaitReplication();
        Response response = get("/reports/revenue-by-region");
        assertThat(response.route()).isEqualTo("all-shards");
        assertThat(response.shard()).isEqualTo("shop_0,shop_1,shop_2,shop_3");
        Map<String, Totals> after = totals(response.body());
        for (String region : regions) {
            Totals added = after.get(region).minus(before.getOrDefault(region, Totals.NONE));
            assertThat(added.orders()).as(region).isEqualTo(expected.get(region).orders());
            assertThat(added.revenue()).as(region).isEqualByComparingTo(expected.get(region).revenue());
        }
        long orders = after.values().stream().mapToLong(Totals::orders).sum();
        assertThat(response.body().get("orders").asLong()).isEqualTo(orders);
    }

    @Test
    void endpointShowsTheConfiguredTopology() throws Exception {
        JsonNode ddm = get("/actuator/ddm").body();
        assertThat(ddm.get("schema").asString()).isEqualTo("shop");
        assertThat(ddm.get("shardCount").asInt()).isEqualTo(4);
        assertThat(ddm.get("nodes")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode node = ddm.get("nodes").get(i);
            DatabaseServer primary = this.topology.primary(i);
            assertThat(node.get("name").asString()).isEqualTo("ds" + i);
            assertThat(node.at("/primary/address").asString()).isEqualTo(primary.host() + ":" + primary.port());
            assertThat(node.at("/primary/state").asString()).isEqualTo("UP");
            assertThat(node.get("replicas")).hasSize(1);
            assertThat(node.at("/replicas/0/name").asString()).isEqualTo("ds" + i + "-r0");
        }
        assertThat(ddm.at("/tables/t_order/kind").asString()).isEqualTo("sharded");
        assertThat(ddm.at("/tables/t_order/bindingGroup").asString()).isEqualTo("orders");
        assertThat(ddm.at("/tables/t_order/tablesPerShard").asInt()).isEqualTo(2);
        assertThat(dataNodes("t_order")).hasSize(8).contains("ds0.shop_0.t_order_0", "ds1.shop_3.t_order_7");
        assertThat(dataNodes("t_order_item")).hasSize(8);
        assertThat(dataNodes("t_user")).containsExactly("ds0.shop_0.t_user", "ds0.shop_1.t_user", "ds1.shop_2.t_user",
                "ds1.shop_3.t_user");
        assertThat(ddm.at("/tables/t_region/kind").asString()).isEqualTo("broadcast");
        assertThat(ddm.at("/keyGenerators/t_order/type").asString()).isEqualTo("snowflake");
    }

    @Test
    void healthAndMetricsCoverEveryServer() throws Exception {
        Response health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().at("/components/ddm/components/ds0/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/ddm/components/ds1/status").asString()).isEqualTo("UP");
        post("/users", "{\"name\": \"metrics\", \"region\": \"EU\"}");
        JsonNode statements = get("/actuator/metrics/ddm.statements.logical").body();
        assertThat(statements.at("/measurements/0/value").asDouble()).isPositive();
        JsonNode pools = get("/actuator/metrics/ddm.pool.connections.max").body();
        Set<String> servers = new HashSet<>();
        pools.get("availableTags").forEach((tag) -> {
            if (tag.get("tag").asString().equals("server")) {
                tag.get("values").forEach((value) -> servers.add(value.asString()));
            }
        });
        assertThat(servers).containsExactlyInAnyOrder("ds0", "ds0-r0", "ds1", "ds1-r0");
    }

    @Test
    void unknownUsersOrdersAndRegionsAreRejected() throws Exception {
        assertThat(post("/users", "{\"name\": \"nowhere\", \"region\": \"MARS\"}").status()).isEqualTo(400);
        assertThat(post("/users", "{\"name\": \"\", \"region\": \"EU\"}").status()).isEqualTo(400);
        assertThat(post("/users/42/orders", orderBody(1)).status()).isEqualTo(404);
        long userId = post("/users", "{\"name\": \"no orders\", \"region\": \"NA\"}").body().get("userId").asLong();
        Response empty = post("/users/" + userId + "/orders", "{\"items\": []}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().get("detail").asString()).isEqualTo("items: must not be empty");
        Response negative = post("/users/" + userId + "/orders",
                "{\"items\": [{\"product\": \"pen\", \"quantity\": -1, \"unitPrice\": 1.00}]}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().get("detail").asString()).isEqualTo("items[0].quantity: must be greater than or equal to 1");
        assertThat(negative.body().get("errors").get(0).get("field").asString()).isEqualTo("items[0].quantity");
        this.topology.awaitReplication();
        assertThat(get("/users/" + userId + "/orders/1").status()).isEqualTo(404);
        assertThat(get("/users/" + userId + "/orders").body()).isEmpty();
    }

    /** Creates users until both nodes hold some: user ids come from a sequence, their shard is the id modulo 4. */
    private Map<Long, Response> usersOnBothNodes() throws Exception {
        Map<Long, Response> users = new LinkedHashMap<>();
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 40 && (users.size() < 4 || nodes.size() < 2); i++) {
            Response user = post("/users", "{\"name\": \"user-" + i + "\", \"region\": \"EU\"}");
            assertThat(user.status()).isEqualTo(201);
            assertThat(user.route()).isEqualTo("single-shard");
            users.put(user.body().get("userId").asLong(), user);
            nodes.add(user.header("X-DDM-Node"));
        }
        assertThat(nodes).containsExactlyInAnyOrder("ds0", "ds1");
        return users;
    }

    /** An order of n items: item k is k pieces at k times 1.25. */
    private static String orderBody(int n) {
        List<String> items = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            items.add("{\"product\": \"product-" + k + "\", \"quantity\": " + k + ", \"unitPrice\": " + new BigDecimal("1.25").multiply(
                    BigDecimal.valueOf(k)) + "}");
        }
        return "{\"items\": [" + String.join(", ", items) + "]}";
    }

    private static BigDecimal expectedTotal(int n) {
        BigDecimal total = BigDecimal.ZERO;
        for (int k = 1; k <= n; k++) {
            total = total.add(new BigDecimal("1.25").multiply(BigDecimal.valueOf((long) k * k)));
        }
        return total;
    }

    private static List<Long> orderIds(Iterable<JsonNode> orders) {
        List<Long> ids = new ArrayList<>();
        orders.forEach((order) -> ids.add(order.get("orderId").asLong()));
        return ids;
    }

    private List<String> dataNodes(String table) throws Exception {
        List<String> nodes = new ArrayList<>();
        get("/actuator/ddm").body().at("/tables/" + table + "/dataNodes").forEach((node) -> nodes.add(node.asString()));
        return nodes;
    }

    private static List<Long> orderIdsIn(DatabaseServer server, String database, String table, long userId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = server.connection(database);
                PreparedStatement statement = connection.prepareStatement("SELECT order_id FROM " + table + " WHERE user_id = ?")) {
            statement.setLong(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static int itemCount(DatabaseServer server, String database, String table, long userId) throws SQLException {
        try (Connection connection = server.connection(database);
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?")) {
            statement.setLong(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private Map<String, Totals> report() throws Exception {
        return totals(get("/reports/revenue-by-region").body());
    }

    private static Map<String, Totals> totals(JsonNode report) {
        Map<String, Totals> totals = new HashMap<>();
        report.get("regions").forEach((line) -> totals.put(line.get("region").asString(),
                new Totals(line.get("orders").asLong(), line.get("revenue").decimalValue())));
        return totals;
    }

    private record Totals(long orders, BigDecimal revenue) {

        static final Totals NONE = new Totals(0, BigDecimal.ZERO);

        Totals plus(Totals other) {
            return new Totals(this.orders + other.orders, this.revenue.add(other.revenue));
        }

        Totals minus(Totals other) {
            return new Totals(this.orders - other.orders, this.revenue.subtract(other.revenue));
        }

    }

    private Response post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(TIMEOUT);
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response, this.json.readTree(response.body()));
    }

    private record Response(int status, HttpResponse<String> raw, JsonNode body) {

        String header(String name) {
            return this.raw.headers().firstValue(name).orElse(null);
        }

        String route() {
            return header("X-DDM-Route");
        }

        String shard() {
            return header("X-DDM-Shard");
        }

    }

}
