package io.ddm.datasource;

import java.sql.SQLException;

import io.ddm.jdbc.DelegatingStatement.Execution;

/**
 * Told of every statement the application runs through a DDM DataSource's connections, on the thread that runs it: how
 * DDM's metrics time statements ({@code io.ddm.metrics}) without wrapping the connections a second time.
 */
@FunctionalInterface
public interface StatementListener {

    /**
     * A statement was created on a logical connection.
     * @param preparedSql the text of a prepared statement, or {@code null} for a plain statement
     * @return what is told of the statement's batch and executions
     */
    ListenedStatement statementCreated(String preparedSql);

    /**
     * Runs one execution of a statement, told to its listener: started before, ended after, successful or not.
     * @param <R> what the execution returns
     * @param listened what the listener is told of the statement, or {@code null} for nothing
     * @param sql the text the execution call gives, or {@code null}
     * @param batch whether the call runs the batch
     * @param call the execution
     * @return what it returned
     * @throws SQLException as the execution throws it
     */
    static <R> R listened(ListenedStatement listened, String sql, boolean batch, Execution<R> call) throws SQLException {
        ListenedExecution execution = (listened != null) ? listened.executionStarted(sql, batch) : null;
        boolean success = false;
        try {
            R result = call.run();
            success = true;
            return result;
        }
        finally {
            if (execution != null) {
                execution.executionEnded(success);
            }
        }
    }

    /**
     * What a listener is told of one statement. Not thread-safe, as the statement is not.
     */
    interface ListenedStatement {

        /**
         * An SQL text was added to a plain statement's batch.
         * @param sql the text
         */
        void batchAdded(String sql);

        /**
         * The statement's batch was cleared.
         */
        void batchCleared();

        /**
         * One execution (an {@code execute*} call: one logical statement) begins on the calling thread. Its
         * {@link ListenedExecution#executionEnded} is always called, in a {@code finally} block.
         * @param sql the text the call gives, or {@code null} for the prepared statement's own text and for a batch
         * @param batch whether the call runs the batch
         * @return what is told when it ends
         */
        ListenedExecution executionStarted(String sql, boolean batch);

    }

    /**
     * What a listener is told when an execution ends.
     */
    @FunctionalInterface
    interface ListenedExecution {

        /**
         * The execution ended, on the thread it began on.
         * @param success whether it returned normally
         */
        void executionEnded(boolean success);

    }

}
