package io.ddm.move;

import java.sql.SQLException;
import java.util.Optional;

import io.ddm.datasource.StatementGate;
import io.ddm.datasource.StatementText;

/**
 * Refuses DDL while a shard move of this instance runs: the move copies, streams and verifies each table of the shard
 * as it was when the move started, and a DDL statement on a logical table reaches every shard, the moving one
 * included. So every DDL statement is refused until the move ends, with the move named. (DDL that another instance
 * runs on the moving shard meanwhile fails the move instead, in its change stream, and the shard keeps serving from
 * its source.) Other statements cost one look at their first keyword.
 */
final class DdlDuringMoveGate implements StatementGate {

    private final ShardMoves moves;

    private final String schema;

    DdlDuringMoveGate(ShardMoves moves, String schema) {
        this.moves = moves;
        this.schema = schema;
    }

    @Override
    public void check(String sql) throws SQLException {
        if (!StatementText.isDdl(sql)) {
            return;
        }
        Optional<ShardMove> running = this.moves.running();
        if (running.isEmpty()) {
            return;
        }
        MoveDescriptor move = running.get().descriptor();
        throw new SQLException("DDL is refused while shard " + move.shard() + " of '" + this.schema + "' moves from node '" + move.source()
                + "' to node '" + move.target() + "' (move " + move.id() + ", " + move.state() + "): the move copies and verifies the"
                + " shard's tables as they were when it started, and DDL reaches every shard. Run the statement once the move is DONE,"
                + " or abort the move first (DELETE /actuator/ddm/moves/" + move.id() + ", or ShardMove.abort()).", "HY000");
    }

}
