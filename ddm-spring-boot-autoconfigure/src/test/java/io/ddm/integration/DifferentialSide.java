package io.ddm.integration;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.ddm.integration.DifferentialWorkload.Api;
import io.ddm.integration.DifferentialWorkload.Execution;
import io.ddm.integration.DifferentialWorkload.Keys;
import io.ddm.integration.DifferentialWorkload.Kind;
import io.ddm.integration.DifferentialWorkload.Param;
import io.ddm.integration.DifferentialWorkload.Step;
import io.ddm.integration.DifferentialWorkload.Unit;
import io.ddm.routing.PrimaryRouting;
import org.apache.shardingsphere.infra.hint.HintManager;

/**
 * One side of {@link FastPathDifferentialIntegrationTests}: a DDM data source, the connection its units run on, and
 * the thread they run on. A thread of its own per side lets both sides run a unit at the same time, and keeps what
 * DDM and ShardingSphere hold per thread (read-your-writes, {@code HintManager}) to one side.
 * Everything a caller could observe of a unit is written down as text (result columns, every value with its Java
 * class and its string form, update counts, generated keys, warnings, and exceptions with class, SQLState, error code
 * and message), so that two sides compare line by line and a difference prints readably. Failures are outcomes,
 * never thrown: the other side must fail the same way.
 */
final class DifferentialSide implements AutoCloseable {

    /** The value the {@link Kind#HINT_MANAGER} units put in the HintManager for the database and the table. */
    static final long HINT_SHARDING_VALUE = 3;

    private static final Pattern SCHEMA = Pattern.compile("fp_(on|off)");

    private final String name;

    private final DataSource dataSource;

    private Connection connection;

    private final Map<String, PreparedStatement> reused = new HashMap<>();

    private final ExecutorService thread;

    /**
     * A side on a new thread, which has written nothing yet: its reads outside transactions go to the replicas until
     * it writes.
     * @param name the side's name, for its thread
     * @param dataSource its data source
     */
    DifferentialSide(String name, DataSource dataSource) throws SQLException {
        this.name = name;
        this.dataSource = dataSource;
        this.thread = Executors.newSingleThreadExecutor((task) -> new Thread(task, name));
        this.connection = await(this.thread.submit((Callable<Connection>) dataSource::getConnection));
    }

    /**
     * Starts a unit on this side's thread.
     * @param unit the unit
     * @return its outcomes, see {@link #await}
     */
    Future<List<Outcome>> start(Unit unit) {
        return this.thread.submit(() -> run(unit));
    }

