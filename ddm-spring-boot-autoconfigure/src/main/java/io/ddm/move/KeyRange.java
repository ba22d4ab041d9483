package io.ddm.move;

import java.util.List;

/**
 * A range of a table's primary key, as the chunks of a comparison cover them: the keys after {@link #after()}
 * (exclusive) up to {@link #upTo()} (inclusive). An unbounded end is {@code null}: the first chunk of a table starts
 * below its first key and its last chunk ends above its last, so rows the target has outside the source's keys fall in
 * a chunk too.
 *
 * @param columns the key's columns
 * @param after the values of the key the range starts after, as text; {@code null} for the start of the table
 * @param upTo the values of the last key in the range, as text; {@code null} for the end of the table
 */
public record KeyRange(List<String> columns, List<String> after, List<String> upTo) {

    public KeyRange {
        columns = List.copyOf(columns);
        after = (after != null) ? List.copyOf(after) : null;
        upTo = (upTo != null) ? List.copyOf(upTo) : null;
    }

    @Override
    public String toString() {
        String key = tuple(this.columns);
        if (this.after == null && this.upTo == null) {
            return "all keys " + key;
        }
        if (this.after == null) {
            return key + " <= " + tuple(this.upTo);
        }
        if (this.upTo == null) {
            return key + " > " + tuple(this.after);
        }
        return key + " > " + tuple(this.after) + " and <= " + tuple(this.upTo);
    }

    private static String tuple(List<String> values) {
        return (values.size() == 1) ? values.get(0) : "(" + String.join(", ", values) + ")";
    }

}
