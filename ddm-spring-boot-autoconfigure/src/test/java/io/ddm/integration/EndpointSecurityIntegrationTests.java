package io.ddm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page and the moves operations under an application's Spring Security rules: both are actuator
 * endpoints, so Boot's {@code EndpointRequest} matchers cover them like any other. Here only an operator may use any
 * endpoint. Runs in its own surefire execution, since Spring Security on the class path would secure every other
 * web test of this module. Wiring only: the shards are in-memory H2 databases.
 */
class EndpointSecurityIntegrationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyTheOperatorReachesTheConsoleAndTheMoves() throws Exception {
        try (ConfigurableApplicationContext application = start()) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) application).getWebServer().getPort();
            assertThat(send(base + "/actuator/ddmconsole", "GET", null, null).statusCode()).isEqualTo(401);
            assertThat(send(base + "/actuator/ddmconsole", "GET", null, "viewer:viewer").statusCode()).isEqualTo(403);
            HttpResponse<String> page = send(base + "/actuator/ddmconsole", "GET", null, "operator:operator");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>DDM console</title>");

            String move = "{\"shard\": 3, \"target\": \"ds0\"}";
            assertThat(send(base + "/actuator/ddm/moves", "POST", move, null).statusCode()).isEqualTo(401);
            assertThat(send(base + "/actuator/ddm/moves", "POST", move, "viewer:viewer").statusCode()).isEqualTo(403);
            HttpResponse<String> started = send(base + "/actuator/ddm/moves", "POST", move, "operator:operator");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            assertThat(started.body()).contains("\"shard\":3", "\"target\":\"ds0\"");
            assertThat(send(base + "/actuator/ddm/moves", "GET", null, "operator:operator").body()).contains("\"shard\":3");
        }
    }

    private HttpResponse<String> send(String uri, String method, String body, String credentials)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "text/html,application/json");
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConfigurableApplicationContext start() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> properties = List.of("ddm.schema=shop", "ddm.shards=4", "ddm.key-generator.worker-id=7",
                "ddm.nodes.ds0.url=jdbc:h2:mem:" + id + "_ds0_{database};MODE=MySQL;DB_CLOSE_DELAY=-1", "ddm.nodes.ds0.username=sa",
                "ddm.nodes.ds1.url=jdbc:h2:mem:" + id + "_ds1_{database};MODE=MySQL;DB_CLOSE_DELAY=-1", "ddm.nodes.ds1.username=sa",
                "ddm.tables.t_order.database-sharding.column=user_id", "ddm.tables.t_order.database-sharding.algorithm=mod-hash",
                "ddm.console.enabled=true", "ddm.moves.enabled=true", "management.endpoints.web.exposure.include=ddm,ddmconsole,health",
                "server.port=0", "server.address=127.0.0.1", "spring.jmx.enabled=false");
        return new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.SERVLET)
            .properties(properties.toArray(String[]::new)).run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SecuredApplication {

        @Bean
        SecurityFilterChain endpoints(HttpSecurity http) throws Exception {
            return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("OPERATOR"))
                .httpBasic(Customizer.withDefaults())
                // A JSON API for scripts: CSRF tokens protect browser forms, which these operations are not.
                .csrf((csrf) -> csrf.disable())
                .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("operator").password("{noop}operator").roles("OPERATOR").build(),
                    User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build());
        }

    }

}
