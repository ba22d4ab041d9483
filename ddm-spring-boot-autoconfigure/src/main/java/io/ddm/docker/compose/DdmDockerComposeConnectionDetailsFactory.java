package io.ddm.docker.compose;

import java.util.Locale;
import java.util.Map;

import io.ddm.config.DdmConfigurationException;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.topology.Server.Role;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * {@link DockerComposeConnectionDetailsFactory} that makes every MySQL service labelled
 * {@code org.springframework.boot.service-connection: ddm} one server of the DDM topology
 * ({@link DdmServerConnectionDetails}; DDM gathers them into one topology). The service says where it belongs with
 * labels:
 *
 * <ul>
 * <li>{@value #NODE_LABEL} (required): the node, e.g. {@code ds0};
 * <li>{@value #ROLE_LABEL}: {@code primary} (the default) or {@code replica}; a primary's server name is its node's,
 * a replica's is the service name ({@code ds0-r0});
 * <li>{@value #USERNAME_LABEL}, {@value #PASSWORD_LABEL}: the application's account, when it is not the one of the
 * service's environment ({@code MYSQL_USER} and {@code MYSQL_PASSWORD}, else {@code root} and
 * {@code MYSQL_ROOT_PASSWORD}, as Boot reads a {@code mysql} service);
 * <li>{@code org.springframework.boot.jdbc.parameters}: Connector/J parameters for the URL, as for Boot's own JDBC
 * services.
 * </ul>
 *
 * <p>The {@code ddm} service-connection label also keeps Boot's own MySQL factory from registering a
 * {@code JdbcConnectionDetails} per server. Registered in {@code META-INF/spring.factories}.
 */
class DdmDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<DdmServerConnectionDetails> {

    /** The value of Boot's {@code org.springframework.boot.service-connection} label that selects this factory. */
    static final String CONNECTION_NAME = "ddm";

    static final String NODE_LABEL = "io.ddm.node";

    static final String ROLE_LABEL = "io.ddm.role";

    static final String USERNAME_LABEL = "io.ddm.username";

    static final String PASSWORD_LABEL = "io.ddm.password";

    private static final String PARAMETERS_LABEL = "org.springframework.boot.jdbc.parameters";

    private static final int MYSQL_PORT = 3306;

    DdmDockerComposeConnectionDetailsFactory() {
        super(CONNECTION_NAME);
    }

    @Override
    protected DdmServerConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
        return new DdmDockerComposeConnectionDetails(source.getRunningService());
    }

    /**
     * {@link DdmServerConnectionDetails} of one running service, read from its labels, environment and ports.
     */
    static final class DdmDockerComposeConnectionDetails extends DockerComposeConnectionDetails
            implements DdmServerConnectionDetails {

        private final String node;

        private final Role role;

        private final String name;

        private final String url;

        private final String username;

        private final String password;

        DdmDockerComposeConnectionDetails(RunningService service) {
            super(service);
            Map<String, String> labels = service.labels();
            String where = "Docker Compose service '" + service.name() + "'";
            this.node = labels.get(NODE_LABEL);
            if (this.node == null || this.node.isBlank()) {
                throw new DdmConfigurationException(where, "the service is a DDM service connection but has no " + NODE_LABEL
                        + " label", "Label the service with the node it belongs to (" + NODE_LABEL + ": ds0), and "
                                + ROLE_LABEL + ": replica for a replica.");
            }
            this.role = role(labels.get(ROLE_LABEL), where);
            this.name = (this.role == Role.PRIMARY) ? this.node : service.name();
            String parameters = labels.get(PARAMETERS_LABEL);
            this.url = "jdbc:mysql://" + service.host() + ":" + service.ports().get(MYSQL_PORT) + "/"
                    + ((parameters != null && !parameters.isBlank()) ? "?" + parameters.strip() : "");
            Map<String, String> env = service.env();
            String labelledUser = labels.get(USERNAME_LABEL);
            this.username = (labelledUser != null) ? labelledUser
                    : (env.get("MYSQL_USER") != null) ? env.get("MYSQL_USER") : "root";
            String labelledPassword = labels.get(PASSWORD_LABEL);
            if (labelledPassword != null) {
                this.password = labelledPassword;
            }
            else if (labelledUser == null && env.get("MYSQL_USER") != null) {
                this.password = env.get("MYSQL_PASSWORD");
            }
            else if ("root".equals(this.username)) {
                this.password = env.get("MYSQL_ROOT_PASSWORD");
            }
            else {
                // A labelled account without a labelled password: DDM falls back to ddm.nodes.<node>.password.
                this.password = null;
            }
        }

        private static Role role(String label, String where) {
            if (label == null || label.isBlank()) {
                return Role.PRIMARY;
            }
            try {
                return Role.valueOf(label.strip().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw new DdmConfigurationException(where, "the " + ROLE_LABEL + " label is '" + label
                        + "', which is not a role", "Set " + ROLE_LABEL + " to primary or replica.");
            }
        }

        @Override
        public String getNode() {
            return this.node;
        }

        @Override
        public Role getRole() {
            return this.role;
        }

        @Override
        public String getName() {
            return this.name;
        }

        @Override
        public String getUrl() {
            return this.url;
        }

        @Override
        public String getUsername() {
            return this.username;
        }

        @Override
        public String getPassword() {
            return this.password;
        }

        @Override
        public String toString() {
            return this.role.name().toLowerCase(Locale.ROOT) + " " + this.name + " of node " + this.node + " (" + this.url + ")";
        }

    }

}
