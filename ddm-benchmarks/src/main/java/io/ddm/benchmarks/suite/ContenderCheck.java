package io.ddm.benchmarks.suite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;

/**
 * Checks, before anything is measured, that all contenders see the same data the same way: the same rows from every
 * read, every written row in the physical table DDM's formula names, and every delete by key removing exactly its
 * row, no neighbour (checked on the primaries themselves, in all 32 tables). So the direct contender's routing, DDM's
 * and stock ShardingSphere's INLINE expressions agree.
 */
public final class ContenderCheck {

    private ContenderCheck() {
    }

    /**
     * Runs the checks.
     * @param contenders the contenders
     * @param data the loaded data
     * @param topology the servers
     * @param logIds the source of unique {@code log_id}s
     * @return what was checked, one line per check
     * @throws SQLException on a database error
     * @throws IllegalStateException when a contender differs
     */
    public static List<String> run(List<Contender> contenders, BenchmarkData data, DatabaseTopology topology, AtomicLong logIds)
            throws SQLException {
        List<String> checked = new ArrayList<>();
        for (long user : List.of(1L, 2L, 31L, 32L, 33L, (long) data.users())) {
            long order = user * 100 + 3;
            same(contenders, "point select " + user + "/" + order, (c) -> c.pointSelect(user, order), checked);
            same(contenders, "range of user " + user, (c) -> c.range(user, user * 100, user * 100 + 9), checked);
        }
        Object counts = same(contenders, "count by status", Contender::countByStatus, checked);
        long total = ((Map<?, ?>) counts).values().stream().mapToLong((n) -> ((Number) n).longValue()).sum();
        if (total != (long) data.users() * BenchmarkData.ORDERS_PER_USER) {
            throw new IllegalStateException("count by status adds up to " + total);
        }
        same(contenders, "largest orders", (c) -> c.largestOrders(Workload.LIMIT), checked);
        for (Contender contender : contenders) {
            List<LogRow> rows = new ArrayList<>();
            for (long user = 1; user <= BenchmarkData.TABLES + 1; user++) {
                rows.add(new LogRow(logIds.incrementAndGet(), user, 1));
            }
            contender.insert(rows.get(0));
            contender.insertBatch(rows.subList(1, rows.size()));
            checkPlaces(topology, contender, "wrote", rows, List.of());
            checked.add(contender.name() + " wrote " + rows.size() + " rows, each to the physical table of DDM's formula");
            List<LogRow> deleted = new ArrayList<>();
            for (int i = 0; i < rows.size(); i += 2) {
                LogRow row = rows.get(i);
                if (contender.delete(row.userId(), row.logId()) != 1) {
                    throw new IllegalStateException(contender.name() + " did not delete log " + row.logId() + " of user " + row.userId());
                }
                deleted.add(row);
            }
            checkPlaces(topology, contender, "deleted", rows, deleted);
            checked.add(contender.name() + " deleted " + deleted.size() + " of them by sharding key, each exactly its row");
            if (contender.touch(2, 203) != 1) {
                throw new IllegalStateException(contender.name() + " did not update order 203");
            }
        }
        return checked;
    }

    private static Object same(List<Contender> contenders, String what, Read read, List<String> checked) throws SQLException {
        Object first = null;
        for (Contender contender : contenders) {
            Object result = read.apply(contender);
            if (result == null || (result instanceof List<?> list && list.isEmpty())) {
                throw new IllegalStateException(contender.name() + " found nothing for " + what);
            }
            if (first != null && !Objects.equals(first, result)) {
                throw new IllegalStateException(what + ": " + contender.name() + " returned " + result + ", " + contenders.get(0).name()
                        + " returned " + first);
            }
            first = result;
        }
        checked.add(what + ": the same from " + contenders.size() + " contenders");
        return first;
    }

    /**
     * Checks that each row is in the physical table of DDM's formula, once, and each deleted row in none: the rows
     * next to a deleted one are still there.
     */
    private static void checkPlaces(DatabaseTopology topology, Contender contender, String action, List<LogRow> rows,
            List<LogRow> deleted) throws SQLException {
        Map<Long, Map<String, Long>> found = physicalTablesOf(topology, rows);
        for (LogRow row : rows) {
            Map<String, Long> expected = deleted.contains(row) ? Map.of()
                    : Map.of(BenchmarkData.database(BenchmarkData.shardOf(row.userId())) + ".t_order_log_"
                            + BenchmarkData.tableOf(row.userId()), 1L);
            Map<String, Long> actual = found.getOrDefault(row.logId(), Map.of());
            if (!actual.equals(expected)) {
                throw new IllegalStateException(contender.name() + " " + action + " log " + row.logId() + " of user " + row.userId()
                        + ": it is in " + actual + ", expected in " + expected);
            }
        }
    }

    /** The physical tables (on the primaries) holding each of the rows' log ids, with the number of rows. */
    private static Map<Long, Map<String, Long>> physicalTablesOf(DatabaseTopology topology, List<LogRow> rows) throws SQLException {
        String logIds = rows.stream().map((row) -> Long.toString(row.logId())).collect(Collectors.joining(","));
        Map<Long, Map<String, Long>> result = new LinkedHashMap<>();
        for (int shard = 0; shard < BenchmarkData.SHARDS; shard++) {
            String database = BenchmarkData.database(shard);
            DatabaseServer primary = topology.primary(BenchmarkData.nodeOf(shard, topology.primaries().size()));
            try (Connection connection = primary.connection(database)) {
                for (int table = shard * BenchmarkData.TABLES_PER_SHARD; table < (shard + 1) * BenchmarkData.TABLES_PER_SHARD; table++) {
                    String physicalTable = database + ".t_order_log_" + table;
                    try (PreparedStatement statement = connection.prepareStatement("SELECT log_id FROM t_order_log_" + table
                            + " WHERE log_id IN (" + logIds + ")"); ResultSet found = statement.executeQuery()) {
                        while (found.next()) {
                            result.computeIfAbsent(found.getLong(1), (logId) -> new LinkedHashMap<>()).merge(physicalTable, 1L, Long::sum);
                        }
                    }
                }
            }
        }
        return result;
    }

    @FunctionalInterface
    private interface Read {

        Object apply(Contender contender) throws SQLException;

    }

}
