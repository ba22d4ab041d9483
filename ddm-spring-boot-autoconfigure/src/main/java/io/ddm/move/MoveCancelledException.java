package io.ddm.move;

/**
 * A step of a shard move (the copy, the comparison) stopped because it was cancelled, e.g. the move was aborted. What
 * the step wrote so far stays as it is; removing a partial copy is up to the caller.
 */
public class MoveCancelledException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     * @param message what was cancelled and how far it had come
     */
    public MoveCancelledException(String message) {
        super(message);
    }

}
