package io.ddm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page served over real HTTP by Spring MVC (Tomcat) and WebFlux (Netty): HTML for a browser, 406 for a
 * client that wants JSON, 404 unless exposed, and links that lead to the ddm endpoint and its health wherever they are
 * mapped. Wiring only, so the shards are in-memory H2 databases; what the page shows is tested in a browser on real
 * servers by the sample's {@code ConsoleBrowserTests}.
 */
class ConsoleEndpointWebIntegrationTests {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";

    private static final Pattern DDM_PATH = Pattern.compile("data-ddm-path=\"([^\"]*)\"");

    private static final Pattern HEALTH_PATH = Pattern.compile("data-health-path=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = "NONE", mode = Mode.EXCLUDE)
    void browsersGetThePageWhoseLinksLeadToTheEndpoints(WebApplicationType type) throws Exception {
        try (ConfigurableApplicationContext application = start(type, "management.endpoints.web.exposure.include=ddm,ddmconsole,health",
                "management.endpoint.health.show-details=always")) {
            URI page = URI.create(base(application) + "/actuator/ddmconsole");
            HttpResponse<String> response = get(page, BROWSER_ACCEPT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    (contentType) -> assertThat(contentType.replace(" ", "").toLowerCase()).isEqualTo("text/html;charset=utf-8"));
            assertThat(response.body()).contains("<title>DDM console</title>", "id=\"route-form\"").doesNotContain("{{");

            // The page's relative links, resolved as the browser resolves them.
            JsonNode topology = json(get(page.resolve(attribute(DDM_PATH, response.body())), "application/json"));
            assertThat(topology.get("schema").asText()).isEqualTo("shop");
            assertThat(topology.get("nodes")).hasSize(2);
            JsonNode health = json(get(page.resolve(attribute(HEALTH_PATH, response.body()) + "/ddm"), "application/json"));
            assertThat(health.get("components").has("ds0")).isTrue();

            assertThat(get(page, "application/json").statusCode()).as("no JSON form of the page").isEqualTo(406);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = "NONE", mode = Mode.EXCLUDE)
    void pageFollowsPathMappings(WebApplicationType type) throws Exception {
        try (ConfigurableApplicationContext application = start(type, "management.endpoints.web.exposure.include=ddm,ddmconsole",
                "management.endpoints.web.base-path=/manage", "management.endpoints.web.path-mapping.ddm=topology",
                "management.endpoints.web.path-mapping.ddmconsole=ops/console")) {
            URI page = URI.create(base(application) + "/manage/ops/console");
            HttpResponse<String> response = get(page, BROWSER_ACCEPT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attribute(HEALTH_PATH, response.body())).as("health is not exposed").isEmpty();
            URI ddm = page.resolve(attribute(DDM_PATH, response.body()));
            assertThat(ddm.getPath()).isEqualTo("/manage/topology");
            assertThat(json(get(ddm, "application/json")).get("schema").asText()).isEqualTo("shop");
        }
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = "NONE", mode = Mode.EXCLUDE)
    void noPageUnlessExposed(WebApplicationType type) throws Exception {
        try (ConfigurableApplicationContext application = start(type, "management.endpoints.web.exposure.include=ddm,health")) {
            assertThat(get(URI.create(base(application) + "/actuator/ddmconsole"), BROWSER_ACCEPT).statusCode()).isEqualTo(404);
            assertThat(get(URI.create(base(application) + "/actuator/ddm"), "application/json").statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(WebApplicationType type, String... properties) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> all = new ArrayList<>(List.of("ddm.schema=shop", "ddm.shards=4", "ddm.key-generator.worker-id=7",
                "ddm.nodes.ds0.url=jdbc:h2:mem:" + id + "_ds0_{database};MODE=MySQL;DB_CLOSE_DELAY=-1", "ddm.nodes.ds0.username=sa",
                "ddm.nodes.ds1.url=jdbc:h2:mem:" + id + "_ds1_{database};MODE=MySQL;DB_CLOSE_DELAY=-1", "ddm.nodes.ds1.username=sa",
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash"));
        all.addAll(List.of("server.port=0", "server.address=127.0.0.1", "spring.jmx.enabled=false", "ddm.console.enabled=true"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(ConsoleApplication.class).web(type).properties(all.toArray(String[]::new)).run();
    }

    private static String base(ConfigurableApplicationContext application) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) application).getWebServer().getPort();
    }

    private HttpResponse<String> get(URI uri, String accept) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(uri).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + " answers " + response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    private static String attribute(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        assertThat(matcher.find()).as("the page has %s", pattern).isTrue();
        return matcher.group(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ConsoleApplication {

    }

}
