package io.ddm.fastpath;

import java.sql.ResultSet;
import java.sql.Statement;

/**
 * How the application asked for a prepared statement, read from the arguments of {@code Connection.prepareStatement},
 * and how ShardingSphere prepares its physical statements from that ({@code StatementManager}): with generated keys
 * (by flag, by column index, which it treats as the flag, or by column name), or with a result set type, concurrency and
 * holdability (holding cursors over commit unless told otherwise).
 *
 * @param returnGeneratedKeys whether generated keys are returned
 * @param columns the key columns by name, or {@code null}
 * @param type the result set type
 * @param concurrency the result set concurrency
 * @param holdability the result set holdability
 */
public record PrepareOptions(boolean returnGeneratedKeys, String[] columns, int type, int concurrency, int holdability) {

    private static final PrepareOptions DEFAULT = new PrepareOptions(false, null, ResultSet.TYPE_FORWARD_ONLY,
            ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT);

    private static final PrepareOptions KEYS = new PrepareOptions(true, null, ResultSet.TYPE_FORWARD_ONLY,
            ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT);

    /**
     * The options of a {@code prepareStatement} call.
     * @param args its arguments, the SQL first
     * @return the options
     */
    public static PrepareOptions of(Object[] args) {
        if (args.length == 1) {
            return DEFAULT;
        }
        if (args.length == 2) {
            if (args[1] instanceof String[] columns) {
                return new PrepareOptions(true, columns, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                        ResultSet.HOLD_CURSORS_OVER_COMMIT);
            }
            if (args[1] instanceof int[]) {
                return KEYS;
            }
            return (((Integer) args[1]) == Statement.RETURN_GENERATED_KEYS) ? KEYS : DEFAULT;
        }
        int holdability = (args.length > 3) ? (Integer) args[3] : ResultSet.HOLD_CURSORS_OVER_COMMIT;
        return new PrepareOptions(false, null, (Integer) args[1], (Integer) args[2], holdability);
    }

}