    /**
     * Waits for what a side's thread returns.
     * @param <T> its type
     * @param result the result to come
     * @return it
     * @throws SQLException what the task threw
     */
    static <T> T await(Future<T> result) throws SQLException {
        try {
            return result.get(5, TimeUnit.MINUTES);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof SQLException failure) {
                throw failure;
            }
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("A unit ran for more than 5 minutes", ex);
        }
    }

    /**
     * Runs a unit.
     * @param unit the unit
     * @return one outcome per step (a batch: one for all), then, for a transaction, that of its commit or rollback
     */
    private List<Outcome> run(Unit unit) {
        return switch (unit.kind()) {
            case SINGLE -> steps(unit);
            case TRANSACTION -> transaction(unit);
            case BATCH -> List.of(batch(unit.steps()));
            case PRIMARY_ROUTING -> PrimaryRouting.call(() -> steps(unit));
            case HINT_MANAGER -> {
                try (HintManager hint = HintManager.getInstance()) {
                    for (String table : List.of("t_order", "t_order_item")) {
                        hint.addDatabaseShardingValue(table, HINT_SHARDING_VALUE);
                        hint.addTableShardingValue(table, HINT_SHARDING_VALUE);
                    }
                    yield steps(unit);
                }
            }
            case RECONNECT -> List.of(reconnect());
        };
    }

    private List<Outcome> steps(Unit unit) {
        List<Outcome> result = new ArrayList<>();
        for (int i = 0; i < unit.steps().size(); i++) {
            result.add(step(i, unit.steps().get(i)));
        }
        return result;
    }

    private List<Outcome> transaction(Unit unit) {
        List<Outcome> result = new ArrayList<>();
        Outcome begin = new Outcome(-1);
        try {
            this.connection.setAutoCommit(false);
            begin.lines.add("autocommit off");
        }
        catch (SQLException | RuntimeException ex) {
            begin.failed(ex);
        }
        result.add(begin);
        result.addAll(steps(unit));
        Outcome end = new Outcome(-1);
        try {
            if (unit.commit()) {
                this.connection.commit();
                end.lines.add("committed");
            }
            else {
                this.connection.rollback();
                end.lines.add("rolled back");
            }
        }
        catch (SQLException | RuntimeException ex) {
            end.failed(ex);
        }
        try {
            this.connection.setAutoCommit(true);
        }
        catch (SQLException | RuntimeException ex) {
            end.failed(ex);
        }
        result.add(end);
        return result;
    }

    private Outcome step(int index, Step step) {
        Outcome outcome = new Outcome(index);
        Statement statement = null;
        boolean close = true;
        try {
            String sql = literal(step) ? step.literalSql() : step.sql();
            if (step.api() == Api.STATEMENT) {
                statement = this.connection.createStatement();
                execute(outcome, statement, sql, step);
            }
            else {
                PreparedStatement prepared;
                if (step.api() == Api.REUSED) {
                    prepared = reused(step);
                    prepared.clearParameters();
                    close = false;
                }
                else {
                    prepared = prepare(step, sql);
                }
                statement = prepared;
                if (!literal(step)) {
                    for (int i = 0; i < step.params().size(); i++) {
                        step.params().get(i).bind(prepared, i + 1);
                    }
                }
                execute(outcome, prepared, null, step);
            }
            outcome.lines.add("statement warnings " + count(statement.getWarnings()));
        }
        catch (SQLException | RuntimeException ex) {
            outcome.failed(ex);
        }
        finally {
            if (close) {
                close(statement, outcome);
            }
        }
        return outcome;
    }

    /** Closes a statement the unit does not reuse; a failure to close is part of the outcome. */
    private static void close(Statement statement, Outcome outcome) {
        if (statement == null) {
            return;
        }
        try {
            statement.close();
        }
        catch (SQLException ex) {
            outcome.lines.add("close failed: " + describe(ex));
        }
    }

    private static boolean literal(Step step) {
        return step.api() == Api.STATEMENT || step.api() == Api.PREPARED_LITERALS;
    }

    private PreparedStatement reused(Step step) throws SQLException {
        String cacheKey = step.keys() + " " + step.sql();
        PreparedStatement prepared = this.reused.get(cacheKey);
        if (prepared == null) {
            prepared = prepare(step, step.sql());
            this.reused.put(cacheKey, prepared);
        }
        return prepared;
    }

    private PreparedStatement prepare(Step step, String sql) throws SQLException {
        return switch (step.keys()) {
            case NONE -> this.connection.prepareStatement(sql);
            case GENERATED -> this.connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
            case COLUMN_NAMES -> this.connection.prepareStatement(sql, new String[] { step.keyColumn() });
        };
    }

    /** Runs a statement: {@code sql} for a plain statement, {@code null} for a prepared one. */
    private static void execute(Outcome outcome, Statement statement, String sql, Step step) throws SQLException {
        PreparedStatement prepared = (sql == null) ? (PreparedStatement) statement : null;
        boolean keys = step.keys() != Keys.NONE;
        if (step.execution() == Execution.QUERY) {
            try (ResultSet rows = (prepared != null) ? prepared.executeQuery() : statement.executeQuery(sql)) {
                describe(rows, outcome, "row", false);
            }
        }
        else if (step.execution() == Execution.UPDATE) {
            int count = (prepared != null) ? prepared.executeUpdate()
                    : keys ? statement.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS) : statement.executeUpdate(sql);
            outcome.updateCount = count;
            outcome.lines.add("update count " + count);
        }
        else {
            boolean result = (prepared != null) ? prepared.execute()
                    : keys ? statement.execute(sql, Statement.RETURN_GENERATED_KEYS) : statement.execute(sql);
            outcome.lines.add("execute returned " + result);
            if (result) {
                try (ResultSet rows = statement.getResultSet()) {
                    describe(rows, outcome, "row", false);
                }
            }
            else {
                outcome.updateCount = statement.getUpdateCount();
                outcome.lines.add("update count " + outcome.updateCount);
            }
        }
        if (keys) {
            generatedKeys(outcome, statement);
        }
    }

    private static void generatedKeys(Outcome outcome, Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            List<String> rows = describe(keys, outcome, "generated key", true);
            for (String row : rows) {
                String value = row.substring(row.indexOf(':') + 1, row.indexOf('|'));
                if (value.matches("-?[0-9]+")) {
                    outcome.generatedKeys.add(Long.parseLong(value));
                }
            }
        }
    }

    private Outcome batch(List<Step> steps) {
        Outcome outcome = new Outcome(0);
        Step first = steps.get(0);
        Statement statement = null;
        boolean close = first.api() != Api.REUSED;
        try {
            if (first.api() == Api.STATEMENT) {
                statement = this.connection.createStatement();
                for (Step step : steps) {
                    statement.addBatch(step.literalSql());
                }
            }
            else {
                PreparedStatement prepared = (first.api() == Api.REUSED) ? reused(first) : prepare(first, first.sql());
                statement = prepared;
                for (Step step : steps) {
                    List<Param> params = step.params();
                    for (int i = 0; i < params.size(); i++) {
                        params.get(i).bind(prepared, i + 1);
                    }
                    prepared.addBatch();
                }
            }
            int[] counts = statement.executeBatch();
            outcome.lines.add("batch counts " + Arrays.toString(counts));
            outcome.updateCount = Arrays.stream(counts).sum();
            if (first.keys() != Keys.NONE) {
                generatedKeys(outcome, statement);
            }
        }
        catch (BatchUpdateException ex) {
            outcome.failed(ex);
            outcome.lines.add("batch counts " + Arrays.toString(ex.getUpdateCounts()));
        }
        catch (SQLException | RuntimeException ex) {
            outcome.failed(ex);
        }
        finally {
            if (close) {
                close(statement, outcome);
            }
        }
        return outcome;
    }

    private Outcome reconnect() {
        Outcome outcome = new Outcome(0);
        try {
            closeConnection();
            this.connection = this.dataSource.getConnection();
            outcome.lines.add("new connection");
        }
        catch (SQLException | RuntimeException ex) {
            outcome.failed(ex);
        }
        return outcome;
    }

    /**
     * Writes a result set down: its columns (label and JDBC type), then each row as {@code Class:value|string} per
     * column, then its warnings (but those of generated keys).
     * @return the rows as written
     */
    private static List<String> describe(ResultSet rows, Outcome outcome, String prefix, boolean keys) throws SQLException {
        ResultSetMetaData metaData = rows.getMetaData();
        int columns = metaData.getColumnCount();
        StringBuilder header = new StringBuilder("columns");
        for (int i = 1; i <= columns; i++) {
            header.append(' ').append(metaData.getColumnLabel(i)).append(':').append(metaData.getColumnType(i));
        }
        outcome.lines.add(header.toString());
        List<String> result = new ArrayList<>();
        while (rows.next()) {
            StringBuilder row = new StringBuilder(prefix);
            for (int i = 1; i <= columns; i++) {
                Object value = rows.getObject(i);
                row.append((i > 1) ? ", " : " ")
                    .append((value == null) ? "null" : value.getClass().getSimpleName())
                    .append(':')
                    .append(value)
                    .append('|')
                    .append(rows.getString(i));
            }
            result.add(row.toString());
        }
        outcome.lines.addAll(result);
        // ShardingSphere's generated keys support no getWarnings(): a caller cannot ask, so neither do we.
        outcome.lines.add(prefix + "s " + result.size() + (keys ? "" : ", result set warnings " + count(rows.getWarnings())));
        return result.stream().map((row) -> row.substring(prefix.length() + 1)).toList();
    }

    private static int count(SQLWarning warnings) {
        int result = 0;
        for (SQLWarning each = warnings; each != null; each = each.getNextWarning()) {
            result++;
        }
        return result;
    }

    /** An exception as a caller sees it, the schema names (which legitimately differ) replaced by {@code fp_*}. */
    static String describe(Throwable failure) {
        String text = failure.getClass().getName();
        if (failure instanceof SQLException sql) {
            text += " SQLState " + sql.getSQLState() + ", error code " + sql.getErrorCode();
        }
        return text + ": " + normalise(failure.getMessage());
    }

    static String normalise(String text) {
        return (text == null) ? null : SCHEMA.matcher(text).replaceAll("fp_*");
    }

    private void closeConnection() throws SQLException {
        for (PreparedStatement statement : this.reused.values()) {
            statement.close();
        }
        this.reused.clear();
        this.connection.close();
    }

    @Override
    public void close() throws SQLException {
        try {
            await(this.thread.submit(() -> {
                closeConnection();
                return null;
            }));
        }
        finally {
            this.thread.shutdown();
        }
    }

    /** What one step (or a transaction's begin and end: step -1) showed its caller. */
    static final class Outcome {

        private final int step;

        private final List<String> lines = new ArrayList<>();

        private final List<Long> generatedKeys = new ArrayList<>();

        private long updateCount = -1;

        private boolean failed;

        Outcome(int step) {
            this.step = step;
        }

        void failed(Throwable failure) {
            this.failed = true;
            this.lines.add("failed: " + describe(failure));
        }

        int step() {
            return this.step;
        }

        boolean failed() {
            return this.failed;
        }

        long updateCount() {
            return this.updateCount;
        }

        List<Long> generatedKeys() {
            return this.generatedKeys;
        }

        List<String> lines() {
            return this.lines;
        }

    }

}
