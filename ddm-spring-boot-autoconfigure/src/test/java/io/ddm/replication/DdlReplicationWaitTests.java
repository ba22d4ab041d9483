package io.ddm.replication;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The DDL replication wait without replicating servers: which statements count as DDL, the timeout property, and a
 * wait whose servers cannot be reached. Waiting on real replicas is in {@code DdlIntegrationTests}.
 */
class DdlReplicationWaitTests {

    @Test
    void ddlIsToldByItsFirstKeyword() {
        assertThat(DdlReplicationHook.isDdl("CREATE TABLE t_order_0 (id BIGINT)")).isTrue();
        assertThat(DdlReplicationHook.isDdl("  alter table t_order_1 add column c int")).isTrue();
        assertThat(DdlReplicationHook.isDdl("DROP INDEX i ON t")).isTrue();
        assertThat(DdlReplicationHook.isDdl("TRUNCATE TABLE t_order_2")).isTrue();
        assertThat(DdlReplicationHook.isDdl("RENAME TABLE a TO b")).isTrue();
        assertThat(DdlReplicationHook.isDdl("/* migration 7 */ CREATE VIEW v AS SELECT 1")).isTrue();
        assertThat(DdlReplicationHook.isDdl("-- migration 7\nCREATE INDEX i ON t (c)")).isTrue();
        assertThat(DdlReplicationHook.isDdl("/*!50001 CREATE ALGORITHM=UNDEFINED */ VIEW v AS SELECT 1")).isTrue();
        assertThat(DdlReplicationHook.isDdl("create")).isTrue();
        assertThat(DdlReplicationHook.isDdl("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(DdlReplicationHook.isDdl("DELETE FROM t")).isFalse();
        assertThat(DdlReplicationHook.isDdl("REPLACE INTO t VALUES (1)")).isFalse();
        assertThat(DdlReplicationHook.isDdl("SELECT * FROM t")).isFalse();
        assertThat(DdlReplicationHook.isDdl("/* CREATE */ SELECT 1")).isFalse();
        assertThat(DdlReplicationHook.isDdl("CREATED")).isFalse();
        assertThat(DdlReplicationHook.isDdl("drop_table()")).isFalse();
        assertThat(DdlReplicationHook.isDdl("")).isFalse();
        assertThat(DdlReplicationHook.isDdl("/* unterminated")).isFalse();
    }

    @Test
    void zeroTimeoutFailsStartupBeforeAnyServerIsContacted() {
        DdmProperties properties = new DdmProperties();
        properties.setSchema("shop");
        DdmProperties.Node node = new DdmProperties.Node();
        // Nothing listens there: startup must fail on the property, not on the server.
        node.setUrl("jdbc:mysql://127.0.0.1:1/?connectTimeout=2000");
        properties.getNodes().put("ds0", node);
        properties.getReadWriteSplitting().setReplicationWaitTimeout(Duration.ZERO);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(() -> DdmDataSourceFactory.create(properties))
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddm.read-write-splitting.replication-wait-timeout"));
    }

    @Test
    void unreachableServersEndTheWaitWithTheReplicasReported() {
        Server primary = new Server("ds0", "ds0", Server.Role.PRIMARY, "jdbc:mysql://127.0.0.1:1/?connectTimeout=2000", "app", "secret", 1,
                Map.of());
        Server replica = new Server("ds0-r0", "ds0", Server.Role.REPLICA, "jdbc:mysql://127.0.0.1:1/?connectTimeout=2000", "app",
                "secret", 1, Map.of());
        try (ReplicaCatchUp catchUp = new ReplicaCatchUp(new Node("ds0", primary, List.of(replica)), Duration.ofSeconds(2))) {
            List<ReplicaCatchUp.Straggler> stragglers = catchUp.await();
            assertThat(stragglers).singleElement().satisfies((straggler) -> {
                assertThat(straggler.replica().name()).isEqualTo("ds0-r0");
                assertThat(straggler.problem()).contains("the binary log position of its primary 'ds0' cannot be read");
            });
            assertThat(catchUp.await()).as("the replica is not waited for again right away").isEmpty();
        }
    }

}
