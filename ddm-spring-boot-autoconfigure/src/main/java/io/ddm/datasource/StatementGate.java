package io.ddm.datasource;

import java.sql.SQLException;

/**
 * Checks each logical statement before ShardingSphere runs it, and may refuse it: e.g. DDL while a shard moves
 * ({@code io.ddm.move}). A refused statement does not run on any shard.
 */
@FunctionalInterface
public interface StatementGate {

    /** Refuses nothing. */
    StatementGate OPEN = (sql) -> {
    };

    /**
     * Checks a statement about to run.
     * @param sql its text
     * @throws SQLException to refuse it, saying why and what to do
     */
    void check(String sql) throws SQLException;

}
