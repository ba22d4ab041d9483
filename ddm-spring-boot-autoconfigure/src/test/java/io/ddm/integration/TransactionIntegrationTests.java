package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.ddm.datasource.DdmDataSource;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Transactions are local to each shard database. Within one shard they are atomic; across shards, rollback
 * undoes every shard but commit is per shard: if one shard's commit fails the others stay committed. These
 * tests show both, so that the README's warning is a tested fact.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionIntegrationTests {

    private DatabaseTopology topology;

    private DdmOnServers ddm;

    private DdmDataSource dataSource;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("it_tx");
        // 2 shards: user 0, 2, 4 ... on ds0 (it_tx_0), users 1, 3, 5 ... on ds1 (it_tx_1).
        this.ddm = new DdmOnServers(topology, "it_tx", 2).table("t_account", "user_id", "mod-hash", null, null, null);
        this.dataSource = this.ddm.open();
        DdmOnServers.execute(this.dataSource,
                "CREATE TABLE t_account (user_id BIGINT NOT NULL, entry INT NOT NULL, amount INT NOT NULL, PRIMARY KEY (user_id, entry))");
    }

    @AfterEach
    void clean() throws SQLException {
        this.topology.restore();
        // Directly on the servers: right after a restart DDM's pools may still hold dead connections.
        for (int shard = 0; shard < 2; shard++) {
            try (Connection connection = this.topology.primary(shard).connection("it_tx_" + shard)) {
                connection.createStatement().execute("DELETE FROM t_account");
            }
        }
    }

    @AfterAll
    void stop() {
        if (this.dataSource != null) {
            this.dataSource.close();
        }
    }

    @Test
    void singleShardTransactionCommitsAllRows() throws SQLException {
        inTransaction(true, 10, 10, 10);
        assertThat(countOnShard(0)).isEqualTo(3);
    }

    @Test
    void singleShardTransactionRollsBackAllRows() throws SQLException {
        inTransaction(false, 10, 10, 10);
        assertThat(countOnShard(0)).isZero();
    }

    @Test
    void crossShardRollbackUndoesEveryShard() throws SQLException {
        inTransaction(false, 10, 11, 12, 13);
        assertThat(countOnShard(0)).isZero();
        assertThat(countOnShard(1)).isZero();
    }

    @Test
    void crossShardCommitCommitsEveryShard() throws SQLException {
        inTransaction(true, 10, 11, 12, 13);
        assertThat(countOnShard(0)).isEqualTo(2);
        assertThat(countOnShard(1)).isEqualTo(2);
    }

    @Test
    void crossShardCommitIsNotAtomicWhenAShardFailsDuringCommit() throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insert(connection, 10, 1);
            insert(connection, 11, 2);
            // The node holding shard 1 crashes before the commit.
            this.topology.primary(1).kill();
            assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit);
        }
        this.topology.primary(1).start();
        // The server was back before DDM's next check, and a failed commit is not a statement that DDM's connection
        // failure hook sees: the first statement on each connection that died with it would fail once, then DDM
        // would drop the others. Give the following tests fresh connections instead.
        this.dataSource.getPhysicalDataSources().pools().stream()
            .filter((pool) -> pool.server().node().equals("ds1"))
            .forEach((pool) -> pool.dataSource().getHikariPoolMXBean().softEvictConnections());
        // DDM's primary check may have found the server dead meanwhile: the following tests start once it found it back.
        DdmOnServers.await(() -> this.dataSource.getPhysicalDataSources().availability("ds1").isAvailable(),
                () -> "DDM finds primary ds1 up again");
        assertThat(countOnShard(0)).as("shard 0 committed").isEqualTo(1);
        assertThat(countOnShard(1)).as("shard 1's uncommitted row died with its server").isZero();
    }

    private void inTransaction(boolean commit, long... users) throws SQLException {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            int entry = 0;
            for (long user : users) {
                insert(connection, user, entry++);
            }
            if (commit) {
                connection.commit();
            }
            else {
                connection.rollback();
            }
        }
    }

    private static void insert(Connection connection, long user, int entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t_account (user_id, entry, amount) VALUES (?, ?, 5)")) {
            insert.setLong(1, user);
            insert.setInt(2, entry);
            insert.executeUpdate();
        }
    }

    private long countOnShard(int shard) throws SQLException {
        return DdmOnServers.count(this.topology.primary(shard), "it_tx_" + shard, "t_account");
    }

}
