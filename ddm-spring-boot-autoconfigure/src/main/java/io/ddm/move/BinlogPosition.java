package io.ddm.move;

import java.util.Comparator;

/**
 * A position in a server's binary log: a file and an offset in it. Positions of one server compare in log order;
 * binary log files are numbered ({@code binlog.000012}), so the number of the file orders them.
 *
 * @param file the binary log file name
 * @param position the offset in that file
 */
public record BinlogPosition(String file, long position) implements Comparable<BinlogPosition> {

    private static final Comparator<BinlogPosition> ORDER = Comparator.comparingLong(BinlogPosition::fileNumber)
        .thenComparing(BinlogPosition::file)
        .thenComparingLong(BinlogPosition::position);

    public BinlogPosition {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("A binary log position needs a file name");
        }
    }

    /**
     * The number a binary log file name ends with ({@code 12} for {@code binlog.000012}).
     * @return the number, or -1 when the name has none
     */
    public long fileNumber() {
        int dot = this.file.lastIndexOf('.');
        try {
            return Long.parseLong(this.file.substring(dot + 1));
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    @Override
    public int compareTo(BinlogPosition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return this.file + ":" + this.position;
    }

}
