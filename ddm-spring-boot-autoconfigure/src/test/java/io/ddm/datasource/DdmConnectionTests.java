package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DDM's logical connection on an H2 connection: which calls pass the gate with which text, what the statement listener is
 * told, which failures pass the translation, and that the wrapper stays transparent.
 */
class DdmConnectionTests {

    private final List<String> checked = new ArrayList<>();

    private final StatementGate refuseDrop = (sql) -> {
        this.checked.add(sql);
        if (sql.startsWith("DROP")) {
            throw new SQLException("refused: " + sql);
        }
    };

    private final FailureTranslation translation = (failure) -> new SQLTransientException("translated", failure);

    @Test
    void statementsPassTheGateWithTheirTextBeforeTheyRun() throws SQLException {
        try (Connection connection = guarded()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("DROP TABLE t"))
                    .withMessage("refused: DROP TABLE t");
                statement.addBatch("INSERT INTO t VALUES (1)");
                statement.executeBatch();
                assertThat(statement.getConnection()).isSameAs(connection);
            }
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                statement.setInt(1, 2);
                statement.executeUpdate();
                statement.setInt(1, 3);
                statement.addBatch();
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement("DROP TABLE t")) {
                assertThatExceptionOfType(SQLException.class).isThrownBy(statement::execute).withMessage("refused: DROP TABLE t");
            }
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.executeQuery("SELECT COUNT(*) FROM t").next()).isTrue();
            }
        }
        assertThat(this.checked).containsExactly("CREATE TABLE t (id INT PRIMARY KEY)", "DROP TABLE t", "INSERT INTO t VALUES (1)",
                "INSERT INTO t VALUES (?)", "INSERT INTO t VALUES (?)", "INSERT INTO t VALUES (?)", "DROP TABLE t",
                "SELECT COUNT(*) FROM t");
    }

    @Test
    void failuresPassTheTranslationAndTheWrapperStaysTransparent() throws SQLException {
        try (Connection connection = guarded(); Statement statement = connection.createStatement()) {
            assertThatExceptionOfType(SQLTransientException.class).isThrownBy(() -> statement.executeQuery("SELECT * FROM missing"))
                .withMessage("translated")
                .withCauseInstanceOf(SQLException.class);
            assertThat(connection.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
            assertThat(connection.unwrap(org.h2.jdbc.JdbcConnection.class)).isNotNull();
            assertThat(connection).isEqualTo(connection);
        }
    }

    @Test
    void theListenerIsToldOfEveryExecutionWithItsTextAndOutcome() throws SQLException {
        List<String> told = new ArrayList<>();
        StatementListener listener = (preparedSql) -> new StatementListener.ListenedStatement() {

            @Override
            public void batchAdded(String sql) {
                told.add("batch+ " + sql);
            }

            @Override
            public void batchCleared() {
                told.add("batch cleared");
            }

            @Override
            public StatementListener.ListenedExecution executionStarted(String sql, boolean batch) {
                String what = ((sql != null) ? sql : "prepared " + preparedSql) + (batch ? " (batch)" : "");
                return (success) -> told.add(what + (success ? " ok" : " failed"));
            }

        };
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:listened" + System.nanoTime());
        try (Connection connection = DdmConnection.opened(h2, this.refuseDrop, this.translation, listener)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                statement.addBatch("INSERT INTO t VALUES (1)");
                statement.executeBatch();
                statement.clearBatch();
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("DROP TABLE t"));
                assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeQuery("SELECT * FROM missing"));
            }
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                statement.setInt(1, 2);
                assertThat(statement.executeUpdate()).isOne();
                statement.setInt(1, 2);
                assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeUpdate);
            }
        }
        assertThat(told).containsExactly("CREATE TABLE t (id INT PRIMARY KEY) ok", "batch+ INSERT INTO t VALUES (1)",
                "prepared null (batch) ok",
                "batch cleared", "DROP TABLE t failed", "SELECT * FROM missing failed",
                "prepared INSERT INTO t VALUES (?) ok", "prepared INSERT INTO t VALUES (?) failed");
    }

    private Connection guarded() throws SQLException {
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:guarded" + System.nanoTime());
        return DdmConnection.opened(h2, this.refuseDrop, this.translation, null);
    }

}
