package io.ddm.keygen;

import java.sql.SQLException;

import io.ddm.datasource.Failures;

/**
 * One sequence as this instance sees it: the block {@code [next, end)} it reserved in {@link SequenceTable} and hands
 * out from memory. Values one instance hands out increase, because every block lies above the previous one; values
 * are unique across instances and restarts, because every block is reserved by one atomic statement before any of
 * its values is used. A block whose reservation failed hands out nothing.
 */
final class BlockSequence {

    private final String name;

    private final String table;

    private final String column;

    private final int blockSize;

    private final SequenceTable store;

    private long next;

    private long end;

    BlockSequence(String name, String table, String column, int blockSize, SequenceTable store) {
        this.name = name;
        this.table = table;
        this.column = column;
        this.blockSize = blockSize;
        this.store = store;
    }

    String name() {
        return this.name;
    }

    /**
     * Hands out values, reserving new blocks as needed.
     * @param count number of values
     * @return the values, increasing
     * @throws SequenceUnavailableException when a block cannot be reserved; no value is handed out then
     */
    synchronized long[] next(int count) {
        long[] result = new long[count];
        for (int i = 0; i < count; i++) {
            if (this.next >= this.end) {
                reserve(1);
            }
            result[i] = this.next++;
        }
        return result;
    }

    /**
     * The values {@link #next} would hand out, consuming nothing and reserving nothing (for route previews).
     * @param count number of values
     * @return the values
     */
    synchronized long[] preview(int count) {
        long first = (this.next < this.end) ? this.next : Math.max(this.end, 1);
        long[] result = new long[count];
        for (int i = 0; i < count; i++) {
            result[i] = first + i;
        }
        return result;
    }

    /**
     * Takes note of a value an INSERT gave explicitly: when it lies ahead of this instance's position, the position
     * moves past it, and when it lies beyond the block, the next block is reserved past it right away, so that no
     * instance reserves it later.
     * @param value the explicit value
     * @throws SequenceUnavailableException when the block past it cannot be reserved
     */
    synchronized void explicit(long value) {
        if (value < this.next || value == Long.MAX_VALUE) {
            return;
        }
        if (value < this.end) {
            this.next = value + 1;
            return;
        }
        this.next = this.end;
        reserve(value + 1);
    }

    /**
     * Moves the sequence forward: no block reserved from now on starts below the value, and this instance's next value
     * is at least the value. Blocks other instances hold keep being handed out.
     * @param value the first value to hand out from now on
     * @throws IllegalArgumentException when values at or above the value may have been handed out already
     * @throws SequenceUnavailableException when the server cannot be reached
     */
    synchronized void moveTo(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("Sequence '" + this.name + "' cannot move to " + value + ": its values start at 1");
        }
        long before;
        try {
            before = this.store.moveTo(this.name, value);
        }
        catch (SQLException ex) {
            throw unavailable("moving it to " + value, ex);
        }
        if (before > value) {
            throw new IllegalArgumentException("Sequence '" + this.name + "' cannot move back to " + value + ": values up to "
                    + (before - 1) + " may have been handed out already. Move it to at least " + before + ".");
        }
        if (this.next < value) {
            // This instance's block lies below the value: give it up.
            this.next = this.end;
        }
    }

    /**
     * This instance's position, and where the next block would start.
     * @param firstUnreserved whether to ask the server for its first unreserved value (else it is {@code null})
     * @return the state
     */
    synchronized SequenceState state(boolean firstUnreserved) {
        Long unreserved = null;
        if (firstUnreserved) {
            try {
                unreserved = this.store.firstUnreserved(this.name);
            }
            catch (SQLException ex) {
                throw unavailable("reading it", ex);
            }
        }
        boolean hasBlock = this.next < this.end;
        return new SequenceState(this.name, this.table, this.column, hasBlock ? this.next : null, hasBlock ? this.end : null,
                this.blockSize, this.store.server().name(), unreserved);
    }

    private void reserve(long floor) {
        long reservedEnd;
        try {
            reservedEnd = this.store.reserve(this.name, this.blockSize, Math.max(floor, this.end));
        }
        catch (SQLException ex) {
            throw unavailable("reserving its next block of " + this.blockSize + " values", ex);
        }
        this.next = reservedEnd - this.blockSize;
        this.end = reservedEnd;
    }

    private SequenceUnavailableException unavailable(String what, SQLException cause) {
        return new SequenceUnavailableException("Sequence '" + this.name + "' (table '" + this.table
                + "', column '" + this.column + "') failed " + what + " on " + Failures.describe(this.store.server()) + " ("
                + Failures.describe(cause) + "). No value of an unconfirmed block is handed out; inserts that need a value from it"
                + " fail until the server answers again.", cause);
    }

}
