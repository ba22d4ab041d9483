package io.ddm.move;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.ddm.datasource.Failures;
import io.ddm.datasource.MySqlErrorCodes;
import io.ddm.datasource.ServerConnections;
import io.ddm.placement.PlacementStore;
import io.ddm.placement.RecordedPlacement;
import io.ddm.topology.Node;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves, at startup, the moves that an earlier run of the application started and did not finish (it stopped or was
 * killed). A move whose new placement is recorded had passed its point of no return: it is finished (DONE). Any other
 * is rolled back: the source's tables are renamed back if the switch had retired them, the partial copy on the target
 * is removed, and the move is recorded FAILED. Never half-switched.
 */
public final class MoveRecovery {

    private static final Logger logger = LoggerFactory.getLogger(MoveRecovery.class);

    private MoveRecovery() {
    }

    /**
     * Resolves every unfinished move recorded on the topology's primaries.
     * @param topology the configured topology
     * @param timeout longest wait for each server
     */
    public static void recover(Topology topology, Duration timeout) {
        Optional<RecordedPlacement> newest = Optional.empty();
        boolean read = false;
        for (Node node : topology.nodes()) {
            if (!node.primary().url().startsWith("jdbc:mysql:") && !node.primary().url().startsWith("jdbc:mariadb:")) {
                continue;
            }
            try (Connection connection = ServerConnections.open(node.primary(), timeout)) {
                for (String database : PlacementStore.databasesWithTable(connection, topology.schema(), MoveJournal.TABLE)) {
                    List<MoveJournal.Entry> unfinished = MoveJournal.unfinished(connection, database);
                    if (unfinished.isEmpty()) {
                        continue;
                    }
                    try (MoveLock lock = MoveLock.tryAcquire(ServerConnections.open(node.primary(), timeout), database)) {
                        if (lock == null) {
                            logger.info("Shard database '{}' is being moved by a running instance (move {}, lock '{}' held on {});"
                                    + " left to it", database, unfinished.get(0).id(), MoveLock.name(database),
                                    Failures.describe(node.primary()));
                            continue;
                        }
                        if (!read) {
                            newest = PlacementStore.readNewest(topology, timeout);
                            read = true;
                        }
                        for (MoveJournal.Entry entry : unfinished) {
                            resolve(topology, connection, database, entry, newest, timeout);
                        }
                    }
                }
            }
            catch (SQLException ex) {
                logger.warn("Cannot look for unfinished shard moves of '{}' on {}: {}", topology.schema(),
                        Failures.describe(node.primary()), Failures.describe(ex));
            }
        }
    }

    /**
     * Resolves the moves of one shard database that an instance which is gone left unfinished: called by a move that
     * holds the shard's {@link MoveLock}, before it changes anything.
     * @param topology the topology
     * @param source a connection to the source's primary, where the journal is
     * @param database the shard database
     * @param timeout longest wait for each server
     * @throws SQLException when the journal cannot be read or written
     */
    static void resolveAbandoned(Topology topology, Connection source, String database, Duration timeout) throws SQLException {
        List<MoveJournal.Entry> unfinished;
        try {
            unfinished = MoveJournal.unfinished(source, database);
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() == MySqlErrorCodes.ER_NO_SUCH_TABLE) {
                return;
            }
            throw ex;
        }
        if (unfinished.isEmpty()) {
            return;
        }
        Optional<RecordedPlacement> newest = PlacementStore.readNewest(topology, timeout);
        for (MoveJournal.Entry entry : unfinished) {
            resolve(topology, source, database, entry, newest, timeout);
        }
    }

    private static void resolve(Topology topology, Connection source, String database, MoveJournal.Entry entry,
            Optional<RecordedPlacement> newest, Duration timeout) throws SQLException {
        boolean switched = newest.isPresent() && newest.get().epoch() >= entry.epoch()
                && newest.get().placement().nodeOf(entry.shard()).equals(entry.target());
        if (switched) {
            MoveJournal.write(source, database, entry.withState(MoveState.DONE, null));
            logger.warn("Move {} of shard {} to node '{}' had switched when the application stopped; it is finished: the shard is served"
                    + " from node '{}', the source's tables are kept in '{}'", entry.id(), entry.shard(), entry.target(), entry.target(),
                    entry.retiredDatabase());
            return;
        }
        SourceRetirement.restore(source, entry.retiredDatabase(), database);
        try (Connection target = ServerConnections.open(topology.node(entry.target()).primary(), timeout)) {
            ShardCopy.remove(target, database, entry.targetCreated(), SourceRetirement.applicationTables(source, database));
        }
        catch (SQLException | IllegalArgumentException ex) {
            logger.warn("Move {}: cannot remove the partial copy of shard {} on node '{}': {}. Drop database '{}' there before moving the"
                    + " shard to it again.", entry.id(), entry.shard(), entry.target(), Failures.describe(ex), database);
        }
        String error = "The application stopped while the move was " + entry.state().name().toLowerCase(java.util.Locale.ROOT)
                + "; on the next start DDM rolled it back: shard " + entry.shard() + " is served from node '" + entry.source()
                + "'. Start the move again.";
        MoveJournal.write(source, database, entry.withState(MoveState.FAILED, error));
        logger.warn("Move {}: {}", entry.id(), error);
    }

}
