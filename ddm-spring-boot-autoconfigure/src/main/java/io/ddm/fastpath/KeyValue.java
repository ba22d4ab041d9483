package io.ddm.fastpath;

import java.util.List;

/**
 * Where a statement gives the value of one sharding column: a parameter, a literal of the SQL text, or the key
 * ShardingSphere's key generator makes for an insert that leaves the column out.
 *
 * @param column the sharding column, as the rule names it
 * @param parameterIndex the 0-based parameter, or {@link #LITERAL} or {@link #GENERATED}
 * @param literal the literal's value, for {@link #LITERAL}
 */
record KeyValue(String column, int parameterIndex, Comparable<?> literal) {

    /** The value is a literal of the SQL text. */
    static final int LITERAL = -1;

    /** The value is the generated key. */
    static final int GENERATED = -2;

    static KeyValue parameter(String column, int index) {
        return new KeyValue(column, index, null);
    }

    static KeyValue literal(String column, Comparable<?> value) {
        return new KeyValue(column, LITERAL, value);
    }

    static KeyValue generated(String column) {
        return new KeyValue(column, GENERATED, null);
    }

    /**
     * The value for one execution, as ShardingSphere's sharding conditions would take it.
     * @param parameters the parameters set
     * @param generatedKey the key generated for this execution, or {@code null}
     * @return the value, or {@code null} when it is not set, {@code NULL}, or not comparable (ShardingSphere routes those
     * differently: the statement then goes to ShardingSphere)
     */
    Comparable<?> value(List<Object> parameters, Comparable<?> generatedKey) {
        if (this.parameterIndex == LITERAL) {
            return this.literal;
        }
        if (this.parameterIndex == GENERATED) {
            return generatedKey;
        }
        if (this.parameterIndex >= parameters.size()) {
            return null;
        }
        return (parameters.get(this.parameterIndex) instanceof Comparable<?> comparable) ? comparable : null;
    }

}
