package io.ddm.sample;

import java.util.List;
import java.util.Map;

import io.ddm.connection.DdmConnectionDetails;
import io.ddm.connection.DdmConnectionDetails.Node;
import io.ddm.connection.DdmConnectionDetails.Server;
import io.ddm.connection.DdmServerConnectionDetails;
import io.ddm.connection.ServerConnectionDetailsTopology;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What DDM takes from {@code docker-compose.yml} when Boot's Docker Compose support runs it: the labels make the
 * same topology as the {@code mysql} profile's defaults (ds0 on 3311 with ds0-r0 on 3312, ds1 on 3321 with ds1-r0 on
 * 3322, account ddm / ddm). Read from the file itself; nothing is started.
 */
class DockerComposeFileTests {

    @Test
    void theComposeServicesAreTheMysqlProfilesTopology() throws Exception {
        Map<String, Integer> published = ComposeFile.publishedPorts();
        assertThat(published).containsExactly(entry("ds0", 3311), entry("ds0-r0", 3312), entry("ds1", 3321), entry("ds1-r0", 3322));
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            ComposeFile.announceReady(context, ComposeFile.services(published::get));
            context.refresh();
            List<DdmServerConnectionDetails> servers = List.copyOf(context.getBeansOfType(DdmServerConnectionDetails.class).values());
            List<Node> nodes = new ServerConnectionDetailsTopology(servers).getNodes();
            Server account = new Server(null, "ddm", "ddm");
            assertThat(nodes).containsExactly(
                    new Node("ds0", at(3311, account), Map.of("ds0-r0", at(3312, account))),
                    new Node("ds1", at(3321, account), Map.of("ds1-r0", at(3322, account))));
            assertThat(context.getBeanNamesForType(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class))
                .as("the ddm service-connection label keeps Boot's plain MySQL connection out").isEmpty();
        }
    }

    private static DdmConnectionDetails.Server at(int port, Server account) {
        return new Server("jdbc:mysql://127.0.0.1:" + port + "/", account.username(), account.password());
    }

}
