package io.ddm.move;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.Failures;
import io.ddm.datasource.FailureTranslation;
import io.ddm.datasource.MySqlErrorCodes;
import io.ddm.datasource.ServerConnections;
import io.ddm.placement.LivePlacement;
import io.ddm.placement.RecordedPlacement;
import io.ddm.topology.Server;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains a statement that failed on a shard's retired copy: another instance moved the shard, or is switching it, and
 * this instance still routed by the old placement. The server only says that a table or database does not exist; the
 * exception thrown instead names the shard, the move and the node that serves the shard now, and says to retry. It also
 * makes this instance follow the new placement at once rather than at its next scheduled check. Failures that name no
 * shard database, or a shard that no move touched, are thrown as they are.
 */
final class MovedShardFailures implements FailureTranslation {

    private static final Logger logger = LoggerFactory.getLogger(MovedShardFailures.class);

    private final DdmDataSource dataSource;

    private final Duration timeout;

    MovedShardFailures(DdmDataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public SQLException translate(SQLException failure) {
        if (!isMissingTableOrDatabase(failure)) {
            return failure;
        }
        Topology topology = this.dataSource.getTopology();
        int shard = shardNamedIn(topology, messages(failure));
        if (shard < 0) {
            return failure;
        }
        this.dataSource.checkPlacement();
        Optional<SQLException> moved = movedByCurrentVersion(shard, failure);
        if (moved.isPresent()) {
            return moved.get();
        }
        Optional<SQLException> switching = switching(shard, failure);
        if (switching.isPresent()) {
            return switching.get();
        }
        // The move may have recorded its placement between the two reads.
        this.dataSource.checkPlacement();
        return movedByCurrentVersion(shard, failure).orElse(failure);
    }

    private Optional<SQLException> movedByCurrentVersion(int shard, SQLException failure) {
        LivePlacement placement = this.dataSource.getPlacement();
        RecordedPlacement current = placement.version();
        Optional<RecordedPlacement> previous = placement.previousVersion();
        if (current.moveId() == null || previous.isEmpty()) {
            return Optional.empty();
        }
        String from = previous.get().placement().nodeOf(shard);
        String to = current.placement().nodeOf(shard);
        if (from.equals(to)) {
            return Optional.empty();
        }
        return Optional.of(new SQLTransientException("Shard " + shard + " of '" + this.dataSource.getTopology().schema() + "' (database '"
                + database(shard) + "') was moved from node '" + from + "' to node '" + to + "' by move " + current.moveId()
                + " of another instance, and this statement reached its retired copy on '" + from + "' before this instance"
                + " followed the new placement (version " + current.epoch() + "). It routes the shard to '" + to
                + "' now: retry the statement.", "HY000", failure));
    }

    private Optional<SQLException> switching(int shard, SQLException failure) {
        String node = this.dataSource.getPlacement().current().nodeOf(shard);
        Server primary = this.dataSource.getTopology().node(node).primary();
        try (Connection connection = ServerConnections.open(primary, this.timeout)) {
            return MoveJournal.switching(connection, database(shard)).map((entry) -> new SQLTransientException("Shard " + shard
                    + " of '" + this.dataSource.getTopology().schema() + "' (database '" + database(shard) + "') is being switched"
                    + " from node '" + entry.source() + "' to node '" + entry.target() + "' by move " + entry.id() + " of another"
                    + " instance: its tables on '" + node + "' are retired, and this instance routes the shard to '" + entry.target()
                    + "' once the move records the new placement (at the latest after ddm.moves.placement-check-interval):"
                    + " retry the statement.", "HY000", failure));
        }
        catch (SQLException ex) {
            logger.debug("Cannot read the move journal of shard {} on {}: {}", shard, Failures.describe(primary), Failures.describe(ex));
            return Optional.empty();
        }
    }

    private String database(int shard) {
        return this.dataSource.getTopology().shardDatabases().get(shard);
    }

    private static boolean isMissingTableOrDatabase(SQLException failure) {
        return MySqlErrorCodes.inCauseChain(failure, MySqlErrorCodes.ER_NO_SUCH_TABLE, MySqlErrorCodes.ER_BAD_DB_ERROR);
    }

    private static String messages(SQLException failure) {
        StringBuilder result = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            result.append(cause.getMessage()).append('\n');
        }
        return result.toString();
    }

    /** The shard whose database the message names, or -1; {@code ddm_1} is not found in {@code ddm_10}. */
    private static int shardNamedIn(Topology topology, String message) {
        for (int shard = 0; shard < topology.shards(); shard++) {
            String database = Pattern.quote(topology.shardDatabases().get(shard));
            Pattern name = Pattern.compile("(?<![A-Za-z0-9_$])" + database + "(?![A-Za-z0-9_$])");
            if (name.matcher(message).find()) {
                return shard;
            }
        }
        return -1;
    }

}
