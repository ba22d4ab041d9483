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
 * The guarded connection on an H2 connection: which calls pass the gate with which text, which failures pass the
 * translation, and that the wrapper stays transparent.
 */
class GuardedConnectionTests {

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

    private Connection guarded() throws SQLException {
        Connection h2 = DriverManager.getConnection("jdbc:h2:mem:guarded" + System.nanoTime());
        return GuardedConnection.wrap(h2, this.refuseDrop, this.translation);
    }

}
