package io.ddm.sample;

import io.ddm.test.servers.DatabaseServers;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample with the {@code mysql} profile, its server URLs pointed at the test servers through the {@code DDM_*}
 * variables that {@code application-mysql.yml} reads (set here as properties, which placeholders resolve alike).
 */
@ActiveProfiles("mysql")
class MysqlProfileIntegrationTests extends OrderApiIntegrationTests {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        LocalServers.mysqlProfileVariables(DatabaseServers.topology(2, 1)).forEach((name, value) -> registry.add(name, () -> value));
    }

}
