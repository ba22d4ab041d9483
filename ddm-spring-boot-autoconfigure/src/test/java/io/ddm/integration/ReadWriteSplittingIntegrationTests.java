package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ddm.autoconfigure.DdmDataSourceAutoConfiguration;
import io.ddm.autoconfigure.DdmRoutingAutoConfiguration;
import io.ddm.config.DdmProperties;
import io.ddm.topology.LoadBalancer;
import io.ddm.datasource.DdmDataSource;
import io.ddm.routing.DdmPrimary;
import io.ddm.routing.PrimaryRouting;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.ddm.integration.DdmOnServers.comSelect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read/write splitting observed on real replicas, not assumed: with replication paused on a replica, a read
 * outside a transaction does not see a fresh write (it was served by the replica) while reads in a transaction,
 * in a {@link PrimaryRouting} block or in a {@link DdmPrimary} method do. Load balancers are checked by counting
 * the SELECTs each replica executed.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadWriteSplittingIntegrationTests {

    private DatabaseTopology topology;

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_rw");
        this.ddm = new DdmOnServers(topology, "it_rw", 2).table("t_kv", "k", "mod-hash", null, null, null);
        this.dataSource = this.ddm.open();
        DdmOnServers.execute(this.dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
        topology.awaitReplication();
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @AfterEach
    void resumeReplication() {
        this.topology.restore();
    }

    @Test
    void readsOutsideTransactionsAreServedByTheReplica() throws SQLException {
        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        replica.pauseReplication();
        // k = 2 -> shard 0 (2 % 2), hosted by ds0, whose replica no longer applies changes.
        DdmOnServers.execute(this.dataSource, "INSERT INTO t_kv (k, v) VALUES (2, 'fresh')");
        assertThat(read(2)).as("autocommit read, served by the paused replica").isEmpty();
        assertThat(readInTransaction(2)).as("read inside a transaction, served by the primary").contains("fresh");
        assertThat(PrimaryRouting.call(() -> readUnchecked(2))).as("read in PrimaryRouting").contains("fresh");
        assertThat(read(2)).as("the hint is cleared after the block").isEmpty();
        replica.resumeReplication();
        this.topology.awaitReplication();
        assertThat(read(2)).as("after the replica caught up").contains("fresh");
    }

    @Test
    void readYourWritesPinsTheWritingThreadsReadsToThePrimaryForTheWindow() throws Exception {
        DatabaseServer replica = this.topology.replicasOf(0).get(0);
        replica.pauseReplication();
        this.ddm.properties().getReadWriteSplitting().setReadYourWritesWindow(Duration.ofSeconds(1));
        try (DdmDataSource pinned = this.ddm.open()) {
            // k = 6 -> shard 0 on ds0, whose replica no longer applies changes.
            DdmOnServers.execute(pinned, "INSERT INTO t_kv (k, v) VALUES (6, 'mine')");
            try (Connection connection = pinned.getConnection()) {
                assertThat(read(connection, 6)).as("the writing thread, right after its write: the primary").contains("mine");
            }
            Optional<String> otherThread = CompletableFuture.supplyAsync(() -> {
                try (Connection connection = pinned.getConnection()) {
                    return read(connection, 6);
                }
                catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(otherThread).as("another thread: the paused replica").isEmpty();
            // Past the window (not a timing assertion: the read must go back to the replica afterwards).
            Thread.sleep(1500);
            try (Connection connection = pinned.getConnection()) {
                assertThat(read(connection, 6)).as("the writing thread after the window: the paused replica").isEmpty();
            }
        }
        finally {
            this.ddm.properties().getReadWriteSplitting().setReadYourWritesWindow(null);
        }
        assertThat(read(6)).as("a data source without the window reads the paused replica").isEmpty();
    }

    @Test
    void writesAlwaysGoToThePrimary() throws SQLException {
        DdmOnServers.execute(this.dataSource, "INSERT INTO t_kv (k, v) VALUES (4, 'w'), (5, 'w')");
        assertThat(DdmOnServers.rows(this.topology.primary(0), "it_rw_0", "SELECT v FROM t_kv WHERE k = 4")).containsExactly(List.of("w"));
        assertThat(DdmOnServers.rows(this.topology.primary(1), "it_rw_1", "SELECT v FROM t_kv WHERE k = 5")).containsExactly(List.of("w"));
    }

    @Test
    void ddmPrimaryMethodsReadFromThePrimary() throws SQLException {
        DatabaseServer replica = this.topology.replicasOf(1).get(0);
        replica.pauseReplication();
        DdmOnServers.execute(this.dataSource, "INSERT INTO t_kv (k, v) VALUES (7, 'seven')");
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DdmRoutingAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
            .withPropertyValues(springProperties(this.ddm.properties()))
            .withUserConfiguration(Readers.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                KvReader reader = context.getBean("kvReader", KvReader.class);
                assertThat(reader.read(7)).as("plain method: replica").isEmpty();
                assertThat(reader.readOnPrimary(7)).as("@DdmPrimary method").contains("seven");
                assertThat(context.getBean(PrimaryKvReader.class).read(7)).as("@DdmPrimary class").contains("seven");
                assertThat(reader.read(7)).as("plain method again").isEmpty();
            });
    }

    @Test
    void roundRobinAndWeightSpreadReadsAsConfigured() throws SQLException {
        // A node with two replicas: one primary, ds0-r0 and ds0-r1.
        DatabaseTopology twoReplicas = DatabaseServers.topology(1, 2);
        twoReplicas.resetData("it_lb");
        DdmOnServers lb = new DdmOnServers(twoReplicas, "it_lb", 1).table("t_kv", "k", "mod-hash", null, null, null);
        lb.properties().getNodes().get("ds0").getReplicas().get("ds0-r0").setWeight(3);
        try (DdmDataSource roundRobin = lb.open()) {
            DdmOnServers.execute(roundRobin, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, v VARCHAR(20) NOT NULL)",
                    "INSERT INTO t_kv (k, v) VALUES (1, 'one')");
            twoReplicas.awaitReplication();
            long[] reads = selectsPerReplica(twoReplicas, roundRobin, 200);
            assertThat(reads[0]).as("round-robin reads on ds0-r0").isBetween(98L, 102L);
            assertThat(reads[1]).as("round-robin reads on ds0-r1").isBetween(98L, 102L);
        }
        lb.properties().getReadWriteSplitting().setLoadBalancer(LoadBalancer.WEIGHT);
        try (DdmDataSource weighted = lb.open()) {
            long[] reads = selectsPerReplica(twoReplicas, weighted, 400);
            double share = reads[0] / (double) (reads[0] + reads[1]);
            // Weight 3:1 is a share of 0.75; 400 random reads stay within +-0.10 of it except with ~1e-5 probability.
            assertThat(share).as("share of reads on ds0-r0 (weight 3) against ds0-r1 (weight 1): %s", List.of(reads[0], reads[1]))
                .isBetween(0.65, 0.85);
        }
    }

    /** Runs reads through DDM and returns how many SELECTs each replica executed meanwhile. */
    private static long[] selectsPerReplica(DatabaseTopology topology, DdmDataSource dataSource, int reads) throws SQLException {
        // Opening a connection runs Connector/J's own SELECT: let Hikari finish filling the pools before counting (its
        // housekeeper fills them within 30 s of DDM's start).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> dataSource.getPhysicalDataSources()
            .pools()
            .stream()
            .allMatch((pool) -> pool.dataSource().getHikariPoolMXBean().getTotalConnections() == pool.dataSource().getMaximumPoolSize()));
        List<DatabaseServer> replicas = topology.replicasOf(0);
        long[] before = { comSelect(replicas.get(0)), comSelect(replicas.get(1)) };
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            for (int i = 0; i < reads; i++) {
                select.setLong(1, 1);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                }
            }
        }
        // comSelect's own query counts once on each server, hence -1.
        return new long[] { comSelect(replicas.get(0)) - before[0] - 1, comSelect(replicas.get(1)) - before[1] - 1 };
    }

    private Optional<String> read(long key) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            return read(connection, key);
        }
    }

    private Optional<String> readUnchecked(long key) {
        try {
            return read(key);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Optional<String> readInTransaction(long key) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                return read(connection, key);
            }
            finally {
                connection.commit();
            }
        }
    }

    private static Optional<String> read(Connection connection, long key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT v FROM t_kv WHERE k = ?")) {
            select.setLong(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    static String[] springProperties(DdmProperties properties) {
        List<String> result = new java.util.ArrayList<>();
        result.add("ddm.schema=" + properties.getSchema());
        result.add("ddm.shards=" + properties.getShards());
        result.add("ddm.key-generator.worker-id=2");
        properties.getNodes().forEach((name, node) -> {
            result.add("ddm.nodes." + name + ".url=" + node.getUrl());
            result.add("ddm.nodes." + name + ".username=" + node.getUsername());
            result.add("ddm.nodes." + name + ".password=" + node.getPassword());
            node.getReplicas().forEach((replica, settings) -> result.add("ddm.nodes." + name + ".replicas." + replica + ".url="
                    + settings.getUrl()));
        });
        properties.getTables().forEach((table, settings) -> {
            result.add("ddm.tables." + table + ".database-sharding.column=" + settings.getDatabaseSharding().getColumn());
            result.add("ddm.tables." + table + ".database-sharding.algorithm="
                    + settings.getDatabaseSharding().getAlgorithm().propertyName());
        });
        return result.toArray(String[]::new);
    }

    @Configuration(proxyBeanMethods = false)
    static class Readers {

        @Bean
        KvReader kvReader(JdbcTemplate jdbcTemplate) {
            return new KvReader(jdbcTemplate);
        }

        @Bean
        PrimaryKvReader primaryKvReader(JdbcTemplate jdbcTemplate) {
            return new PrimaryKvReader(jdbcTemplate);
        }

    }

    static class KvReader {

        private final JdbcTemplate jdbcTemplate;

        KvReader(JdbcTemplate jdbcTemplate) {
            this.jdbcTemplate = jdbcTemplate;
        }

        Optional<String> read(long key) {
            return this.jdbcTemplate.queryForList("SELECT v FROM t_kv WHERE k = ?", String.class, key).stream().findFirst();
        }

        @DdmPrimary
        Optional<String> readOnPrimary(long key) {
            return read(key);
        }

    }

    @DdmPrimary
    static class PrimaryKvReader extends KvReader {

        PrimaryKvReader(JdbcTemplate jdbcTemplate) {
            super(jdbcTemplate);
        }

    }

}
