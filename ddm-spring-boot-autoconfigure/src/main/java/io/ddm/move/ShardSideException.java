package io.ddm.move;

import java.sql.SQLException;

/**
 * A statement of a move's copy or comparison failed on one side: the source primary the shard is copied from, or the
 * target primary it is copied to. The message names the table, the side and the server's error; the SQL state and
 * vendor code are the server's, so callers can still tell a lost connection from a missing privilege.
 */
public class ShardSideException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final Side side;

    private final String table;

    /**
     * Creates an exception for a failed statement.
     * @param side the side the statement ran on
     * @param table the table it was about ({@code shop_3.t_order_3}), or {@code null} when about no single table
     * @param action what was being done, e.g. {@code "reading rows"}
     * @param cause the driver's exception
     */
    public ShardSideException(Side side, String table, String action, SQLException cause) {
        super(message(side, table, action, cause.getMessage()), cause.getSQLState(), cause.getErrorCode(), cause);
        this.side = side;
        this.table = table;
    }

    /**
     * Creates an exception for a problem found by DDM rather than reported by the server.
     * @param side the side the problem is on
     * @param table the table, or {@code null}
     * @param problem what is wrong and what to do
     */
    public ShardSideException(Side side, String table, String problem) {
        super(message(side, table, null, problem));
        this.side = side;
        this.table = table;
    }

    private static String message(Side side, String table, String action, String detail) {
        StringBuilder message = new StringBuilder();
        if (action != null) {
            message.append(Character.toUpperCase(action.charAt(0))).append(action.substring(1));
            if (table != null) {
                message.append(" of table ").append(table);
            }
            message.append(" failed on the ").append(side.label()).append(": ");
        }
        else {
            message.append(table != null ? "Table " + table + " on the " + side.label() : "The " + side.label()).append(": ");
        }
        return message.append(detail).toString();
    }

    /**
     * The side that failed.
     * @return source or target
     */
    public Side side() {
        return this.side;
    }

    /**
     * The table the failure is about.
     * @return {@code database.table}, or {@code null}
     */
    public String table() {
        return this.table;
    }

    /**
     * The two servers of a move.
     */
    public enum Side {

        /** The primary that holds the shard now. */
        SOURCE("source"),

        /** The primary the shard is copied to. */
        TARGET("target");

        private final String label;

        Side(String label) {
            this.label = label;
        }

        /**
         * The side's name in messages.
         * @return {@code source} or {@code target}
         */
        public String label() {
            return this.label;
        }

    }

}
