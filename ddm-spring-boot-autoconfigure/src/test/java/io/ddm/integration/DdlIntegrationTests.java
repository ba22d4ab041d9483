package io.ddm.integration;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.ddm.config.DdmConfigurationException;
import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.datasource.NodeUnavailableException;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Logical DDL through DDM reaches every physical table on every server, replicas included, and
 * {@code create-shard-databases} creates what is missing.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
class DdlIntegrationTests {

    @Test
    void createAlterAndDropReachEveryPhysicalTable(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_ddl");
        DdmOnServers ddm = new DdmOnServers(topology, "it_ddl", 4).table("t_ddl", "id", "mod-hash", "id", "mod-hash", 2);
        try (DdmDataSource dataSource = ddm.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_ddl (id BIGINT PRIMARY KEY)");
            topology.awaitReplication();
            // ds0 hosts it_ddl_0 (t_ddl_0, t_ddl_1) and it_ddl_1 (t_ddl_2, t_ddl_3); ds1 the rest. Replicas alike.
            assertThat(tables(topology.primary(0), "it_ddl")).containsExactly("it_ddl_0.t_ddl_0", "it_ddl_0.t_ddl_1",
                    "it_ddl_1.t_ddl_2", "it_ddl_1.t_ddl_3");
            assertThat(tables(topology.replicasOf(0).get(0), "it_ddl")).isEqualTo(tables(topology.primary(0), "it_ddl"));
            assertThat(tables(topology.primary(1), "it_ddl")).containsExactly("it_ddl_2.t_ddl_4", "it_ddl_2.t_ddl_5",
                    "it_ddl_3.t_ddl_6", "it_ddl_3.t_ddl_7");
            assertThat(tables(topology.replicasOf(1).get(0), "it_ddl")).isEqualTo(tables(topology.primary(1), "it_ddl"));

            DdmOnServers.execute(dataSource, "ALTER TABLE t_ddl ADD COLUMN note VARCHAR(10)");
            topology.awaitReplication();
            for (DatabaseServer server : topology.servers()) {
                assertThat(DdmOnServers.rows(server, "information_schema", "SELECT COUNT(*) FROM COLUMNS WHERE TABLE_SCHEMA LIKE"
                        + " 'it\\_ddl\\_%' AND TABLE_NAME LIKE 't\\_ddl\\_%' AND COLUMN_NAME = 'note'"))
                    .as(server.name())
                    .containsExactly(List.of(4L));
            }
            DdmOnServers.execute(dataSource, "INSERT INTO t_ddl (id, note) VALUES (5, 'five')");
            assertThat(DdmOnServers.rows(topology.primary(1), "it_ddl_2", "SELECT note FROM t_ddl_5")).containsExactly(List.of("five"));

            DdmOnServers.execute(dataSource, "DROP TABLE t_ddl");
            topology.awaitReplication();
            for (DatabaseServer server : topology.servers()) {
                assertThat(tables(server, "it_ddl")).as(server.name()).isEmpty();
            }
        }
    }

    @Test
    void createShardDatabasesCreatesMissingOnesOnEveryServer(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_create");
        for (DatabaseServer server : topology.servers()) {
            assertThat(databases(server, "it_create")).isEmpty();
        }
        DdmOnServers ddm = new DdmOnServers(topology, "it_create", 4);
        try (DdmDataSource dataSource = ddm.open()) {
            topology.awaitReplication();
            assertThat(dataSource.getTopology().shards()).isEqualTo(4);
        }
        for (int i = 0; i < 2; i++) {
            List<String> expected = (i == 0) ? List.of("it_create_0", "it_create_1") : List.of("it_create_2", "it_create_3");
            assertThat(databases(topology.primary(i), "it_create")).isEqualTo(expected);
            assertThat(databases(topology.replicasOf(i).get(0), "it_create")).isEqualTo(expected);
        }
    }

    @Test
    void missingShardDatabaseWithoutCreationFailsNamingDatabaseAndNode(DatabaseTopology topology) {
        topology.resetData("it_missing");
        DdmProperties properties = new DdmOnServers(topology, "it_missing", 2).properties();
        properties.setCreateShardDatabases(false);
        assertThatExceptionOfType(NodeUnavailableException.class).isThrownBy(() -> DdmDataSourceFactory.create(properties))
            .satisfies((ex) -> {
                assertThat(ex.isMissingDatabase()).isTrue();
                assertThat(ex.getDatabase()).isEqualTo("it_missing_0");
                assertThat(ex.getNode()).isEqualTo("ds0");
            })
            .withMessageContaining("Shard database 'it_missing_0' does not exist on primary 'ds0'");
    }

    @Test
    void startupRejectsShardingColumnsWhoseTypeTheAlgorithmDoesNotAccept(DatabaseTopology topology) throws SQLException {
        topology.resetData("it_types");
        DdmOnServers dates = new DdmOnServers(topology, "it_types", 2).table("t_event", "created", "yyyymm", null, null, null);
        try (DdmDataSource dataSource = dates.open()) {
            DdmOnServers.execute(dataSource, "CREATE TABLE t_event (id BIGINT NOT NULL, created DATE NOT NULL, code VARCHAR(8),"
                    + " PRIMARY KEY (id, created))");
        }
        DdmOnServers modHashOnDate = new DdmOnServers(topology, "it_types", 2).table("t_event", "created", "mod-hash", null, null, null);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(modHashOnDate::open)
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddm.tables.t_event.database-sharding.column"))
            .withMessageContaining("column t_event.created is DATE, which mod-hash does not accept");
        DdmOnServers rightShiftOnString = new DdmOnServers(topology, "it_types", 2)
            .table("t_event", "code", "right-shift", null, null, null);
        rightShiftOnString.table("t_event").getDatabaseSharding().setShiftBits(2);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(rightShiftOnString::open)
            .withMessageContaining("column t_event.code is VARCHAR, which right-shift does not accept");
        DdmOnServers missingColumn = new DdmOnServers(topology, "it_types", 2).table("t_event", "user_id", "mod-hash", null, null, null);
        assertThatExceptionOfType(DdmConfigurationException.class).isThrownBy(missingColumn::open)
            .withMessageContaining("table 't_event' has no column 'user_id'");
    }

    private static List<String> tables(DatabaseServer server, String schema) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT TABLE_SCHEMA, TABLE_NAME FROM TABLES"
                + " WHERE TABLE_SCHEMA LIKE '" + schema + "\\_%' ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            result.add(row.get(0) + "." + row.get(1));
        }
        return result;
    }

    private static List<String> databases(DatabaseServer server, String schema) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT SCHEMA_NAME FROM SCHEMATA"
                + " WHERE SCHEMA_NAME LIKE '" + schema + "\\_%' ORDER BY SCHEMA_NAME")) {
            result.add(row.get(0).toString());
        }
        return result;
    }

}
