package io.ddm.move;

/**
 * A shard move cannot start or cannot go on. The message names the node, server or table at fault and what to do.
 */
public class MoveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     * @param message what is wrong and what to do
     */
    public MoveException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     * @param message what is wrong and what to do
     * @param cause the failure
     */
    public MoveException(String message, Throwable cause) {
        super(message, cause);
    }

}
