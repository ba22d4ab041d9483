package io.ddm.algorithm;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What kind of column (integer, string, date) a sharding column is, as the logical database's metadata knows it,
 * so a key given as a string literal routes as its column's value: {@code user_id = '15'} on an integer column
 * routes as 15, as in DDM ("MOD_HASH('8') is equivalent to 8 % D"). ShardingSphere creates DDM's algorithms from
 * properties only, so each data source registers its lookup under an id that the algorithms' properties carry;
 * the lookup is bound once ShardingSphere has started (its metadata is refreshed by DDL through DDM).
 */
public final class ShardingColumnTypes implements AutoCloseable {

    private static final Map<String, ShardingColumnTypes> REGISTERED = new ConcurrentHashMap<>();

    private final String id;

    private volatile Lookup lookup = (table, column) -> null;

    private ShardingColumnTypes(String id) {
        this.id = id;
    }

    /**
     * Registers a lookup that knows no column until {@link #bind(Lookup)}.
     * @param schema the logical schema, part of the id for readability
     * @return the registration, to close with its data source
     */
    public static ShardingColumnTypes register(String schema) {
        ShardingColumnTypes result = new ShardingColumnTypes(schema + "-" + UUID.randomUUID());
        REGISTERED.put(result.id, result);
        return result;
    }

    /**
     * The kind of a column of a data source's logical table, or {@code null} when it is not known.
     * @param id the registration id
     * @param table logical table
     * @param column column
     * @return the column's kind, or {@code null}
     */
    static ShardingKeyKind kindOf(String id, String table, String column) {
        ShardingColumnTypes registered = (id != null) ? REGISTERED.get(id) : null;
        return (registered != null) ? registered.kindOf(table, column) : null;
    }

    /**
     * The kind of a column of a logical table, or {@code null} when it is not known.
     * @param table logical table
     * @param column column
     * @return the column's kind, or {@code null}
     */
    public ShardingKeyKind kindOf(String table, String column) {
        return this.lookup.kindOf(table, column);
    }

    /**
     * The id the algorithms find this registration by.
     * @return the id
     */
    public String id() {
        return this.id;
    }

    /**
     * Binds the metadata the kinds are read from.
     * @param lookup the lookup
     */
    public void bind(Lookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void close() {
        REGISTERED.remove(this.id, this);
    }

    /**
     * Reads the kind of a column from a logical database's metadata.
     */
    @FunctionalInterface
    public interface Lookup {

        /**
         * The kind of a column, or {@code null} when the table or column is not known, or is of a kind no
         * algorithm accepts.
         * @param table logical table
         * @param column column
         * @return the kind, or {@code null}
         */
        ShardingKeyKind kindOf(String table, String column);

    }

}
