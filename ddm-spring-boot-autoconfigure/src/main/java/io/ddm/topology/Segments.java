package io.ddm.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The range segments of a table: inside every shard, consecutive key ranges of one column, each in a physical
 * table of its own ({@code t_order_{shard}_{segment}}). Segment {@code 0} holds keys {@code start .. bounds[0]},
 * segment {@code i} holds {@code bounds[i-1]+1 .. bounds[i]}; all bounds are inclusive and increasing, so the
 * segments have no gaps and do not overlap. Adding a segment appends a bound: no existing segment changes.
 *
 * @param column the column whose value picks the segment
 * @param start smallest key of the first segment
 * @param bounds largest key of each segment, increasing
 */
public record Segments(String column, long start, List<Long> bounds) {

    public Segments {
        bounds = List.copyOf(bounds);
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("at least one segment is needed");
        }
        for (int i = 0; i < bounds.size(); i++) {
            if ((i == 0) ? bounds.get(0) < start : bounds.get(i) <= bounds.get(i - 1)) {
                throw new IllegalArgumentException("segment bounds must increase from " + start + ": " + bounds);
            }
        }
    }

    /**
     * The number of segments.
     * @return the count
     */
    public int count() {
        return this.bounds.size();
    }

    /**
     * One segment.
     * @param index segment index
     * @return its key range
     */
    public Segment segment(int index) {
        long from = (index == 0) ? this.start : this.bounds.get(index - 1) + 1;
        return new Segment(index, from, this.bounds.get(index));
    }

    /**
     * Every segment, in key order.
     * @return the segments
     */
    public List<Segment> all() {
        List<Segment> result = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            result.add(segment(i));
        }
        return result;
    }

    /**
     * The newest segment, the one that fills up next.
     * @return the last segment
     */
    public Segment last() {
        return segment(count() - 1);
    }

    /**
     * The segment holding a key.
     * @param key the key
     * @return the segment index, or {@code -1} when the key lies outside every segment
     */
    public int indexOf(long key) {
        if (key < this.start || key > this.bounds.get(count() - 1)) {
            return -1;
        }
        int low = 0;
        int high = count() - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (key <= this.bounds.get(middle)) {
                high = middle;
            }
            else {
                low = middle + 1;
            }
        }
        return low;
    }

    @Override
    public String toString() {
        return "segments(" + this.column + ") " + all();
    }

    /**
     * One segment's keys.
     *
     * @param index segment index, part of its physical tables' names
     * @param from smallest key, inclusive
     * @param to largest key, inclusive
     */
    public record Segment(int index, long from, long to) {

        /**
         * How many keys the segment holds at most.
         * @return {@code to - from + 1}, at most {@link Long#MAX_VALUE}
         */
        public long capacity() {
            long size = this.to - this.from + 1;
            return (size <= 0) ? Long.MAX_VALUE : size;
        }

        @Override
        public String toString() {
            return this.from + ".." + this.to;
        }

    }

}
