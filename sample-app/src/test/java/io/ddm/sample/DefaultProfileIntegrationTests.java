package io.ddm.sample;

import io.ddm.test.servers.DatabaseServers;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample as {@code spring-boot:test-run} runs it: {@code application.yml} plus the servers as
 * {@code ddm.nodes.*} properties.
 */
class DefaultProfileIntegrationTests extends OrderApiIntegrationTests {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        LocalServers.nodeProperties(DatabaseServers.topology(2, 1)).forEach((name, value) -> registry.add(name, () -> value));
    }

}
