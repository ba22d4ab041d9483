package io.ddm.move;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.Failures;
import io.ddm.datasource.MySqlErrorCodes;
import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.datasource.ShardRedirector;
import io.ddm.datasource.ShardSwitch;
import io.ddm.placement.PlacementStore;
import io.ddm.placement.RecordedPlacement;
import io.ddm.topology.Node;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SWITCHING phase of one {@link ShardMove}: the statements for the shard in this instance wait at a
 * {@link ShardSwitch} until the shard's connections in use are returned; the source's tables are renamed into the
 * retired database (the fence); the target applies the binary log up to the rename and its replicas catch up; the new
 * placement is recorded on the target (the point of no return); the waiting statements go on to the target. An attempt
 * whose connections or table locks are not free within {@link MoveSettings#drainTimeout()} is called off with
 * everything as before and tried again, up to {@link MoveSettings#switchAttempts()} times.
 */
final class ShardCutover {

    private static final Logger logger = LoggerFactory.getLogger(ShardCutover.class);

    private final String id;

    private final int shard;

    private final String database;

    private final String source;

    private final String target;

    private final String retiredDatabase;

    private final RecordedPlacement next;

    private final List<String> tableNames;

    private final DdmDataSource dataSource;

    private final MoveSettings settings;

    private final Phases move;

    private List<PhysicalPool> targetPools = List.of();

    private List<PhysicalPool> sourcePools = List.of();

    private ShardSwitch.Redirect redirect;

    private ShardSwitch shardSwitch;

    private boolean fenced;

    private volatile boolean pointOfNoReturn;

    private volatile Long writesPausedMillis;

    /**
     * The cut-over of one move.
     * @param id the move's id
     * @param shard the shard
     * @param database the shard database
     * @param source the source node
     * @param target the target node
     * @param retiredDatabase where the source's tables are renamed to
     * @param next the placement to record, with the shard on the target
     * @param tableNames the shard's tables
     * @param dataSource the data source whose statements switch
     * @param settings the move's settings
     * @param move what the cut-over asks of the move's other phases
     */
    ShardCutover(String id, int shard, String database, String source, String target, String retiredDatabase, RecordedPlacement next,
            List<String> tableNames, DdmDataSource dataSource, MoveSettings settings, Phases move) {
        this.id = id;
        this.shard = shard;
        this.database = database;
        this.source = source;
        this.target = target;
        this.retiredDatabase = retiredDatabase;
        this.next = next;
        this.tableNames = tableNames;
        this.dataSource = dataSource;
        this.settings = settings;
        this.move = move;
    }

    /**
     * Switches the shard to the target.
     * @throws SQLException when a server fails
     * @throws InterruptedException when interrupted
     */
    void run() throws SQLException, InterruptedException {
        Topology topology = this.dataSource.getTopology();
        PhysicalDataSources physical = this.dataSource.getPhysicalDataSources();
        ShardPlacement after = this.next.placement();
        ShardRedirector redirector = new ShardRedirector(topology, physical);
        this.move.awaitReplicas(topology.node(this.target), "the target node before the switch");
        this.targetPools = redirector.openTarget(this.shard, this.target, after);
        this.sourcePools = redirector.servingPools(this.shard, this.source);
        this.redirect = redirector.redirectTo(this.source, this.targetPools);
        this.dataSource.getPlacement().setSwitching(true);
        try {
            attempts();
        }
        finally {
            this.dataSource.getPlacement().setSwitching(false);
        }
    }

    /**
     * Whether the new placement is recorded: the shard is served from the target from then on, whatever fails after.
     * @return whether it is
     */
    boolean passedPointOfNoReturn() {
        return this.pointOfNoReturn;
    }

    /**
     * How long the shard's statements waited at the switch that succeeded.
     * @return milliseconds, or {@code null} before it succeeded
     */
    Long writesPausedMillis() {
        return this.writesPausedMillis;
    }

    /**
     * Puts everything back as before the cut-over, unless it passed the point of no return: the source's tables renamed
     * back, the waiting statements let go on to the source, the target's pools closed.
     * @return what could not be put back and what to do about it, {@code null} when everything was
     */
    String undo() {
        if (this.pointOfNoReturn) {
            return null;
        }
        if (this.fenced) {
            try (Connection connection = this.move.openSource()) {
                SourceRetirement.restore(connection, this.retiredDatabase, this.database);
                this.fenced = false;
            }
            catch (SQLException | RuntimeException ex) {
                String server = Failures.describe(this.dataSource.getTopology().node(this.source).primary());
                String failure = Failures.describe(ex);
                logger.error("Move {}: cannot rename the tables of shard {} back from '{}' to '{}' on {}: {}. Statements for the shard"
                        + " keep waiting; rename them back by hand (RENAME TABLE) and restart the application.", this.id, this.shard,
                        this.retiredDatabase, this.database, server, failure);
                return "Its tables could not be renamed back from '" + this.retiredDatabase + "' to '" + this.database + "' on "
                        + server + " (" + failure + "): rename them back by hand (RENAME TABLE) and restart the application.";
            }
        }
        if (this.shardSwitch != null) {
            this.shardSwitch.resume();
            this.sourcePools.forEach((pool) -> pool.dataSource().setShardSwitch(null));
        }
        if (!this.targetPools.isEmpty()) {
            this.dataSource.getPhysicalDataSources().closeShard(this.targetPools);
        }
        return null;
    }

    private void attempts() throws SQLException, InterruptedException {
        for (int attempt = 1; attempt <= this.settings.switchAttempts(); attempt++) {
            this.move.abortPoint();
            this.move.awaitCaughtUp();
            if (attempt(attempt)) {
                break;
            }
            if (attempt == this.settings.switchAttempts()) {
                throw new MoveException("Shard " + this.shard + " could not be switched in " + attempt + " attempts: its connections"
                        + " stayed in use (long transactions in this or another instance?) for longer than " + this.settings.drainTimeout()
                        + " each time. The shard stays on node '" + this.source + "'; start the move again when transactions are short,"
                        + " or raise ddm.moves.drain-timeout.");
            }
        }
    }

    /** One attempt: returns false, with everything as before, when connections or locks were not free in time. */
    private boolean attempt(int attempt) throws SQLException, InterruptedException {
        this.shardSwitch = new ShardSwitch(this.shard, this.id, this.target);
        long pausedAt = System.nanoTime();
        this.sourcePools.forEach((pool) -> pool.dataSource().setShardSwitch(this.shardSwitch));
        boolean switched = false;
        try {
            if (!drained(pausedAt)) {
                logger.info("Move {}: switch attempt {} called off, connections of shard {} stayed in use for {}", this.id, attempt,
                        this.shard, this.settings.drainTimeout());
                return false;
            }
            this.move.journal(MoveState.SWITCHING, null);
            try (Connection connection = this.move.openSource()) {
                SourceRetirement.retire(connection, this.database, this.retiredDatabase, this.tableNames, this.settings.drainTimeout());
                this.fenced = true;
                BinlogPosition end = ShardSnapshot.currentPosition(connection);
                this.move.awaitApplied(end);
            }
            catch (SQLException ex) {
                if (!this.fenced && ex.getErrorCode() == MySqlErrorCodes.ER_LOCK_WAIT_TIMEOUT) {
                    logger.info("Move {}: switch attempt {} called off, transactions on shard {} held its tables for {}", this.id,
                            attempt, this.shard, this.settings.drainTimeout());
                    return false;
                }
                throw ex;
            }
            Node targetNode = this.dataSource.getTopology().node(this.target);
            this.move.awaitReplicas(targetNode, "the target node at the switch");
            this.move.abortPoint();
            try (Connection connection = this.move.openTarget()) {
                PlacementStore.write(connection, this.database, this.next);
            }
            this.pointOfNoReturn = true;
            this.shardSwitch.redirect(this.redirect);
            switched = true;
            this.writesPausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
            this.dataSource.getPlacement().publish(this.next);
            logger.info("Move {}: shard {} switched to node '{}'; its statements waited {} ms", this.id, this.shard, this.target,
                    this.writesPausedMillis);
            return true;
        }
        finally {
            if (!switched && !this.fenced) {
                this.shardSwitch.resume();
                this.sourcePools.forEach((pool) -> pool.dataSource().setShardSwitch(null));
            }
        }
    }

    private boolean drained(long pausedAt) throws InterruptedException {
        long deadline = pausedAt + this.settings.drainTimeout().toNanos();
        while (this.sourcePools.stream().mapToInt((pool) -> pool.dataSource().activeConnections()).sum() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** What the cut-over asks of the move's other phases. */
    interface Phases {

        /** Throws when an abort was requested or the binary-log stream failed. */
        void abortPoint();

        /** Waits until the target is within the switch lag of the source. */
        void awaitCaughtUp() throws SQLException, InterruptedException;

        /** Waits until the target applied the source's binary log up to a position. */
        void awaitApplied(BinlogPosition position) throws InterruptedException;

        /** Waits until a node's replicas applied their primary's binary log. */
        void awaitReplicas(Node node, String when);

        /** Records the move's state in its journal on the source. */
        void journal(MoveState state, String error) throws SQLException;

        /** A connection to the source's primary. */
        Connection openSource();

        /** A connection to the target's primary. */
        Connection openTarget();

    }

}
