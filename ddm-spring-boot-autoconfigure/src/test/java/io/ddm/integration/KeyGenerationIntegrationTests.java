package io.ddm.integration;

import java.sql.SQLException;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snowflake worker ids leased with MySQL named locks: instances of one application running at the same time
 * never share one, and a stopped instance's id becomes free again.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class KeyGenerationIntegrationTests {

    @Test
    void runningInstancesLeaseDistinctWorkerIds(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_keys");
        DdmOnServers ddm = new DdmOnServers(topology, "it_keys", 2).table("t_order", "user_id", "mod-hash", null, null, null);
        DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
        keys.setColumn("order_id");
        ddm.table("t_order").setKeyGenerator(keys);
        ddm.properties().getKeyGenerator().setWorkerId(null);
        try (DdmDataSource first = ddm.open(); DdmDataSource second = ddm.open()) {
            // Both instances derive the same starting id from host and process; the lock moves the second one on.
            assertThat(second.getWorkerId()).isNotEqualTo(first.getWorkerId());
            int freed = second.getWorkerId();
            second.close();
            try (DdmDataSource third = ddm.open()) {
                assertThat(third.getWorkerId()).as("the id of the closed instance is free again").isEqualTo(freed);
            }
        }
    }

    @Test
    void configuredWorkerIdIsUsedAsIs(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_keys_fixed");
        DdmOnServers ddm = new DdmOnServers(topology, "it_keys_fixed", 2);
        ddm.properties().getKeyGenerator().setWorkerId(1000);
        try (DdmDataSource dataSource = ddm.open()) {
            assertThat(dataSource.getWorkerId()).isEqualTo(1000);
        }
    }

}
