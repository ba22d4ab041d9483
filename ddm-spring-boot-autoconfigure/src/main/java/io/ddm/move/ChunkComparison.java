package io.ddm.move;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.ddm.move.ShardSideException.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the tables of a shard on the source and the target chunk by chunk, each side in a consistent snapshot (the
 * source's at a binary-log position, the target's once it has applied the changes exactly up to that position; see
 * {@link ShardSnapshot}). Each table is split by primary key into chunks of {@code chunkRows} rows of the source, and
 * for each chunk both servers compute the row count and a 128-bit checksum: the {@code BIT_XOR} of the MD5s of the rows,
 * each row encoded column by column as {@code length:bytes} or {@code N} for {@code NULL}, so a changed value, a
 * {@code NULL} turned into {@code ''}, a missing or extra row and a row moved to another chunk all change the chunk.
 * The first chunk of a table is open below and the last open above, so target rows with keys outside the source's
 * range are compared too. Rows are compared as the servers render them in a {@code +00:00} session (numbers and dates
 * as text, strings as their bytes).
 *
 * <p>Progress ({@link #chunksCompared()}, {@link #rowsCompared()}) may be read and {@link #cancel()} called from any
 * thread. Session time zones are put back afterwards; the connections stay open.
 */
public final class ChunkComparison {

    /** Rows of the source per chunk. */
    public static final int DEFAULT_CHUNK_ROWS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ChunkComparison.class);

    private final Connection source;

    private final Connection target;

    private final List<ShardTable> tables;

    private final int chunkRows;

    private final AtomicLong chunksCompared = new AtomicLong();

    private final AtomicLong rowsCompared = new AtomicLong();

    private volatile boolean cancelled;

    /**
     * Creates a comparison with chunks of {@value #DEFAULT_CHUNK_ROWS} rows.
     * @param source a connection to the source primary holding a snapshot
     * @param target a connection to the target primary holding a snapshot
     * @param tables the shard's tables (as read on the source)
     */
    public ChunkComparison(Connection source, Connection target, List<ShardTable> tables) {
        this(source, target, tables, DEFAULT_CHUNK_ROWS);
    }

    /**
     * Creates a comparison.
     * @param source a connection to the source primary holding a snapshot
     * @param target a connection to the target primary holding a snapshot
     * @param tables the shard's tables (as read on the source)
     * @param chunkRows source rows per chunk
     */
    public ChunkComparison(Connection source, Connection target, List<ShardTable> tables, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("Chunks must have at least one row");
        }
        this.source = source;
        this.target = target;
        this.tables = List.copyOf(tables);
        this.chunkRows = chunkRows;
    }

    /**
     * Compares every chunk of every table.
     * @return what differs, and how much was compared
     * @throws ShardSideException when a statement fails on the source or the target (e.g. a table missing on the target)
     * @throws SQLException when session settings cannot be set or restored
     * @throws MoveCancelledException when {@link #cancel()} was called
     */
    public Comparison run() throws SQLException, MoveCancelledException {
        long started = System.nanoTime();
        Map<ShardTable, Keyset> keysets = new LinkedHashMap<>();
        for (ShardTable table : this.tables) {
            keysets.put(table, new Keyset(table, Side.SOURCE));
        }
        List<ChunkMismatch> mismatches = new ArrayList<>();
        SessionSettings sourceSettings = settings(this.source, Side.SOURCE);
        try {
            SessionSettings targetSettings = settings(this.target, Side.TARGET);
            try {
                for (Map.Entry<ShardTable, Keyset> table : keysets.entrySet()) {
                    compare(table.getKey(), table.getValue(), mismatches);
                }
            }
            finally {
                targetSettings.restore();
            }
        }
        finally {
            sourceSettings.restore();
        }
        Comparison comparison = new Comparison(mismatches, this.tables.size(), this.chunksCompared.get(), this.rowsCompared.get());
        LOG.info("Compared {} rows of {} tables in {} chunks in {} ms: {}", comparison.rowsCompared(), comparison.tablesCompared(),
                comparison.chunksCompared(), (System.nanoTime() - started) / 1_000_000,
                comparison.matches() ? "all match" : mismatches.size() + " chunks differ, first " + mismatches.get(0));
        return comparison;
    }

    /**
     * Stops the comparison before its next chunk; {@link #run()} then throws {@link MoveCancelledException}.
     */
    public void cancel() {
        this.cancelled = true;
    }

    /**
     * The chunks compared so far.
     * @return the count
     */
    public long chunksCompared() {
        return this.chunksCompared.get();
    }

    /**
     * The source rows in the chunks compared so far.
     * @return the count
     */
    public long rowsCompared() {
        return this.rowsCompared.get();
    }

    private static SessionSettings settings(Connection connection, Side side) throws ShardSideException {
        try {
            return SessionSettings.set(connection, Map.of("time_zone", "+00:00"));
        }
        catch (SQLException ex) {
            throw new ShardSideException(side, null, "setting the session's time zone", ex);
        }
    }

    private void compare(ShardTable table, Keyset keyset, List<ChunkMismatch> mismatches)
            throws ShardSideException, MoveCancelledException {
        String from = " FROM " + table.qualifiedName();
        String order = keyset.orderBy() + " LIMIT 1 OFFSET " + (this.chunkRows - 1);
        String firstBound = "SELECT " + keyset.selectList() + from + order;
        String nextBound = "SELECT " + keyset.selectList() + from + " WHERE " + keyset.after() + order;
        String checksum = checksumQuery(table);
        Object[] after = null;
        while (true) {
            if (this.cancelled) {
                throw new MoveCancelledException("The comparison was cancelled at table " + table + " after " + this.chunksCompared.get()
                        + " chunks");
            }
            Object[] upTo = bound(table, keyset, (after == null) ? firstBound : nextBound, after);
            ChunkSum sourceSum = checksum(this.source, Side.SOURCE, table, keyset, checksum, after, upTo);
            ChunkSum targetSum = checksum(this.target, Side.TARGET, table, keyset, checksum, after, upTo);
            if (!sourceSum.equals(targetSum)) {
                mismatches.add(new ChunkMismatch(table.toString(), new KeyRange(keyset.columnNames(), Keyset.describe(after),
                        Keyset.describe(upTo)), sourceSum.rows(), targetSum.rows(), sourceSum.checksum(), targetSum.checksum()));
            }
            this.chunksCompared.incrementAndGet();
            this.rowsCompared.addAndGet(sourceSum.rows());
            if (upTo == null) {
                return;
            }
            after = upTo;
        }
    }

    private Object[] bound(ShardTable table, Keyset keyset, String sql, Object[] after) throws ShardSideException {
        try (PreparedStatement statement = this.source.prepareStatement(sql)) {
            if (after != null) {
                keyset.bind(statement, 1, after);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? keyset.read(rows, 1) : null;
            }
        }
        catch (SQLException ex) {
            throw new ShardSideException(Side.SOURCE, table.toString(), "finding the chunks", ex);
        }
    }

    private static String checksumQuery(ShardTable table) {
        List<String> encoded = new ArrayList<>();
        for (ShardTable.Column column : table.columns()) {
            String value = ColumnCodec.of(column).checksum(column);
            encoded.add("IFNULL(CONCAT(LENGTH(" + value + "), ':', " + value + "), 'N')");
        }
        String hash = "MD5(CONCAT_WS('#', " + String.join(", ", encoded) + "))";
        return "SELECT COUNT(*), COALESCE(BIT_XOR(CAST(CONV(SUBSTRING(h, 1, 16), 16, 10) AS UNSIGNED)), 0),"
                + " COALESCE(BIT_XOR(CAST(CONV(SUBSTRING(h, 17, 16), 16, 10) AS UNSIGNED)), 0) FROM (SELECT " + hash + " AS h FROM "
                + table.qualifiedName();
    }

    private static ChunkSum checksum(Connection connection, Side side, ShardTable table, Keyset keyset, String query, Object[] after,
            Object[] upTo) throws ShardSideException {
        List<String> conditions = new ArrayList<>();
        if (after != null) {
            conditions.add(keyset.after());
        }
        if (upTo != null) {
            conditions.add(keyset.upTo());
        }
        String sql = query + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions)) + ") AS chunk";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (after != null) {
                index = keyset.bind(statement, index, after);
            }
            if (upTo != null) {
                keyset.bind(statement, index, upTo);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new ChunkSum(rows.getLong(1), hex(rows.getString(2)) + hex(rows.getString(3)));
            }
        }
        catch (SQLException ex) {
            throw new ShardSideException(side, table.toString(), "computing a chunk checksum", ex);
        }
    }

    private static String hex(String unsigned) {
        String hex = new BigInteger(unsigned).toString(16);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private record ChunkSum(long rows, String checksum) {

    }

    /**
     * The outcome of a comparison.
     *
     * @param mismatches the chunks that differ, in table and key order
     * @param tablesCompared the number of tables compared
     * @param chunksCompared the number of chunks compared
     * @param rowsCompared the number of source rows compared
     */
    public record Comparison(List<ChunkMismatch> mismatches, int tablesCompared, long chunksCompared, long rowsCompared) {

        public Comparison {
            mismatches = List.copyOf(mismatches);
        }

        /**
         * Whether every chunk matched.
         * @return {@code true} when source and target hold the same rows
         */
        public boolean matches() {
            return this.mismatches.isEmpty();
        }

        /**
         * Throws unless every chunk matched.
         * @throws ShardMismatchException naming the first table and key range that differ
         */
        public void requireMatch() throws ShardMismatchException {
            if (!matches()) {
                throw new ShardMismatchException(this);
            }
        }

    }

    /**
     * A chunk whose rows differ between source and target.
     *
     * @param table the table, {@code database.table}
     * @param range the chunk's keys
     * @param sourceRows the chunk's rows on the source
     * @param targetRows the chunk's rows on the target
     * @param sourceChecksum the chunk's checksum on the source, 32 hex digits
     * @param targetChecksum the chunk's checksum on the target
     */
    public record ChunkMismatch(String table, KeyRange range, long sourceRows, long targetRows, String sourceChecksum,
            String targetChecksum) {

        @Override
        public String toString() {
            return "table " + this.table + ", keys " + this.range + ": " + this.sourceRows + " rows on the source, " + this.targetRows
                    + " on the target" + ((this.sourceRows == this.targetRows) ? " with different values" : "");
        }

    }

    /**
     * Source and target of a shard move hold different rows.
     */
    public static final class ShardMismatchException extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Comparison comparison;

        ShardMismatchException(Comparison comparison) {
            super("The target's copy differs from the source in " + comparison.mismatches().size() + " of " + comparison.chunksCompared()
                    + " chunks; first: " + comparison.mismatches().get(0));
            this.comparison = comparison;
        }

        /**
         * The comparison that found the differences.
         * @return the comparison
         */
        public Comparison comparison() {
            return this.comparison;
        }

    }

}
