package io.ddm.datasource;

import java.sql.SQLException;

/**
 * Turns the failure of a logical statement into one that says what happened, where DDM knows more than the server's
 * message: e.g. that the shard was moved by another instance ({@code io.ddm.placement}).
 */
@FunctionalInterface
public interface FailureTranslation {

    /** Keeps every failure as it is. */
    FailureTranslation NONE = (failure) -> failure;

    /**
     * Translates a failure.
     * @param failure what the statement threw
     * @return what to throw instead: a new exception with the failure as its cause, or the failure itself
     */
    SQLException translate(SQLException failure);

}
