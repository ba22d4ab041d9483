package io.ddm.move;

/**
 * A {@link ChangeStream} could not start or has failed: the message names the source server, the position and, where
 * one is involved, the table or statement.
 */
public class ChangeStreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure without a cause.
     * @param message what failed, where
     */
    public ChangeStreamException(String message) {
        super(message);
    }

    /**
     * A failure with a cause.
     * @param message what failed, where
     * @param cause the underlying failure
     */
    public ChangeStreamException(String message, Throwable cause) {
        super(message, cause);
    }

}
