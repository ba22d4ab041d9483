package io.ddm.docker.compose;

import java.util.HashMap;
import java.util.Map;

import io.ddm.config.DdmConfigurationException;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.topology.Server.Role;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.origin.Origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DdmDockerComposeConnectionDetailsFactory}: which services it takes (through Boot's
 * {@link ConnectionDetailsFactories}, loaded from {@code spring.factories} as Boot's listener loads them), and how a
 * service's labels, environment and ports become one server of the topology. No Docker: the services are
 * {@link RunningService} objects.
 */
class DdmDockerComposeConnectionDetailsFactoryTests {

    private final ConnectionDetailsFactories factories = new ConnectionDetailsFactories(getClass().getClassLoader());

    private static final Map<String, String> ROOT_ENV = Map.of("MYSQL_ROOT_PASSWORD", "root");

    @Test
    void aServiceLabelledForDdmBecomesAServerAndNotABootJdbcConnection() {
        Map<Class<?>, ConnectionDetails> details = this.factories.getConnectionDetails(
                ComposeServices.source(ComposeServices.mysql("ds0-r0", 3312, ROOT_ENV, ComposeServices.ddmLabels("ds0", "replica"))),
                false);
        assertThat(details).containsOnlyKeys(DdmServerConnectionDetails.class);
        DdmServerConnectionDetails server = (DdmServerConnectionDetails) details.get(DdmServerConnectionDetails.class);
        assertThat(server.getNode()).isEqualTo("ds0");
        assertThat(server.getRole()).isEqualTo(Role.REPLICA);
        assertThat(server.getName()).isEqualTo("ds0-r0");
        assertThat(server.getUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3312/");
        assertThat(server.getUsername()).isEqualTo("root");
        assertThat(server.getPassword()).isEqualTo("root");
        assertThat(Origin.from(server)).as("the service, for error messages")
            .hasToString("Docker compose service 'ds0-r0' defined in default compose file");
    }

    @Test
    void anUnlabelledMysqlServiceIsLeftToBoot() {
        Map<Class<?>, ConnectionDetails> details = this.factories.getConnectionDetails(ComposeServices.source(
                ComposeServices.mysql("db", 3306, Map.of("MYSQL_ROOT_PASSWORD", "root", "MYSQL_DATABASE", "app"), Map.of())),
                false);
        assertThat(details).containsOnlyKeys(JdbcConnectionDetails.class);
    }

    @Test
    void aPrimaryIsNamedAfterItsNodeAndIsTheDefaultRole() {
        Map<String, String> labels = new HashMap<>(ComposeServices.ddmLabels("ds1", "primary"));
        labels.remove("io.ddm.role");
        DdmServerConnectionDetails server = details(ComposeServices.mysql("mysql-main", 3321, ROOT_ENV, labels));
        assertThat(server.getRole()).isEqualTo(Role.PRIMARY);
        assertThat(server.getName()).isEqualTo("ds1");
        assertThat(server.getNode()).isEqualTo("ds1");
    }

    @Test
    void theAccountComesFromLabelsThenFromTheMysqlEnvironment() {
        Map<String, String> labels = new HashMap<>(ComposeServices.ddmLabels("ds0", "primary"));
        labels.put("io.ddm.username", "ddm");
        labels.put("io.ddm.password", "ddm-secret");
        DdmServerConnectionDetails labelled = details(ComposeServices.mysql("ds0", 3311, ROOT_ENV, labels));
        assertThat(labelled.getUsername()).isEqualTo("ddm");
        assertThat(labelled.getPassword()).isEqualTo("ddm-secret");
        DdmServerConnectionDetails fromEnv = details(ComposeServices.mysql("ds0", 3311,
                Map.of("MYSQL_USER", "app", "MYSQL_PASSWORD", "app-secret", "MYSQL_ROOT_PASSWORD", "root"),
                ComposeServices.ddmLabels("ds0", "primary")));
        assertThat(fromEnv.getUsername()).isEqualTo("app");
        assertThat(fromEnv.getPassword()).isEqualTo("app-secret");
        labels.remove("io.ddm.password");
        DdmServerConnectionDetails userOnly = details(ComposeServices.mysql("ds0", 3311, ROOT_ENV, labels));
        assertThat(userOnly.getPassword()).as("left to ddm.nodes.ds0.password").isNull();
    }

    @Test
    void jdbcParametersLabelGoesOnTheUrl() {
        Map<String, String> labels = new HashMap<>(ComposeServices.ddmLabels("ds0", "primary"));
        labels.put("org.springframework.boot.jdbc.parameters", "sslMode=DISABLED&allowPublicKeyRetrieval=true");
        assertThat(details(ComposeServices.mysql("ds0", 3311, ROOT_ENV, labels)).getUrl())
            .isEqualTo("jdbc:mysql://127.0.0.1:3311/?sslMode=DISABLED&allowPublicKeyRetrieval=true");
    }

    @Test
    void aDdmServiceWithoutANodeLabelFailsNamingTheService() {
        RunningService service = ComposeServices.mysql("ds9", 3390, ROOT_ENV,
                Map.of("org.springframework.boot.service-connection", "ddm"));
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> details(service)).satisfies((ex) -> {
            assertThat(ex.getProperty()).isEqualTo("Docker Compose service 'ds9'");
            assertThat(ex.getProblem()).isEqualTo("the service is a DDM service connection but has no io.ddm.node label");
            assertThat(ex.getAction()).contains("io.ddm.node: ds0");
        });
    }

    @Test
    void anUnknownRoleFailsNamingTheService() {
        RunningService service = ComposeServices.mysql("ds0-r0", 3312, ROOT_ENV, ComposeServices.ddmLabels("ds0", "secondary"));
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> details(service)).satisfies((ex) -> {
            assertThat(ex.getProperty()).isEqualTo("Docker Compose service 'ds0-r0'");
            assertThat(ex.getProblem()).isEqualTo("the io.ddm.role label is 'secondary', which is not a role");
            assertThat(ex.getAction()).isEqualTo("Set io.ddm.role to primary or replica.");
        });
    }

    private DdmServerConnectionDetails details(RunningService service) {
        return (DdmServerConnectionDetails) this.factories.getConnectionDetails(ComposeServices.source(service), false)
            .get(DdmServerConnectionDetails.class);
    }

}
