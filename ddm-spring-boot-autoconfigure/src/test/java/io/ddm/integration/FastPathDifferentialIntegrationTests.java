package io.ddm.integration;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ddm.config.DdmProperties;
import io.ddm.datasource.DdmDataSource;
import io.ddm.integration.DifferentialSide.Outcome;
import io.ddm.integration.DifferentialWorkload.Unit;
import io.ddm.test.servers.DatabaseServer;
import io.ddm.test.servers.DatabaseTopology;
import io.ddm.test.servers.RequiresDatabaseServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path ({@code ddm.fast-path.enabled}) changes nothing a caller can observe: two DDM data sources over the
 * same servers, one with the fast path on (logical database {@code fp_on}) and one with it off ({@code fp_off}), run
 * the same seeded sequence of more than 10,000 statements, unit by unit (each side on a thread of its own, both at the
 * same time), and must show the same result columns and values, update counts, generated keys, warnings and errors
 * (class, SQLState, error code, message) for every statement. The physical tables written are compared on the
 * primaries every {@value #COMPARISON_EVERY} statements and after DDL ({@code fp_on_3.t_order_13} must hold what
 * {@code fp_off_3.t_order_13} holds), every physical table every {@value #FULL_COMPARISON_EVERY}, and at the end rows
 * and definitions of every table, and the replicas. Then reads alone run on new threads, whose reads go to the
 * replicas.
 *
 * <p>The statements mix the shapes the fast path may take (prepared, equality on every sharding column of one table)
 * with those it must leave to ShardingSphere: joins, subqueries, OR, IN, functions on the key, aggregates,
 * ORDER BY ... LIMIT, SQL hints and HintManager, broadcast and single tables, transactions, batches, failing
 * statements and DDL ({@link DifferentialWorkload}). The seed is {@value #DEFAULT_SEED} unless
 * {@code -Dddm.it.fast-path-seed=N} sets another; a failure names seed, statement number, SQL, parameters and both
 * outcomes.
 *
 * <p>Reads in the first phase go to the primaries (a read-your-writes window longer than the test), so that
 * replication lag cannot make the two sides differ.
 */
@RequiresDatabaseServers(primaries = 2, replicasPerPrimary = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathDifferentialIntegrationTests {

    private static final Logger logger = LoggerFactory.getLogger(FastPathDifferentialIntegrationTests.class);

    static final long DEFAULT_SEED = 14;

    private static final String SEED_PROPERTY = "ddm.it.fast-path-seed";

    /** Statements of the first phase, writes and reads on the primaries. */
    private static final int STATEMENTS = 10_000;

    /** Statements of the second phase, reads on the replicas. */
    private static final int REPLICA_READS = 1_000;

    /** Statements between two comparisons of the physical tables that writes touched since the last one. */
    private static final int COMPARISON_EVERY = 50;

    /** Statements between two comparisons of every physical table. */
    private static final int FULL_COMPARISON_EVERY = 1_000;

    /** Writing statements named in a message about physical tables that differ. */
    private static final int SHOWN_WRITES = 60;

    private static final int SHARDS = 4;

    /** The logical tables, each with the pattern that finds it in SQL. */
    private static final Map<String, Pattern> TABLES = Stream.of("t_order", "t_order_item", "t_account", "t_status", "t_note",
            "t_scratch", "t_late").collect(Collectors.toMap((table) -> table, (table) -> Pattern.compile("\\b" + table + "\\b")));

    private static final Pattern DDL = Pattern.compile("^(CREATE|ALTER|DROP|TRUNCATE)\\b.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final long seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);

    private DatabaseTopology topology;

    private DdmDataSource fastPathOn;

    private DdmDataSource fastPathOff;

    @BeforeAll
    void start(DatabaseTopology topology) throws SQLException {
        this.topology = topology;
        topology.resetData("fp_on", "fp_off");
        this.fastPathOn = configuration("fp_on", true).open();
        this.fastPathOff = configuration("fp_off", false).open();
        for (DdmDataSource dataSource : List.of(this.fastPathOn, this.fastPathOff)) {
            DdmOnServers.execute(dataSource, DifferentialWorkload.schema().toArray(String[]::new));
        }
    }

    @AfterAll
    void stop() {
        for (DdmDataSource dataSource : new DdmDataSource[] { this.fastPathOn, this.fastPathOff }) {
            if (dataSource != null) {
                dataSource.close();
            }
        }
    }

    /**
     * Four shards on two nodes: t_order and t_order_item (a binding group) by user_id over 4 tables per shard, keys from
     * sequences (the same in both logical databases, unlike snowflake ids); t_account by a VARCHAR region (hash) and
     * its account_id (mod-hash), so that a key needs two equalities; t_status broadcast; t_note single; t_scratch and
     * t_late for DDL.
     */
    private DdmOnServers configuration(String schema, boolean fastPath) {
        DdmOnServers ddm = new DdmOnServers(this.topology, schema, SHARDS)
            .table("t_order", "user_id", "mod-hash", "user_id", "mod-hash", 4)
            .table("t_order_item", "user_id", "mod-hash", "user_id", "mod-hash", 4)
            .table("t_account", "region", "hash", "account_id", "mod-hash", 2)
            .table("t_scratch", "user_id", "mod-hash", "user_id", "mod-hash", 2)
            .table("t_late", "user_id", "mod-hash", "user_id", "mod-hash", 2);
        ddm.table("t_order").setBindingGroup("orders");
        ddm.table("t_order_item").setBindingGroup("orders");
        ddm.table("t_order").setKeyGenerator(sequence("order_id"));
        ddm.table("t_order_item").setKeyGenerator(sequence("item_id"));
        ddm.properties().getBroadcastTables().add("t_status");
        ddm.properties().getReadWriteSplitting().setReadYourWritesWindow(Duration.ofHours(1));
        ddm.properties().getFastPath().setEnabled(fastPath);
        return ddm;
    }

    private static DdmProperties.KeyGenerator sequence(String column) {
        DdmProperties.KeyGenerator keys = new DdmProperties.KeyGenerator();
        keys.setColumn(column);
        keys.setType(DdmProperties.KeyGeneratorType.SEQUENCE);
        return keys;
    }

    @Test
    void everyStatementShowsTheSameWithTheFastPathOnAndOff() throws Exception {
        logger.info("Seed {} (set another with -D{}=N)", this.seed, SEED_PROPERTY);
        DifferentialWorkload workload = new DifferentialWorkload(this.seed);
        Map<String, Shape> shapes = new TreeMap<>();
        PhysicalTableComparison primaries = new PhysicalTableComparison(this.topology.primaries(), "fp_on", "fp_off");
        long started = System.nanoTime();
        Progress progress;
        try (DifferentialSide on = new DifferentialSide("fast path on", this.fastPathOn);
                DifferentialSide off = new DifferentialSide("fast path off", this.fastPathOff)) {
            progress = run(workload, on, off, STATEMENTS, new Progress(0, 0), shapes, primaries);
        }
        assertNoDifference(primaries.fullDifferences(), progress, "every physical table at the end, row by row", List.of());
        long written = System.nanoTime();

        this.topology.awaitReplication();
        List<DatabaseServer> replicas = new ArrayList<>();
        for (int i = 0; i < this.topology.primaries().size(); i++) {
            replicas.addAll(this.topology.replicasOf(i));
        }
        assertNoDifference(new PhysicalTableComparison(replicas, "fp_on", "fp_off").quickDifferences(null), progress,
                "every physical table on the replicas", List.of());

        // New sides run on threads that never wrote: they read from the replicas.
        workload.readOnly();
        Progress end;
        try (DifferentialSide on = new DifferentialSide("fast path on, reads", this.fastPathOn);
                DifferentialSide off = new DifferentialSide("fast path off, reads", this.fastPathOff)) {
            end = run(workload, on, off, progress.statements() + REPLICA_READS, progress, shapes, null);
        }
        long read = System.nanoTime();
        logger.info("{} statements in {} units: {} ms with writes and placement checks, {} ms of reads on replicas; statements"
                + " (of them failed alike) by shape:{}", end.statements(), end.units(), TimeUnit.NANOSECONDS.toMillis(written - started),
                TimeUnit.NANOSECONDS.toMillis(read - written), shapes.entrySet().stream()
                    .map((shape) -> "\n  " + shape.getKey() + ": " + shape.getValue())
                    .collect(Collectors.joining()));
        assertThat(end.statements()).isGreaterThanOrEqualTo(STATEMENTS + REPLICA_READS);
        // The comparison means something only if a good share of the statements took the fast path on one side.
        long fast = this.fastPathOn.getFastPath().orElseThrow().getFastExecutions();
        logger.info("{} of {} statements ran on the fast path", fast, end.statements());
        assertThat(fast).isGreaterThan(end.statements() / 4);
        assertThat(this.fastPathOff.getFastPath()).isEmpty();
    }

    /** How often a shape ran, and how often it failed (alike on both sides). */
    private static final class Shape {

        private int statements;

        private int failed;

        private String failure;

        void add(Unit unit, List<Outcome> outcomes) {
            this.statements += unit.steps().size();
            for (Outcome outcome : outcomes) {
                if (outcome.failed()) {
                    this.failed++;
                    if (this.failure == null) {
                        this.failure = outcome.lines().get(outcome.lines().size() - 1);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return this.statements + ((this.failed > 0) ? " (" + this.failed + " failed, e.g. " + this.failure + ")" : "");
        }

    }

    /** Where a run stands: statements and units so far. */
    private record Progress(int statements, int units) {
    }

    /**
     * Runs units on both sides until a number of statements is reached, comparing every outcome and, when
     * {@code primaries} is given, the physical tables written every {@value #COMPARISON_EVERY} statements (and after
     * DDL), every physical table every {@value #FULL_COMPARISON_EVERY}.
     */
    private Progress run(DifferentialWorkload workload, DifferentialSide on, DifferentialSide off, int untilStatements, Progress from,
            Map<String, Shape> shapes, PhysicalTableComparison primaries) throws SQLException {
        int statements = from.statements();
        int units = from.units();
        Set<String> touched = new HashSet<>();
        List<String> writes = new ArrayList<>();
        int compared = statements;
        int comparedAll = statements;
        while (statements < untilStatements) {
            Unit unit = workload.next(statements);
            Future<List<Outcome>> started = on.start(unit);
            List<Outcome> without = DifferentialSide.await(off.start(unit));
            List<Outcome> withFastPath = DifferentialSide.await(started);
            Progress at = new Progress(statements, units);
            compare(unit, at, withFastPath, without);
            workload.observe(unit, without);
            shapes.computeIfAbsent(unit.label(), (label) -> new Shape()).add(unit, without);
            statements += unit.steps().size();
            units++;
            if (primaries == null) {
                continue;
            }
            boolean ddl = unit.steps().stream().anyMatch((step) -> DDL.matcher(step.sql()).matches());
            if (unit.writes()) {
                touched.addAll(tablesOf(unit));
                for (int i = 0; i < unit.steps().size(); i++) {
                    if (unit.kind() == DifferentialWorkload.Kind.TRANSACTION || unit.steps().get(i).writes()) {
                        writes.add("statement " + (at.statements() + i) + " (unit " + at.units() + ", " + unit.label() + "): "
                                + unit.steps().get(i));
                    }
                }
            }
            if (ddl) {
                primaries.refresh();
            }
            Progress now = new Progress(statements, units);
            if (statements - comparedAll >= FULL_COMPARISON_EVERY) {
                assertNoDifference(primaries.quickDifferences(null), now, "every physical table", writes);
                comparedAll = statements;
            }
            else if (ddl || statements - compared >= COMPARISON_EVERY) {
                assertNoDifference(primaries.quickDifferences(touched), now, "the tables written since statement " + compared, writes);
            }
            else {
                continue;
            }
            compared = statements;
            touched.clear();
            writes.clear();
        }
        if (primaries != null && !touched.isEmpty()) {
            assertNoDifference(primaries.quickDifferences(touched), new Progress(statements, units),
                    "the tables written since statement " + compared, writes);
        }
        return new Progress(statements, units);
    }

    private static Set<String> tablesOf(Unit unit) {
        return unit.steps().stream()
            .flatMap((step) -> TABLES.keySet().stream().filter((table) -> TABLES.get(table).matcher(step.sql()).find()))
            .collect(Collectors.toSet());
    }

    private void compare(Unit unit, Progress at, List<Outcome> withFastPath, List<Outcome> without) {
        for (int i = 0; i < Math.max(withFastPath.size(), without.size()); i++) {
            List<String> on = (i < withFastPath.size()) ? withFastPath.get(i).lines() : List.of("(no outcome)");
            List<String> off = (i < without.size()) ? without.get(i).lines() : List.of("(no outcome)");
            if (!on.equals(off)) {
                int step = (i < without.size()) ? without.get(i).step() : i;
                String which = (unit.steps().size() == 1) ? "" : (step >= 0) ? "\n  differs: " + unit.steps().get(step)
                        : "\n  differs: the transaction's begin or end";
                throw new AssertionError(String.format(Locale.ROOT, "Seed %d, statement %d differs with the fast path on and off%n"
                        + "  %s%s%n  fast path on:%n%s%n  fast path off:%n%s", this.seed, at.statements() + Math.max(step, 0),
                        describe(unit, at), which, excerpt(on, off), excerpt(off, on)));
            }
        }
    }

    private String describe(Unit unit, Progress at) {
        String steps = unit.steps().stream().map((step) -> "\n      " + step).collect(Collectors.joining());
        return "unit " + at.units() + " (" + unit.label() + ", statements " + at.statements() + " to "
                + (at.statements() + Math.max(unit.steps().size() - 1, 0)) + ", seed " + this.seed + "):" + steps;
    }

    /** The lines of one outcome around the first that differs from the other's. */
    private static String excerpt(List<String> lines, List<String> other) {
        int first = 0;
        while (first < lines.size() && first < other.size() && lines.get(first).equals(other.get(first))) {
            first++;
        }
        StringBuilder result = new StringBuilder();
        int from = Math.max(0, first - 2);
        int to = Math.min(lines.size(), first + 6);
        if (from > 0) {
            result.append("    (").append(from).append(" equal lines)\n");
        }
        for (int i = from; i < to; i++) {
            result.append((i == first) ? "  > " : "    ").append(lines.get(i)).append('\n');
        }
        if (to < lines.size()) {
            result.append("    (").append(lines.size() - to).append(" more lines)\n");
        }
        return result.toString().stripTrailing();
    }

    private void assertNoDifference(List<String> differences, Progress at, String what, List<String> writes) {
        if (!differences.isEmpty()) {
            String shown = writes.stream().limit(SHOWN_WRITES).map((write) -> "\n    " + write).collect(Collectors.joining())
                    + ((writes.size() > SHOWN_WRITES) ? "\n    and " + (writes.size() - SHOWN_WRITES) + " more" : "");
            throw new AssertionError(String.format(Locale.ROOT, "Seed %d, before statement %d: physical tables of fp_on and fp_off"
                    + " differ, comparing %s%n%s%n  writes since the last comparison:%s", this.seed, at.statements(), what,
                    String.join("\n", differences), writes.isEmpty() ? " none" : shown));
        }
    }

}
