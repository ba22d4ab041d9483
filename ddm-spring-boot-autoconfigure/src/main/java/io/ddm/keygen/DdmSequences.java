package io.ddm.keygen;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import io.ddm.topology.Server;

/**
 * The sequences of one DDM data source ({@code key-generator.type: sequence}), one per logical table, kept in table
 * {@code _ddm_sequence} of the default shard database. Applications inject it to read or move a sequence:
 * {@link #moveTo(String, long)} is what {@code POST /actuator/ddm/sequences/{name}} does.
 *
 * <p>ShardingSphere creates key generators from a type and string properties only, so each data source's sequences
 * are registered under a unique {@link #key()} that {@link SequenceKeyGenerateAlgorithm} looks up when initialised;
 * generators ShardingSphere creates again for a table continue the same block.
 */
public final class DdmSequences implements AutoCloseable {

    private static final ConcurrentMap<String, DdmSequences> REGISTERED = new ConcurrentHashMap<>();

    private final String key = UUID.randomUUID().toString();

    private final SequenceTable store;

    private final Map<String, BlockSequence> sequences;

    private DdmSequences(SequenceTable store, Map<String, BlockSequence> sequences) {
        this.store = store;
        this.sequences = sequences;
    }

    /**
     * Creates the sequence table and rows where missing and registers the sequences. Nothing is reserved yet: each
     * instance reserves its first block with its first insert.
     * @param server the server holding the table, looked up again before every statement (the default shard's primary)
     * @param database the default shard database
     * @param columns the column each sequence fills, by logical table (the sequence's name)
     * @param blockSize values reserved per block
     * @param timeout bound of connecting and of every answer
     * @return the registered sequences, to close with the data source
     * @throws SQLException when the table cannot be created
     */
    public static DdmSequences create(Supplier<Server> server, String database, Map<String, String> columns, int blockSize,
            Duration timeout) throws SQLException {
        SequenceTable store = new SequenceTable(server, database, timeout);
        try {
            store.create(columns.keySet());
        }
        catch (SQLException | RuntimeException ex) {
            store.close();
            throw ex;
        }
        Map<String, BlockSequence> sequences = new LinkedHashMap<>();
        columns.forEach((table, column) -> sequences.put(table, new BlockSequence(table, table, column, blockSize, store)));
        DdmSequences result = new DdmSequences(store, Map.copyOf(sequences));
        REGISTERED.put(result.key, result);
        return result;
    }

    /**
     * Sequences with no table at all, for a data source whose tables use none.
     * @return an empty, unregistered set
     */
    public static DdmSequences none() {
        return new DdmSequences(null, Map.of());
    }

    static Optional<DdmSequences> lookup(String key) {
        return Optional.ofNullable(REGISTERED.get(key));
    }

    /**
     * The key that names this registration in the key generators' properties.
     * @return the key
     */
    public String key() {
        return this.key;
    }

    Optional<BlockSequence> sequence(String name) {
        return Optional.ofNullable(this.sequences.get(name));
    }

    /**
     * Names of the sequences: the logical tables that use one.
     * @return the names, in no particular order
     */
    public List<String> names() {
        List<String> result = new ArrayList<>(this.sequences.keySet());
        result.sort(String::compareTo);
        return result;
    }

    /**
     * Every sequence's position in this instance, read from memory only.
     * @return the states by name
     */
    public List<SequenceState> states() {
        return names().stream().map((name) -> this.sequences.get(name).state(false)).toList();
    }

    /**
     * One sequence's position in this instance and, read from the server, its first unreserved value.
     * @param name the sequence's name (its logical table)
     * @return the state, empty for an unknown name
     * @throws SequenceUnavailableException when the server cannot be reached
     */
    public Optional<SequenceState> state(String name) {
        return sequence(name).map((sequence) -> sequence.state(true));
    }

    /**
     * Moves a sequence forward: blocks reserved from now on start at the value or above, and this instance's next
     * value is at least the value. Other running instances hand out what is left of their current block first.
     * @param name the sequence's name (its logical table)
     * @param value the lowest value to hand out from now on
     * @return the sequence's state after the move
     * @throws IllegalArgumentException for an unknown sequence, or when values at or above the value may have been
     * handed out already (moving backwards)
     * @throws SequenceUnavailableException when the server cannot be reached
     */
    public SequenceState moveTo(String name, long value) {
        BlockSequence sequence = sequence(name).orElseThrow(() -> new IllegalArgumentException("No sequence '" + name
                + "'; sequences: " + names()));
        sequence.moveTo(value);
        return sequence.state(true);
    }

    /**
     * Unregisters the sequences and closes their connection. Unused values of this instance's blocks are lost.
     */
    @Override
    public void close() {
        REGISTERED.remove(this.key, this);
        if (this.store != null) {
            this.store.close();
        }
    }

}
