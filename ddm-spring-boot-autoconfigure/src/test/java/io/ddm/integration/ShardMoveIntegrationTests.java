package io.ddm.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.DdmDataSourceFactory;
import io.ddm.endpoint.DdmEndpoint;
import io.ddm.endpoint.TopologyDescriptor;
import io.ddm.endpoint.TopologyDescriptor.ShardDescriptor;
import io.ddm.keygen.WorkerLockNames;
import io.ddm.move.MoveDescriptor;
import io.ddm.move.MoveSettings;
import io.ddm.move.MoveState;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Moving a whole shard to a node that holds none, on real servers with replication: three nodes (ds0, ds1 with shards,
 * ds2 without), each with a replica. The shard holds sub-tables of a sharded table and a broadcast table's copy; the
 * default shard also single tables. Two DDM instances write and read under a 16-thread load while one of them moves the
 * shard; afterwards every acknowledged write is on the target exactly once, the old copy is retired and got nothing
 * after the switch, and the other instance routes to the new node without a restart. A restart with the old
 * configuration routes by the placement the servers record.
 */
@RequiresDatabaseServers(primaries = 3, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardMoveIntegrationTests {

    private static final String SCHEMA = "it_move";

    private static final int SHARDS = 4;

    private static final int PRELOAD = 2000;

    private static final Duration AWAIT = Duration.ofSeconds(120);

    private DatabaseTopology topology;

    @BeforeAll
    void servers(DatabaseTopology topology) {
        this.topology = topology;
    }

    @BeforeEach
    void reset() {
        this.topology.resetData(SCHEMA);
    }

    @AfterEach
    void restore() {
        this.topology.restore();
        this.topology.resetData(SCHEMA);
    }

    @Test
    void movesAShardUnderLoadFromTwoInstancesWithNothingLostOrTwice() throws Exception {
        Load load = new Load();
        try (DdmDataSource first = DdmDataSourceFactory.create(properties())) {
            createTables(first);
            for (long k = 1; k <= PRELOAD; k++) {
                load.insert(first, k, false);
            }
        }
        // Both instances start on the existing tables (ShardingSphere learns tables created through another instance
        // only at its next start).
        try (DdmDataSource mover = DdmDataSourceFactory.create(properties());
                DdmDataSource other = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(mover, settings())) {
            DdmOnServers.execute(other, "UPDATE t_kv SET n = n WHERE k = 1");
            load.start(mover, other, 8);
            load.awaitOperations(1000);

            ShardMove move = moves.start(1, "ds2");
            MoveDescriptor done = move.await(AWAIT);
            assertThat(done.state()).as("%s", done).isEqualTo(MoveState.DONE);
            assertThat(done.error()).isNull();
            assertThat(done.source()).isEqualTo("ds0");
            assertThat(done.target()).isEqualTo("ds2");
            assertThat(done.rowsTotal()).isGreaterThanOrEqualTo(PRELOAD / SHARDS);
            assertThat(done.rowsCopied()).isEqualTo(done.rowsTotal());
            assertThat(done.chunksVerified()).isPositive();
            assertThat(done.writesPausedMillis()).isNotNull();
            long switchedAt = load.keys.get();
            assertThat(mover.getPlacement().current().nodeOf(1)).isEqualTo("ds2");

            // The other instance follows without a restart; meanwhile its statements for shard 1 may fail.
            DdmOnServers.await(() -> "ds2".equals(other.getPlacement().current().nodeOf(1)), () -> "the other instance follows the move");
            long followedAt = load.operations.get();
            load.awaitOperations(followedAt + 1000);
            load.stop();

            assertThat(load.failures(mover)).as("statements of the instance that ran the move that failed").isEmpty();
            // Once it followed, the other instance writes and reads the moved shard on ds2.
            DdmOnServers.execute(other, "INSERT INTO t_kv (k, n, v) VALUES (2000000002, 0, 'from the other instance')");
            load.acknowledged.put(2000000002L, new AtomicInteger());
            // Reads outside transactions go to replicas: wait until they have the row.
            this.topology.awaitReplication();
            assertThat(DdmOnServers.query(other, "SELECT v FROM t_kv WHERE k = 2000000002").get(0).get(0))
                .isEqualTo("from the other instance");
            assertThat(DdmOnServers.rows(this.topology.primary(2), SCHEMA + "_1", "SELECT v FROM t_kv_2 WHERE k = 2000000002"))
                .hasSize(1);
            Map<Long, Integer> rows = rows(mover);
            for (Map.Entry<Long, AtomicInteger> acknowledged : load.acknowledged.entrySet()) {
                long k = acknowledged.getKey();
                assertThat(rows).as("acknowledged row %d", k).containsKey(k);
                int doubtful = load.doubtfulIncrements.getOrDefault(k, new AtomicInteger()).get();
                assertThat(rows.get(k)).as("increments of row %d", k).isBetween(acknowledged.getValue().get(),
                        acknowledged.getValue().get() + doubtful);
            }
            for (long k : rows.keySet()) {
                assertThat(load.acknowledged.containsKey(k) || load.doubtfulInserts.contains(k)).as("row %d was written", k).isTrue();
            }

            // Shard 1 lives on ds2 (both sub-tables and the broadcast table), ds0 keeps it only in the retired database.
            DatabaseServer source = this.topology.primary(0);
            DatabaseServer target = this.topology.primary(2);
            long onTarget = DdmOnServers.count(target, SCHEMA + "_1", "t_kv_2") + DdmOnServers.count(target, SCHEMA + "_1", "t_kv_3");
            // MOD_HASH over 4 shards x 2 tables numbered globally: table k % 8, shard 1 holds tables 2 and 3.
            long expectedOnShard1 = rows.keySet().stream().filter((k) -> k % (SHARDS * 2) / 2 == 1).count();
            assertThat(onTarget).isEqualTo(expectedOnShard1);
            assertThat(DdmOnServers.count(target, SCHEMA + "_1", "t_region")).isEqualTo(2);
            assertThat(tables(source, SCHEMA + "_1")).doesNotContain("t_kv_2", "t_kv_3", "t_region");
            String retired = SCHEMA + "_1__moved_1";
            assertThat(tables(source, retired)).contains("t_kv_2", "t_kv_3", "t_region");
            // Nothing reached the old copy after the switch: no key inserted after it is there, no row has more increments.
            for (List<Object> row : retiredRows(source, retired)) {
                long k = ((Number) row.get(0)).longValue();
                assertThat(k).as("key in the retired copy").isLessThanOrEqualTo(switchedAt);
                assertThat(((Number) row.get(1)).intValue()).isLessThanOrEqualTo(rows.get(k));
            }
            // The target's replica holds the shard; the source's replica has it retired too.
            this.topology.awaitReplication();
            DatabaseServer targetReplica = this.topology.replicasOf(2).get(0);
            assertThat(DdmOnServers.count(targetReplica, SCHEMA + "_1", "t_kv_2")
                    + DdmOnServers.count(targetReplica, SCHEMA + "_1", "t_kv_3"))
                .isEqualTo(expectedOnShard1);
            assertThat(tables(this.topology.replicasOf(0).get(0), SCHEMA + "_1")).doesNotContain("t_kv_2", "t_kv_3");

            // Budgets divided again (16 connections per server): ds0 serves one shard now, ds2 one.
            assertThat(pool(mover, "ds0", 0).getMaximumPoolSize()).isEqualTo(16);
            assertThat(pool(mover, "ds2", 1).getMaximumPoolSize()).isEqualTo(16);
            assertThat(pool(mover, "ds1", 2).getMaximumPoolSize()).isEqualTo(8);

            ShardDescriptor shard1 = endpoint(mover).shards().get(1);
            assertThat(shard1.node()).isEqualTo("ds2");
            assertThat(shard1.configuredNode()).isEqualTo("ds0");
            assertThat(endpoint(mover).shards().get(2).configuredNode()).isNull();
            // Its tables' data nodes name where they are served from now.
            assertThat(endpoint(mover).tables().get("t_kv").dataNodes()).contains("ds2.it_move_1.t_kv_2", "ds2.it_move_1.t_kv_3",
                    "ds0.it_move_0.t_kv_0").doesNotContain("ds0.it_move_1.t_kv_2");
            assertThat(endpoint(other).tables().get("t_kv").dataNodes()).contains("ds2.it_move_1.t_kv_2");
        }

        // A restart with the old ddm.placement routes shard 1 to ds2, where the servers record it.
        try (DdmDataSource restarted = DdmDataSourceFactory.create(properties())) {
            assertThat(restarted.getPlacement().current().nodeOf(1)).isEqualTo("ds2");
            assertThat(restarted.getPlacement().configured().nodeOf(1)).isEqualTo("ds0");
            assertThat(restarted.getTopology().placement().nodeOf(1)).isEqualTo("ds2");
            DdmOnServers.execute(restarted, "INSERT INTO t_kv (k, n, v) VALUES (1000000001, 0, 'after restart')");
            this.topology.awaitReplication();
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_1", "t_kv_3")
                    + DdmOnServers.count(this.topology.primary(2), SCHEMA + "_1", "t_kv_2")).isPositive();
            assertThat(DdmOnServers.query(restarted, "SELECT v FROM t_kv WHERE k = 1000000001").get(0).get(0)).isEqualTo("after restart");
            assertThat(endpoint(restarted).shards().get(1).configuredNode()).isEqualTo("ds0");
        }
    }

    @Test
    void movesTheDefaultShardWithItsSingleTablesAndBack() throws Exception {
        // Snowflake keys with a leased worker id: its lock lives on the default shard's primary and moves with it.
        DdmProperties leased = properties();
        DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
        keys.setColumn("k");
        leased.getTables().get("t_kv").setKeyGenerator(keys);
        leased.getKeyGenerator().setWorkerId(null);
        // A binding group: orders and their items, sharded alike, joined on one shard.
        new DdmOnServers(this.topology, SCHEMA, SHARDS).table("t_order", "user_id", "mod-hash", "user_id", "mod-hash", 2)
            .table("t_item", "user_id", "mod-hash", "user_id", "mod-hash", 2).properties().getTables()
            .forEach((name, table) -> {
                table.setBindingGroup("orders");
                leased.getTables().put(name, table);
            });
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(leased);
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            String lock = WorkerLockNames.of(SCHEMA, dataSource.getWorkerId());
            assertThat(holdsLock(this.topology.primary(0), lock)).isTrue();
            createTables(dataSource);
            DdmOnServers.execute(dataSource, "CREATE TABLE t_note (id INT PRIMARY KEY, text VARCHAR(40))",
                    "INSERT INTO t_note VALUES (1, 'single')",
                    "CREATE TABLE t_order (user_id BIGINT NOT NULL, order_id BIGINT NOT NULL, PRIMARY KEY (user_id, order_id))",
                    "CREATE TABLE t_item (user_id BIGINT NOT NULL, order_id BIGINT NOT NULL, qty INT NOT NULL,"
                            + " PRIMARY KEY (user_id, order_id))",
                    "INSERT INTO t_order VALUES (1, 10)", "INSERT INTO t_item VALUES (1, 10, 3)");
            Load load = new Load();
            for (long k = 1; k <= 200; k++) {
                load.insert(dataSource, k, false);
            }
            MoveDescriptor there = moves.start(0, "ds2").await(AWAIT);
            assertThat(there.state()).as("%s", there).isEqualTo(MoveState.DONE);
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_0", "t_note")).isEqualTo(1);
            DdmOnServers.execute(dataSource, "INSERT INTO t_note VALUES (2, 'on ds2')");
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_0", "t_note")).isEqualTo(2);
            // User 1 is in physical tables 1 of shard 0: the binding group moved along, and still joins there.
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_0", "t_order_1")).isEqualTo(1);
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_0", "t_item_1")).isEqualTo(1);
            this.topology.awaitReplication();
            List<List<Object>> joined = DdmOnServers.query(dataSource, "SELECT i.qty FROM t_order o JOIN t_item i ON o.user_id = i.user_id"
                    + " AND o.order_id = i.order_id WHERE o.user_id = 1");
            assertThat(joined).hasSize(1);
            assertThat(((Number) joined.get(0).get(0)).intValue()).isEqualTo(3);
            assertThat(holdsLock(this.topology.primary(2), lock)).as("the worker-id lock on ds2").isTrue();
            assertThat(holdsLock(this.topology.primary(0), lock)).as("the worker-id lock on ds0").isFalse();
            DdmOnServers.execute(dataSource, "INSERT INTO t_kv (n, v) VALUES (0, 'generated key')");

            MoveDescriptor back = moves.start(0, "ds0").await(AWAIT);
            assertThat(back.state()).as("%s", back).isEqualTo(MoveState.DONE);
            DdmOnServers.execute(dataSource, "INSERT INTO t_note VALUES (3, 'back on ds0')");
            assertThat(DdmOnServers.count(this.topology.primary(0), SCHEMA + "_0", "t_note")).isEqualTo(3);
            assertThat(tables(this.topology.primary(2), SCHEMA + "_0")).doesNotContain("t_note");
            assertThat(holdsLock(this.topology.primary(0), lock)).as("the worker-id lock back on ds0").isTrue();
            assertThat(holdsLock(this.topology.primary(2), lock)).isFalse();
            this.topology.awaitReplication();
            assertThat(((Number) DdmOnServers.query(dataSource, "SELECT COUNT(*) FROM t_kv").get(0).get(0)).longValue()).isEqualTo(201);
            assertThat(dataSource.getPlacement().version().epoch()).isEqualTo(2);
        }
    }

    @Test
    void moveToADeadTargetFailsBeforeAnythingChanges() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 1, false);
            this.topology.primary(2).stop();
            MoveDescriptor failed = moves.start(1, "ds2").await(AWAIT);
            assertThat(failed.state()).isEqualTo(MoveState.FAILED);
            assertThat(failed.error()).contains("ds2").contains("does not answer");
            assertThat(dataSource.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
            DdmOnServers.execute(dataSource, "UPDATE t_kv SET n = n + 1 WHERE k = 1");
            this.topology.awaitReplication();
            assertThat(((Number) DdmOnServers.query(dataSource, "SELECT n FROM t_kv WHERE k = 1").get(0).get(0)).intValue()).isEqualTo(1);
            assertThat(tables(this.topology.primary(0), SCHEMA + "_1")).contains("t_kv_2", "t_kv_3");
        }
    }

    @Test
    void aSourceOrTargetWithoutWhatAMoveNeedsFailsItBeforeAnythingChanges() throws Exception {
        DatabaseServer source = this.topology.primary(0);
        DatabaseServer target = this.topology.primary(2);
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
            execute(source, "information_schema", "SET GLOBAL binlog_format = 'MIXED'");
            try {
                MoveDescriptor mixed = moves.start(1, "ds2").await(AWAIT);
                assertThat(mixed.state()).isEqualTo(MoveState.FAILED);
                assertThat(mixed.error()).contains("binlog_format=MIXED").contains("needs ROW and FULL").contains("ds0");
            }
            finally {
                execute(source, "information_schema", "SET GLOBAL binlog_format = 'ROW'");
            }
            execute(source, "information_schema", "SET GLOBAL binlog_row_image = 'MINIMAL'");
            try {
                MoveDescriptor minimal = moves.start(1, "ds2").await(AWAIT);
                assertThat(minimal.state()).isEqualTo(MoveState.FAILED);
                assertThat(minimal.error()).contains("binlog_row_image=MINIMAL").contains("needs ROW and FULL");
            }
            finally {
                execute(source, "information_schema", "SET GLOBAL binlog_row_image = 'FULL'");
            }
        }
        // Accounts with what the application needs, not what a move needs: on the source no binary-log privilege, on the
        // target no right to create the shard database.
        execute(source, "information_schema", "CREATE USER 'mover'@'%' IDENTIFIED BY 'mover'",
                "GRANT ALL ON `it\\_move\\_%`.* TO 'mover'@'%'");
        execute(target, "information_schema", "CREATE USER 'mover'@'%' IDENTIFIED BY 'mover'", "GRANT SELECT ON *.* TO 'mover'@'%'");
        this.topology.awaitReplication();
        try {
            DdmProperties sourceAccount = properties();
            sourceAccount.getNodes().get("ds0").setUsername("mover");
            sourceAccount.getNodes().get("ds0").setPassword("mover");
            try (DdmDataSource dataSource = DdmDataSourceFactory.create(sourceAccount);
                    ShardMoves moves = new ShardMoves(dataSource, settings())) {
                MoveDescriptor refused = moves.start(1, "ds2").await(AWAIT);
                assertThat(refused.state()).isEqualTo(MoveState.FAILED);
                assertThat(refused.error()).contains("DDM's account on the source").contains("ds0")
                    .contains("may not read the binary log").contains("REPLICATION SLAVE");
            }
            DdmProperties targetAccount = properties();
            targetAccount.getNodes().get("ds2").setUsername("mover");
            targetAccount.getNodes().get("ds2").setPassword("mover");
            try (DdmDataSource dataSource = DdmDataSourceFactory.create(targetAccount);
                    ShardMoves moves = new ShardMoves(dataSource, settings())) {
                MoveDescriptor refused = moves.start(1, "ds2").await(AWAIT);
                assertThat(refused.state()).isEqualTo(MoveState.FAILED);
                assertThat(refused.error()).contains("cannot create database 'it_move_1' on the target").contains("ds2")
                    .contains("Grant it CREATE");
                DdmOnServers.execute(dataSource, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            }
        }
        finally {
            execute(source, "information_schema", "DROP USER 'mover'@'%'");
            execute(target, "information_schema", "DROP USER 'mover'@'%'");
        }
        // Nothing changed: the shard is where it was, with its tables; nothing of it on the target.
        assertThat(databases(target)).doesNotContain(SCHEMA + "_1");
        assertThat(tables(source, SCHEMA + "_1")).contains("t_kv_2", "t_kv_3", "t_region");
        assertThat(DdmOnServers.rows(source, SCHEMA + "_1", "SELECT n FROM t_kv_2 WHERE k = 2")).hasSize(1);
    }

    @Test
    void verificationCatchesARowAlteredOnTheTargetBehindDdmsBack() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
            // A large table copied after t_kv_* (tables are copied in name order) keeps the move copying for a while.
            DatabaseServer source = this.topology.primary(0);
            createBulkTable(source);
            ShardMove move = moves.start(1, "ds2");
            DdmOnServers.await(() -> move.descriptor().rowsCopied() > 30_000 || move.descriptor().state().compareTo(MoveState.COPYING) > 0,
                    () -> "the copy reaches the bulk table");
            assertThat(move.descriptor().state()).isEqualTo(MoveState.COPYING);
            execute(this.topology.primary(2), SCHEMA + "_1", "UPDATE t_kv_2 SET v = 'changed behind DDM' WHERE k = 2");
            MoveDescriptor failed = move.await(AWAIT);
            assertThat(failed.state()).isEqualTo(MoveState.FAILED);
            assertThat(failed.error()).contains("Verification").contains("it_move_1.t_kv_2").contains("ds2");
            assertThat(dataSource.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
            assertThat(tables(this.topology.primary(2), SCHEMA + "_1")).isEmpty();
            assertThat(DdmOnServers.query(dataSource, "SELECT v FROM t_kv WHERE k = 2").get(0).get(0)).isEqualTo("v2");
        }
    }

    @Test
    void anAbortedMoveLeavesTheShardOnTheSourceAndRemovesThePartialCopy() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
            DatabaseServer source = this.topology.primary(0);
            createBulkTable(source);
            ShardMove move = moves.start(1, "ds2");
            DdmOnServers.await(() -> move.descriptor().rowsCopied() > 10_000 || move.descriptor().state().compareTo(MoveState.COPYING) > 0,
                    () -> "the copy runs");
            // /actuator/ddm lists the running move.
            List<MoveDescriptor> running = new DdmEndpoint(dataSource, List.of(), Show.NEVER, Set.of(), Duration.ofSeconds(2), moves)
                .topology(SecurityContext.NONE).moves();
            assertThat(running).extracting(MoveDescriptor::id).containsExactly(move.id());
            // DDL is refused while the shard moves, before it reaches any shard (ds1's tables do not move).
            assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> DdmOnServers.execute(dataSource, "ALTER TABLE t_kv ADD COLUMN extra INT"))
                .withMessageContaining("DDL is refused while shard 1 of 'it_move' moves from node 'ds0' to node 'ds2'")
                .withMessageContaining("move " + move.id())
                .withMessageContaining("DELETE /actuator/ddm/moves/" + move.id());
            assertThat(columns(this.topology.primary(1), SCHEMA + "_2", "t_kv_4")).containsExactly("k", "n", "v");
            assertThat(move.abort().state()).isEqualTo(MoveState.COPYING);
            MoveDescriptor aborted = move.await(AWAIT);
            assertThat(aborted.state()).isEqualTo(MoveState.ABORTED);
            assertThat(aborted.error()).isNull();
            assertThat(journalState(source)).isEqualTo("ABORTED");
            assertThat(new DdmEndpoint(dataSource, List.of(), Show.NEVER, Set.of(), Duration.ofSeconds(2), moves)
                .topology(SecurityContext.NONE).moves()).isEmpty();
            assertThat(databases(this.topology.primary(2))).doesNotContain(SCHEMA + "_1");
            assertThat(dataSource.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
            DdmOnServers.execute(dataSource, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            assertThat(DdmOnServers.count(source, SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
            // Once the move ended, DDL runs again.
            DdmOnServers.execute(dataSource, "ALTER TABLE t_kv ADD COLUMN extra INT");
            assertThat(columns(this.topology.primary(1), SCHEMA + "_2", "t_kv_4")).containsExactly("k", "n", "v", "extra");
        }
    }

    @Test
    void theTargetOrTheSourceKilledDuringTheCopyFailsTheMoveAndTheShardServesFromTheSource() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
            DatabaseServer source = this.topology.primary(0);
            DatabaseServer target = this.topology.primary(2);
            createBulkTable(source);

            ShardMove first = startCopying(moves);
            target.kill();
            MoveDescriptor targetDied = first.await(AWAIT);
            assertThat(targetDied.state()).as("%s", targetDied).isEqualTo(MoveState.FAILED);
            assertThat(targetDied.error()).contains("The move failed while copying")
                .contains("The target node 'ds2' does not answer").doesNotContain("The source node")
                .contains("Its partial copy on node 'ds2' could not be removed")
                .contains("drop database 'it_move_1' there");
            assertThat(dataSource.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
            DdmOnServers.execute(dataSource, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            target.start();
            execute(target, "information_schema", "DROP DATABASE IF EXISTS " + SCHEMA + "_1");

            ShardMove second = startCopying(moves);
            source.kill();
            MoveDescriptor sourceDied = second.await(AWAIT);
            assertThat(sourceDied.state()).as("%s", sourceDied).isEqualTo(MoveState.FAILED);
            assertThat(sourceDied.error()).contains("The source node 'ds0' does not answer").doesNotContain("The target node")
                .contains("served from node 'ds0'");
            source.start();
            // The partial copy is gone from the target; the shard is served from the source, all of it.
            assertThat(databases(target)).doesNotContain(SCHEMA + "_1");
            DdmOnServers.await(() -> dataSource.getPhysicalDataSources().availability("ds0").isAvailable(), () -> "DDM finds ds0 up");
            DdmOnServers.execute(dataSource, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            assertThat(DdmOnServers.rows(source, SCHEMA + "_1", "SELECT n FROM t_kv_2 WHERE k = 2")).containsExactly(List.of(2));
            assertThat(DdmOnServers.count(source, SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
            assertThat(dataSource.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
        }
    }

    @Test
    void aSecondMoveOfTheShardIsRefusedAndAnInstanceStartingMeanwhileLeavesTheMoveAlone() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(dataSource, settings())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
            DatabaseServer source = this.topology.primary(0);
            DatabaseServer target = this.topology.primary(2);
            createBulkTable(source);
            ShardMove move = startCopying(moves);
            // A frozen target holds the copy where it is, for as long as the other instance needs.
            target.freeze();
            try {
                try (DdmDataSource other = DdmDataSourceFactory.create(properties());
                        ShardMoves otherMoves = new ShardMoves(other, settings())) {
                    // Its start found the move unfinished in the journal, and its lock held: not rolled back.
                    assertThat(journalState(source, move.id())).isEqualTo("COPYING");
                    MoveDescriptor refused = otherMoves.start(1, "ds2").await(AWAIT);
                    assertThat(refused.state()).isEqualTo(MoveState.FAILED);
                    assertThat(refused.error()).contains("Shard 1 (it_move_1) is being moved by another instance")
                        .contains("'ddm.move.it_move_1'").contains("ds0");
                }
                assertThat(move.descriptor().state()).isEqualTo(MoveState.COPYING);
            }
            finally {
                target.unfreeze();
            }
            MoveDescriptor done = move.await(AWAIT);
            assertThat(done.state()).as("%s", done).isEqualTo(MoveState.DONE);
            assertThat(DdmOnServers.count(target, SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
        }
    }

    @Test
    void anInstanceThatMissedTheMoveFailsNamingTheMoveThenFollowsAtOnce() throws Exception {
        DdmProperties slowToFollow = properties();
        slowToFollow.getMoves().setPlacementCheckInterval(Duration.ofHours(1));
        try (DdmDataSource first = DdmDataSourceFactory.create(properties())) {
            createTables(first);
            new Load().insert(first, 2, false);
        }
        try (DdmDataSource mover = DdmDataSourceFactory.create(properties());
                DdmDataSource other = DdmDataSourceFactory.create(slowToFollow);
                ShardMoves moves = new ShardMoves(mover, settings());
                ShardMoves otherMoves = new ShardMoves(other, settings())) {
            MoveDescriptor done = moves.start(1, "ds2").await(AWAIT);
            assertThat(done.state()).as("%s", done).isEqualTo(MoveState.DONE);
            assertThat(other.getPlacement().current().nodeOf(1)).as("the other instance has not looked yet").isEqualTo("ds0");

            // Its write reaches the retired copy's place on ds0, finds no table there, and says why.
            assertThatExceptionOfType(SQLTransientException.class)
                .isThrownBy(() -> DdmOnServers.execute(other, "UPDATE t_kv SET n = n + 1 WHERE k = 2"))
                .withMessageContaining("Shard 1 of 'it_move' (database 'it_move_1') was moved from node 'ds0' to node 'ds2' by move "
                        + done.id() + " of another instance")
                .withMessageContaining("retry the statement");
            // ... and it follows at once, without waiting for its next check (an hour away).
            assertThat(other.getPlacement().current().nodeOf(1)).isEqualTo("ds2");
            DdmOnServers.execute(other, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            assertThat(DdmOnServers.rows(this.topology.primary(2), SCHEMA + "_1", "SELECT n FROM t_kv_2 WHERE k = 2"))
                .containsExactly(List.of(1));
            assertThat(DdmOnServers.rows(this.topology.primary(0), SCHEMA + "_1__moved_1", "SELECT n FROM t_kv_2 WHERE k = 2"))
                .containsExactly(List.of(0));
            // Failures that have nothing to do with a move stay as the server said them.
            assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> DdmOnServers.execute(other, "INSERT INTO t_kv (k, n, v) VALUES (2, 0, 'twice')"))
                .isNotInstanceOf(SQLTransientException.class)
                .withMessageContaining("Duplicate entry");
        }
    }

    @Test
    void aMoveWhoseProcessWasKilledIsRolledBackAtTheNextStart() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
        }
        DatabaseServer source = this.topology.primary(0);
        createBulkTable(source);
        Process process = startMoveProcess();
        try {
            DdmOnServers.await(() -> journalState(source).equals("COPYING") || !process.isAlive(), () -> "the move process copies");
            assertThat(process.isAlive()).as("the move process runs (target/move-process.log)").isTrue();
        }
        finally {
            process.destroyForcibly().waitFor();
        }
        assertThat(journalState(source)).isEqualTo("COPYING");

        try (DdmDataSource restarted = DdmDataSourceFactory.create(properties());
                ShardMoves moves = new ShardMoves(restarted, settings())) {
            assertThat(journalState(source)).isEqualTo("FAILED");
            assertThat(DdmOnServers.rows(source, SCHEMA + "_1", "SELECT error FROM _ddm_move").get(0).get(0).toString())
                .contains("rolled it back").contains("ds0");
            assertThat(restarted.getPlacement().current().nodeOf(1)).isEqualTo("ds0");
            assertThat(databases(this.topology.primary(2))).doesNotContain(SCHEMA + "_1");
            assertThat(DdmOnServers.count(source, SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
            assertThat(((Number) DdmOnServers.query(restarted, "SELECT n FROM t_kv WHERE k = 2").get(0).get(0)).intValue()).isZero();
            // Nothing is left in the way of the next move.
            MoveDescriptor again = moves.start(1, "ds2").await(AWAIT);
            assertThat(again.state()).as("%s", again).isEqualTo(MoveState.DONE);
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
        }
    }

    @Test
    void aMoveWhoseProcessWasKilledAfterItsPointOfNoReturnIsFinishedAtTheNextStart() throws Exception {
        try (DdmDataSource dataSource = DdmDataSourceFactory.create(properties())) {
            createTables(dataSource);
            new Load().insert(dataSource, 2, false);
        }
        DatabaseServer source = this.topology.primary(0);
        DatabaseServer bystander = this.topology.primary(1);
        createBulkTable(source);
        Process process = startMoveProcess();
        try {
            DdmOnServers.await(() -> journalState(source).equals("COPYING") || !process.isAlive(), () -> "the move process copies");
            // After its point of no return the move records the new placement on every node, ds1 too: with ds1 frozen
            // that waits (up to the move's drain timeout), and the process is killed in that window.
            bystander.freeze();
            DdmOnServers.await(() -> recordsPlacement(this.topology.primary(2), SCHEMA + "_1") || !process.isAlive(),
                    () -> "the move records the new placement on the target");
            assertThat(process.isAlive()).as("the move process runs (target/move-process.log)").isTrue();
        }
        finally {
            process.destroyForcibly().waitFor();
            bystander.unfreeze();
        }
        assertThat(journalState(source)).isEqualTo("SWITCHING");

        try (DdmDataSource restarted = DdmDataSourceFactory.create(properties())) {
            assertThat(journalState(source)).isEqualTo("DONE");
            assertThat(restarted.getPlacement().current().nodeOf(1)).isEqualTo("ds2");
            assertThat(tables(source, SCHEMA + "_1")).doesNotContain("t_kv_2", "t_kv_3", "t_zz_bulk");
            assertThat(DdmOnServers.count(source, SCHEMA + "_1__moved_1", "t_zz_bulk")).isEqualTo(100_000);
            assertThat(DdmOnServers.count(this.topology.primary(2), SCHEMA + "_1", "t_zz_bulk")).isEqualTo(100_000);
            DdmOnServers.execute(restarted, "UPDATE t_kv SET n = n + 1 WHERE k = 2");
            assertThat(DdmOnServers.rows(this.topology.primary(2), SCHEMA + "_1", "SELECT n FROM t_kv_2 WHERE k = 2"))
                .containsExactly(List.of(1));
        }
    }

    /** Starts moving shard 1 to ds2 and returns once the copy of its rows runs. */
    private static ShardMove startCopying(ShardMoves moves) {
        ShardMove move = moves.start(1, "ds2");
        DdmOnServers.await(() -> move.descriptor().rowsCopied() > 1_000 || move.descriptor().state().compareTo(MoveState.COPYING) > 0,
                () -> "the copy runs");
        return move;
    }

    private Process startMoveProcess() throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MoveProcess.class.getName(), "1", "ds2"));
        processProperties().forEach((key, value) -> command.add(key + "=" + value));
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(java.nio.file.Path.of("target", "move-process.log").toFile()).start();
    }

    private static boolean holdsLock(DatabaseServer server, String lock) throws SQLException {
        return DdmOnServers.rows(server, "information_schema", "SELECT IS_USED_LOCK('" + lock + "')").get(0).get(0) != null;
    }

    private static boolean recordsPlacement(DatabaseServer server, String database) {
        try {
            return !DdmOnServers.rows(server, "information_schema", "SELECT 1 FROM TABLES WHERE TABLE_SCHEMA = '" + database
                    + "' AND TABLE_NAME = '_ddm_placement'").isEmpty()
                    && !DdmOnServers.rows(server, database, "SELECT shard FROM _ddm_placement").isEmpty();
        }
        catch (SQLException ex) {
            return false;
        }
    }

    private Map<String, String> processProperties() {
        Map<String, String> result = new java.util.LinkedHashMap<>(this.topology.ddmNodeProperties(DdmOnServers.URL_PARAMETERS));
        result.put("ddm.schema", SCHEMA);
        result.put("ddm.shards", Integer.toString(SHARDS));
        result.put("ddm.key-generator.worker-id", "1");
        result.put("ddm.placement.ds0", "0,1");
        result.put("ddm.placement.ds1", "2,3");
        result.put("ddm.broadcast-tables", "t_region");
        result.put("ddm.tables.t_kv.database-sharding.column", "k");
        result.put("ddm.tables.t_kv.database-sharding.algorithm", "mod-hash");
        result.put("ddm.tables.t_kv.table-sharding.column", "k");
        result.put("ddm.tables.t_kv.table-sharding.algorithm", "mod-hash");
        result.put("ddm.tables.t_kv.table-sharding.tables-per-shard", "2");
        return result;
    }

    private static String journalState(DatabaseServer source, String id) throws SQLException {
        return DdmOnServers.rows(source, SCHEMA + "_1", "SELECT state FROM _ddm_move WHERE id = '" + id + "'").get(0).get(0).toString();
    }

    private static String journalState(DatabaseServer source) {
        try {
            List<List<Object>> rows = DdmOnServers.rows(source, "information_schema",
                    "SELECT 1 FROM TABLES WHERE TABLE_SCHEMA = '" + SCHEMA + "_1' AND TABLE_NAME = '_ddm_move'");
            if (rows.isEmpty()) {
                return "";
            }
            rows = DdmOnServers.rows(source, SCHEMA + "_1", "SELECT state FROM _ddm_move ORDER BY updated_at DESC LIMIT 1");
            return rows.isEmpty() ? "" : rows.get(0).get(0).toString();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** 100,000 rows in shard 1, copied after t_kv_* (tables are copied in name order): the move copies for a while. */
    private static void createBulkTable(DatabaseServer source) throws SQLException {
        execute(source, SCHEMA + "_1", "CREATE TABLE t_zz_bulk (id BIGINT PRIMARY KEY, payload VARCHAR(40))",
                "INSERT INTO t_zz_bulk SELECT seq, CONCAT('row ', seq) FROM seq_1_to_100000");
    }

    private static void execute(DatabaseServer server, String database, String... statements) throws SQLException {
        try (Connection connection = server.connection(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> databases(DatabaseServer server) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema", "SELECT SCHEMA_NAME FROM SCHEMATA")) {
            result.add(row.get(0).toString());
        }
        return result;
    }

    private DdmProperties properties() {
        DdmProperties properties = new DdmOnServers(this.topology, SCHEMA, SHARDS).table("t_kv", "k", "mod-hash", "k", "mod-hash", 2)
            .properties();
        properties.getPlacement().put("ds0", List.of(0, 1));
        properties.getPlacement().put("ds1", List.of(2, 3));
        properties.getBroadcastTables().add("t_region");
        properties.getMoves().setPlacementCheckInterval(Duration.ofMillis(200));
        return properties;
    }

    private static MoveSettings settings() {
        return new MoveSettings(100, Duration.ofMillis(500), Duration.ofSeconds(5), 10, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    private static void createTables(DataSource dataSource) throws SQLException {
        DdmOnServers.execute(dataSource, "CREATE TABLE t_kv (k BIGINT PRIMARY KEY, n INT NOT NULL, v VARCHAR(40))",
                "CREATE TABLE t_region (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO t_region VALUES (1, 'north'), (2, 'south')");
    }

    /** Every row, read in a transaction: from the primaries. */
    private static Map<Long, Integer> rows(DataSource dataSource) throws SQLException {
        Map<Long, Integer> result = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT k, n FROM t_kv")) {
                while (rows.next()) {
                    assertThat(result.put(rows.getLong(1), rows.getInt(2))).as("row %s once", rows.getLong(1)).isNull();
                }
            }
            connection.commit();
        }
        return result;
    }

    private static List<List<Object>> retiredRows(DatabaseServer server, String retired) throws SQLException {
        List<List<Object>> result = new ArrayList<>(DdmOnServers.rows(server, retired, "SELECT k, n FROM t_kv_2"));
        result.addAll(DdmOnServers.rows(server, retired, "SELECT k, n FROM t_kv_3"));
        return result;
    }

    private static List<String> columns(DatabaseServer server, String database, String table) throws SQLException {
        return DdmOnServers.rows(server, "information_schema", "SELECT COLUMN_NAME FROM COLUMNS WHERE TABLE_SCHEMA = '" + database
                + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION").stream().map((row) -> (String) row.get(0)).toList();
    }

    private static List<String> tables(DatabaseServer server, String database) throws SQLException {
        List<String> result = new ArrayList<>();
        for (List<Object> row : DdmOnServers.rows(server, "information_schema",
                "SELECT TABLE_NAME FROM TABLES WHERE TABLE_SCHEMA = '" + database + "'")) {
            result.add(row.get(0).toString());
        }
        return result;
    }

    private static io.ddm.datasource.ServerDataSource pool(DdmDataSource dataSource, String server, int shard) {
        return dataSource.getPhysicalDataSources().pools().stream()
            .filter((pool) -> pool.server().name().equals(server) && pool.shard() == shard)
            .reduce((first, second) -> second).orElseThrow().dataSource();
    }

    private static TopologyDescriptor endpoint(DdmDataSource dataSource) {
        return new DdmEndpoint(dataSource, List.of(), Show.NEVER, Set.of(), Duration.ofSeconds(2)).topology(SecurityContext.NONE);
    }

    /**
     * Inserts of new keys, increments of acknowledged rows and reads, from several threads on two instances. What a
     * statement that failed did is unknown: its key (insert) or increment counts as doubtful, not as acknowledged.
     */
    private static final class Load {

        static final long THINK_MILLIS = 5;

        final AtomicLong keys = new AtomicLong(1_000_000);

        final AtomicLong operations = new AtomicLong();

        final Map<Long, AtomicInteger> acknowledged = new ConcurrentHashMap<>();

        final Map<Long, AtomicInteger> doubtfulIncrements = new ConcurrentHashMap<>();

        final Set<Long> doubtfulInserts = ConcurrentHashMap.newKeySet();

        final Map<DataSource, AtomicInteger> failures = new ConcurrentHashMap<>();

        final Map<DataSource, Throwable> firstFailures = new ConcurrentHashMap<>();

        private final AtomicBoolean running = new AtomicBoolean(true);

        private final List<Thread> threads = new ArrayList<>();

        private final List<Long> known = java.util.Collections.synchronizedList(new ArrayList<>());

        void start(DataSource first, DataSource second, int threadsEach) {
            for (int i = 0; i < 2 * threadsEach; i++) {
                DataSource dataSource = (i % 2 == 0) ? first : second;
                Thread thread = new Thread(() -> run(dataSource), "load-" + i);
                thread.setDaemon(true);
                this.threads.add(thread);
                thread.start();
            }
        }

        void awaitOperations(long count) {
            DdmOnServers.await(() -> this.operations.get() >= count || !this.threads.stream().anyMatch(Thread::isAlive),
                    () -> count + " operations");
        }

        void stop() throws InterruptedException {
            this.running.set(false);
            for (Thread thread : this.threads) {
                thread.join(60_000);
            }
        }

        List<Throwable> failures(DataSource dataSource) {
            Throwable first = this.firstFailures.get(dataSource);
            return (first == null) ? List.of() : List.of(first);
        }

        private void run(DataSource dataSource) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (this.running.get()) {
                int dice = random.nextInt(10);
                if (dice < 5 || this.known.size() < 10) {
                    insert(dataSource, this.keys.incrementAndGet(), true);
                }
                else if (dice < 9) {
                    long k = this.known.get(random.nextInt(this.known.size()));
                    increment(dataSource, k);
                }
                else {
                    try {
                        DdmOnServers.query(dataSource, "SELECT n FROM t_kv WHERE k = ?", this.known.get(random.nextInt(this.known.size())));
                    }
                    catch (SQLException ex) {
                        fail(dataSource, ex);
                    }
                }
                this.operations.incrementAndGet();
                // A client's think time: 16 unthrottled threads on this 2-core machine write faster than one stream
                // applies while it shares the cores with them (see README, limits of shard moves).
                try {
                    Thread.sleep(THINK_MILLIS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void insert(DataSource dataSource, long k, boolean tolerant) {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("INSERT INTO t_kv (k, n, v) VALUES (?, 0, ?)")) {
                statement.setLong(1, k);
                statement.setString(2, "v" + k);
                statement.executeUpdate();
                this.acknowledged.put(k, new AtomicInteger());
                this.known.add(k);
            }
            catch (SQLException ex) {
                if (!tolerant) {
                    throw new IllegalStateException(ex);
                }
                this.doubtfulInserts.add(k);
                fail(dataSource, ex);
            }
        }

        private void increment(DataSource dataSource, long k) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                int updated = statement.executeUpdate("UPDATE t_kv SET n = n + 1 WHERE k = " + k);
                if (updated != 1) {
                    throw new IllegalStateException("Row " + k + " was acknowledged but the update found " + updated + " rows");
                }
                this.acknowledged.get(k).incrementAndGet();
            }
            catch (SQLException ex) {
                this.doubtfulIncrements.computeIfAbsent(k, (key) -> new AtomicInteger()).incrementAndGet();
                fail(dataSource, ex);
            }
            catch (IllegalStateException ex) {
                fail(dataSource, ex);
            }
        }

        private void fail(DataSource dataSource, Throwable ex) {
            this.failures.computeIfAbsent(dataSource, (key) -> new AtomicInteger()).incrementAndGet();
            this.firstFailures.putIfAbsent(dataSource, ex);
        }

    }

}
