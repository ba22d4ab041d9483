package io.ddm.benchmarks.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddm.algorithm.ShardingFormula;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.topology.PhysicalNames;

/**
 * The suite's logical database: schema {@value #SCHEMA}, {@value #SHARDS} shard databases (0-1 on node {@code ds0},
 * 2-3 on {@code ds1}, DDM's default placement), one logical table {@value #TABLE} of {@value #TABLES_PER_SHARD}
 * physical tables per shard, sharded by {@code user_id} with {@code mod-hash} and global numbering: table
 * {@code g = user_id % 8} in shard {@code g / 2}.
 *
 * <p>Ids are made by the client and unique: writer thread {@code t} (from 0) writes rows
 * {@code (t + 1) * 10^10 + seq} ({@code seq} from 1) of its own users {@code (t + 1) * 1000 + j}
 * ({@code j < }{@value #USERS_PER_THREAD}), so {@code j % 8} chooses the physical table and each thread writes to
 * every shard. Rows carry no unique key on {@code id}: a row written twice would be stored twice, and counted.
 */
final class ReliabilityData {

    /** Logical database. */
    static final String SCHEMA = "reliability";

    /** Shard databases. */
    static final int SHARDS = 4;

    /** Physical tables per shard database. */
    static final int TABLES_PER_SHARD = 2;

    /** Physical tables in all. */
    static final int TABLES = SHARDS * TABLES_PER_SHARD;

    /** The logical table. */
    static final String TABLE = "t_item";

    /** Users of each writer thread; a multiple of {@link #TABLES}, so each thread has users in every table. */
    static final int USERS_PER_THREAD = 64;

    /** The logical DDL, run through DDM, which creates every physical table. */
    static final String CREATE_TABLE = "CREATE TABLE " + TABLE + " (row_no BIGINT NOT NULL AUTO_INCREMENT, id BIGINT NOT NULL,"
            + " user_id BIGINT NOT NULL, writer INT NOT NULL, v INT NOT NULL DEFAULT 0, PRIMARY KEY (row_no),"
            + " KEY idx_item_user (user_id, id))";

    private static final long ID_BASE = 10_000_000_000L;

    private static final long USER_BASE = 1_000L;

    private static final ShardingFormula FORMULA = ShardingFormula.of(ShardingFunction.MOD_HASH, TABLES, 0);

    private ReliabilityData() {
    }

    /**
     * The {@code ddm.*} properties of the table, without nodes.
     * @return property names to values
     */
    static Map<String, String> tableProperties() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("ddm.schema", SCHEMA);
        result.put("ddm.shards", Integer.toString(SHARDS));
        result.put("ddm.create-shard-databases", "true");
        String prefix = "ddm.tables." + TABLE;
        result.put(prefix + ".database-sharding.column", "user_id");
        result.put(prefix + ".database-sharding.algorithm", "mod-hash");
        result.put(prefix + ".table-sharding.column", "user_id");
        result.put(prefix + ".table-sharding.algorithm", "mod-hash");
        result.put(prefix + ".table-sharding.tables-per-shard", Integer.toString(TABLES_PER_SHARD));
        return result;
    }

    static long id(int writer, long seq) {
        return (writer + 1) * ID_BASE + seq;
    }

    /** The writer of an id, -1 for an id of no writer. */
    static int writerOf(long id) {
        return (id > ID_BASE) ? (int) (id / ID_BASE) - 1 : -1;
    }

    static long seqOf(long id) {
        return id % ID_BASE;
    }

    static long userId(int writer, int user) {
        return (writer + 1) * USER_BASE + user;
    }

    /** The global physical table number of a user by DDM's formula: {@code 0 .. 7}. */
    static int tableOf(long userId) {
        return FORMULA.indexOf(userId);
    }

    static int shardOf(long userId) {
        return tableOf(userId) / TABLES_PER_SHARD;
    }

    /** The node index holding a shard under DDM's default placement. */
    static int nodeOf(int shard) {
        return shard / (SHARDS / 2);
    }

    static String database(int shard) {
        return PhysicalNames.shardDatabase(SCHEMA, shard);
    }

}
