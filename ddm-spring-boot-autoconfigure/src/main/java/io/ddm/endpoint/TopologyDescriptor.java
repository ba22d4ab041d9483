package io.ddm.endpoint;

import java.util.List;
import java.util.Map;

import io.ddm.move.MoveDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * The whole logical database as {@code /actuator/ddm} shows it.
 *
 * @param schema logical schema
 * @param shardCount number of shard databases
 * @param nodes nodes with their servers
 * @param shards shard databases and where they are placed
 * @param tables every logical table by name: sharded, broadcast and single
 * @param readWriteSplitting how reads are spread
 * @param keyGenerators generated-key columns by table
 * @param workerId this instance's snowflake worker id
 * @param sequences the sequences of tables with key-generator type sequence, as this instance holds them
 * @param moves the shard moves running in this instance
 */
public record TopologyDescriptor(String schema, int shardCount, List<NodeDescriptor> nodes, List<ShardDescriptor> shards,
        Map<String, TableDescriptor> tables, ReadWriteSplittingDescriptor readWriteSplitting,
        Map<String, KeyGeneratorDescriptor> keyGenerators, int workerId, List<SequenceDescriptor> sequences,
        List<MoveDescriptor> moves) {

    /**
     * A node.
     * @param name node name
     * @param primary its primary
     * @param replicas its replicas
     * @param shards the shard indexes it hosts
     */
    public record NodeDescriptor(String name, ServerDescriptor primary, List<ServerDescriptor> replicas, List<Integer> shards) {
    }

    /**
     * A server, without credentials: its URL and username follow the endpoint's show-values setting.
     * @param name server name
     * @param role primary or replica
     * @param address host and port
     * @param databases the shard databases it serves
     * @param url JDBC URL, sanitized
     * @param username login user, sanitized
     * @param weight read weight (replicas)
     * @param pool connections of its shard pools
     * @param state UP or DOWN from a round trip made for this response
     * @param error why it is DOWN
     */
    public record ServerDescriptor(String name, String role, String address, List<String> databases, Object url, Object username,
            Integer weight, PoolDescriptor pool, String state, String error) {
    }

    /**
     * Connections of one server over its shard pools.
     * @param maximum the most the pools may open (the server's budget)
     * @param perShard the most one shard pool may open
     * @param active in use
     * @param idle idle
     * @param total open
     * @param waiting threads waiting for a connection
     * @param longestWaitMillis how long the longest borrow now waiting has waited
     * @param saturated whether a shard pool has all its connections in use while threads wait: busy, not down
     */
    public record PoolDescriptor(int maximum, int perShard, int active, int idle, int total, int waiting, long longestWaitMillis,
            boolean saturated) {
    }

    /**
     * A shard database.
     * @param index shard index
     * @param database physical database name
     * @param node the node it is served from now: where the servers record it once a move switched it
     * @param configuredNode where {@code ddm.placement} puts it, only when that differs from {@code node}
     */
    public record ShardDescriptor(int index, String database, String node, @Nullable String configuredNode) {
    }

    /**
     * Read/write splitting settings.
     * @param loadBalancer how reads pick a replica outside transactions
     * @param transactionalReads where reads inside a transaction go
     */
    public record ReadWriteSplittingDescriptor(String loadBalancer, String transactionalReads) {
    }

    /**
     * A generated-key column.
     * @param column the column
     * @param type snowflake, uuid or sequence
     */
    public record KeyGeneratorDescriptor(String column, String type) {
    }

    /**
     * A sequence's position in this instance.
     * @param name the sequence's name
     * @param table the logical table
     * @param column the column it fills
     * @param next the next value this instance hands out, or {@code null} while it holds no unused block
     * @param blockEnd the first value after this instance's block, or {@code null} while it holds no unused block
     * @param blockSize values reserved per block
     * @param server the server holding the sequence (the default shard's primary)
     * @param firstUnreserved the first value no instance has reserved yet (read from the server), or {@code null} when
     *     not read
     */
    public record SequenceDescriptor(String name, String table, String column, Long next, Long blockEnd, int blockSize, String server,
            Long firstUnreserved) {

        /**
         * The descriptor of a sequence's state.
         * @param state the state
         * @return the descriptor
         */
        public static SequenceDescriptor of(io.ddm.keygen.SequenceState state) {
            return new SequenceDescriptor(state.name(), state.table(), state.column(), state.next(), state.blockEnd(),
                    state.blockSize(), state.server(), state.firstUnreserved());
        }

    }

}
