package io.ddm.datasource;

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
