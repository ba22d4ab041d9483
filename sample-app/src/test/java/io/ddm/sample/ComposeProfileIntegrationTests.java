package io.ddm.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with the {@code compose} profile: no {@code ddm.nodes} URLs, the servers are the services of
 * {@code docker-compose.yml} as Boot's Docker Compose support registers them once they run. There is no Docker
 * here: the file's services, labels and environment as written, are handed to Boot's listener with their ports
 * pointing at the test servers of the same names. Boot skips {@code docker compose} itself in tests.
 */
@ActiveProfiles("compose")
@ContextConfiguration(initializers = ComposeProfileIntegrationTests.RunningComposeServices.class)
class ComposeProfileIntegrationTests extends OrderApiIntegrationTests {

    @Autowired
    private List<DdmServerConnectionDetails> servers;

    @Autowired
    private DdmConnectionDetails connectionDetails;

    @Test
    void theServersAreTheComposeServices() {
        assertThat(this.servers).extracting(DdmServerConnectionDetails::getName)
            .containsExactlyInAnyOrder("ds0", "ds0-r0", "ds1", "ds1-r0");
        DatabaseTopology topology = DatabaseServers.topology(2, 1);
        assertThat(this.connectionDetails.getNodes()).extracting((node) -> node.primary().url())
            .containsExactlyInAnyOrder(topology.primary(0).jdbcUrl(), topology.primary(1).jdbcUrl());
    }

    /** Announces the compose file's services, at the test servers' ports, as running. */
    static class RunningComposeServices implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            DatabaseTopology topology = DatabaseServers.topology(2, 1);
            try {
                List<RunningService> services = ComposeFile.services((name) -> topology.servers().stream()
                    .filter((server) -> server.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No test server for compose service " + name))
                    .port());
                ComposeFile.announceReady(context, services);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

    }

}
