package io.ddm.benchmarks.reliability;

import java.sql.SQLException;

import io.ddm.datasource.ShardUnavailableException;

/**
 * Why a statement failed, as a short key for counting ({@code ShardUnavailableException [08001] is down since}), and
 * whether a write that failed so may still have been applied.
 *
 * <p>The key names the most telling exception of the chain: DDM's {@link ShardUnavailableException} when present
 * (the pool gave no connection: nothing was sent), else the innermost {@link SQLException} (the driver's view:
 * {@code CommunicationsException [08S01] Communications link failure}), else the root cause; a chain goes on through
 * an exception's cause or, lacking one, an {@link SQLException}'s next exception. Its message is cut to
 * its first clause with numbers and quoted names blanked, so that failures of one kind count together.
 *
 * @param key the counting key
 * @param example one full message, for the report
 * @param mayHaveApplied whether a write failing so may have been applied: {@code false} only when nothing was sent
 * (no connection) or the server answered with an error of its own (it then applied nothing of the statement)
 */
record FailureCause(String key, String example, boolean mayHaveApplied) {

    private static final int MESSAGE_CLASS_LENGTH = 48;

    static FailureCause of(Throwable failure) {
        ShardUnavailableException unavailable = find(failure, ShardUnavailableException.class);
        if (unavailable != null) {
            return new FailureCause(describe(unavailable, shardMessageClass(unavailable.getMessage())), firstLine(unavailable), false);
        }
        SQLException innermost = null;
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql) {
                innermost = sql;
            }
            root = cause;
        }
        Throwable telling = (innermost != null) ? innermost : root;
        boolean serverError = innermost != null && innermost.getErrorCode() > 0 && innermost.getSQLState() != null
                && !innermost.getSQLState().startsWith("08");
        return new FailureCause(describe(telling, messageClass(telling.getMessage())), firstLine(telling) + ((root != telling)
                ? " (cause: " + root.getClass().getSimpleName() + ": " + firstLine(root) + ")" : ""), !serverError);
    }

    private static String describe(Throwable failure, String messageClass) {
        String state = (failure instanceof SQLException sql && sql.getSQLState() != null) ? " [" + sql.getSQLState() + "]" : "";
        return failure.getClass().getSimpleName() + state + " " + messageClass;
    }

    /** DDM's two ways of refusing: a recorded outage, or a pool that gave no connection in time. */
    private static String shardMessageClass(String message) {
        if (message.contains("is down since")) {
            return "is down since";
        }
        if (message.contains("gave no connection within")) {
            return "gave no connection within the connection-timeout";
        }
        return messageClass(message);
    }

    static String messageClass(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String text = firstLine(message);
        int clause = indexOfAny(text, ". ", ": ", "; ", " (");
        if (clause > 0) {
            text = text.substring(0, clause);
        }
        text = text.replaceAll("'[^']*'", "'…'").replaceAll("`[^`]*`", "`…`").replaceAll("[0-9]+", "#");
        return (text.length() > MESSAGE_CLASS_LENGTH) ? text.substring(0, MESSAGE_CLASS_LENGTH) + "…" : text;
    }

    private static int indexOfAny(String text, String... separators) {
        int result = -1;
        for (String separator : separators) {
            int index = text.indexOf(separator);
            if (index > 0 && (result < 0 || index < result)) {
                result = index;
            }
        }
        return result;
    }

    private static String firstLine(Throwable failure) {
        return (failure.getMessage() == null) ? "(no message)" : firstLine(failure.getMessage());
    }

    private static String firstLine(String message) {
        String line = message.strip();
        int newline = line.indexOf('\n');
        return (newline >= 0) ? line.substring(0, newline).strip() : line;
    }

    /**
     * The next of a chain: the cause, or for an {@link SQLException} without one the next exception, as ShardingSphere
     * reports the failures of several physical connections (a commit) under one empty {@code SQLException("")}.
     */
    private static Throwable next(Throwable failure) {
        Throwable cause = failure.getCause();
        if (cause == null && failure instanceof SQLException sql) {
            cause = sql.getNextException();
        }
        return (cause != failure) ? cause : null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

}
