package io.ddm.segment;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ddm.datasource.MySqlErrorCodes;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Segments.Segment;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;

/**
 * How full the newest segment of a segmented table is. The measure is the highest key stored in it:
 * {@code SELECT MAX(column)} on the newest segment's table in every shard, on the shard's primary, which an index
 * on the column (the primary key, typically) answers without a scan. A segment runs out when its keys reach the
 * bound, not when a number of rows is stored (keys spread over the shards, and may have gaps), so the fill is
 * {@code (highest key - from + 1) / (to - from + 1)}, between 0 (empty) and 1 (the next key needs a new segment).
 *
 * <p>Thread-safe. {@link #cached} measures at most once per maximum age and table, for gauges scraped often.
 */
public final class SegmentFill {

    private final PhysicalDataSources physical;

    private final Map<String, Timed> measured = new ConcurrentHashMap<>();

    /**
     * Creates the measure over a data source's pools.
     * @param physical the pools
     */
    public SegmentFill(PhysicalDataSources physical) {
        this.physical = physical;
    }

    /**
     * Measures the newest segment of a table now.
     * @param table a segmented table
     * @return its fill
     * @throws SQLException when a shard's primary cannot be asked
     */
    public Fill measure(TableLayout table) throws SQLException {
        Segment newest = table.segments().last();
        Long highest = null;
        List<String> tables = new ArrayList<>();
        for (PhysicalPool pool : this.physical.pools()) {
            if (pool.server().role() != Server.Role.PRIMARY) {
                continue;
            }
            String name = PhysicalNames.segmentTable(table.name(), pool.shard(), newest.index());
            tables.add(pool.database() + "." + name);
            Long max = highestKey(pool, name, table.segments().column());
            if (max != null && (highest == null || max > highest)) {
                highest = max;
            }
        }
        double fill = 0;
        if (highest != null) {
            fill = Math.min(1, Math.max(0, ((double) highest - newest.from() + 1) / newest.capacity()));
        }
        return new Fill(table.name(), newest, tables, highest, fill);
    }

    /**
     * The fill of a table, measured at most once per {@code maxAge}.
     * @param table a segmented table
     * @param maxAge how old a measure may be
     * @return its fill
     * @throws SQLException when it needs measuring and a shard's primary cannot be asked
     */
    public Fill cached(TableLayout table, Duration maxAge) throws SQLException {
        Timed last = this.measured.get(table.name());
        long now = System.nanoTime();
        if (last != null && now - last.at() < maxAge.toNanos()) {
            return last.fill();
        }
        Fill result = measure(table);
        this.measured.put(table.name(), new Timed(result, now));
        return result;
    }

    private static Long highestKey(PhysicalPool pool, String table, String column) throws SQLException {
        try (Connection connection = pool.dataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT MAX(`" + column + "`) FROM `" + pool.database() + "`.`" + table
                        + "`")) {
            result.next();
            long value = result.getLong(1);
            return result.wasNull() ? null : value;
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() == MySqlErrorCodes.ER_NO_SUCH_TABLE) {
                // Not created yet (a new table that DDM has not seen a CREATE TABLE for): empty.
                return null;
            }
            throw ex;
        }
    }

    private record Timed(Fill fill, long at) {
    }

    /**
     * The fill of a table's newest segment.
     *
     * @param table logical table
     * @param segment the newest segment
     * @param physicalTables its physical table in every shard, {@code database.table}
     * @param highestKey the highest key stored in it, or {@code null} when it is empty
     * @param fill {@code (highestKey - from + 1) / capacity}, 0..1
     */
    public record Fill(String table, Segment segment, List<String> physicalTables, Long highestKey, double fill) {

        public Fill {
            physicalTables = List.copyOf(physicalTables);
        }

    }

}
