package io.ddm.move;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.Failures;
import io.ddm.datasource.ServerConnections;
import io.ddm.datasource.ShardSwitch;
import io.ddm.placement.PlacementStore;
import io.ddm.placement.RecordedPlacement;
import io.ddm.replication.ReplicaCatchUp;
import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Node;
import io.ddm.topology.PhysicalNames;
import io.ddm.topology.Server;
import io.ddm.topology.ShardPlacement;
import io.ddm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard move, run in its own thread, and the handle an application holds: {@link #descriptor()},
 * {@link #await(Duration)}, {@link #abort()}.
 *
 * <p>The phases, as Vitess's VReplication and VDiff do them:
 * <ol>
 * <li>CHECKING: source and target answer; the source writes a binary log in ROW format with full row images and DDM's
 * account may read it; every table has a primary key and only column types the stream applies exactly; the target
 * holds none of the shard's tables. Nothing has changed when a check fails.</li>
 * <li>COPYING: a consistent snapshot of the source, with the binary-log position it corresponds to, is copied to the
 * target.</li>
 * <li>CATCHING_UP: the changes recorded since that position are applied to the target, until it is less than
 * {@link MoveSettings#switchLag()} behind.</li>
 * <li>VERIFYING: the stream is held at a position P where the source opens a consistent snapshot, the target opens one
 * once it applied exactly up to P, and the checksums of every chunk of every table are compared while the stream goes
 * on. A mismatch fails the move.</li>
 * <li>SWITCHING ({@link ShardCutover}): statements for the shard in this instance wait ({@link ShardSwitch}) until the
 * shard's connections in use are returned; the source's tables are renamed into a retired database (the fence: from
 * then on no instance can write them, and a transaction still using them delays the rename); the target applies the
 * binary log up to the rename and its replicas catch up; the new placement is recorded on the target (the point of no
 * return); this instance's statements for the shard go to the target. Then every other shard database records the new
 * placement.</li>
 * </ol>
 * A failure or an abort before the point of no return renames the source's tables back, lets the waiting statements
 * go on to the source, and removes the partial copy.
 */
public final class ShardMove {

    private static final Logger logger = LoggerFactory.getLogger(ShardMove.class);

    private final String id;

    private final int shard;

    private final String database;

    private final String source;

    private final String target;

    private final DdmDataSource dataSource;

    private final MoveSettings settings;

    private final Instant startedAt = Instant.now();

    private volatile ShardCopy copy;

    private volatile ChunkComparison comparison;

    private final CountDownLatch finished = new CountDownLatch(1);

    private volatile MoveState state = MoveState.CHECKING;

    private volatile String error;

    private volatile long catchUpLagMillis;

    private volatile Instant finishedAt;

    private volatile boolean abortRequested;

    private volatile ChangeStream stream;

    /** The SWITCHING phase, once it began. */
    private volatile ShardCutover cutover;

    // Set while the move runs, cleaned up when it ends.
    private long epoch;

    private String retiredDatabase;

    private boolean targetCreated;

    private List<ShardTable> tables = List.of();

    /** Held from the checks to the end, so that no other instance moves the shard meanwhile. */
    private MoveLock lock;

    ShardMove(String id, int shard, String target, DdmDataSource dataSource, MoveSettings settings) {
        this.id = id;
        this.shard = shard;
        this.dataSource = dataSource;
        this.settings = settings;
        this.database = PhysicalNames.shardDatabase(dataSource.getTopology().schema(), shard);
        this.source = dataSource.getPlacement().current().nodeOf(shard);
        this.target = target;
    }

    /**
     * The move's id.
     * @return the id
     */
    public String id() {
        return this.id;
    }

    /**
     * The shard that moves.
     * @return shard index
     */
    public int shard() {
        return this.shard;
    }

    /**
     * What the move is doing or did.
     * @return the descriptor, a snapshot
     */
    public MoveDescriptor descriptor() {
        long lag = this.state.isFinal() ? 0 : this.catchUpLagMillis;
        ShardCopy currentCopy = this.copy;
        ChunkComparison currentComparison = this.comparison;
        long total = (currentCopy != null) ? Math.max(0, currentCopy.rowsTotal()) : 0;
        return new MoveDescriptor(this.id, this.shard, this.database, this.source, this.target, this.state, this.error,
                (currentCopy != null) ? currentCopy.rowsCopied() : 0, total, lag,
                (currentComparison != null) ? currentComparison.chunksCompared() : 0, writesPausedMillis(), this.startedAt,
                this.finishedAt);
    }

    /**
     * Waits for the move to end.
     * @param timeout longest wait
     * @return the descriptor then, or as it is when the wait timed out
     * @throws InterruptedException when interrupted
     */
    public MoveDescriptor await(Duration timeout) throws InterruptedException {
        this.finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return descriptor();
    }

    /**
     * Calls the move off. It ends ABORTED once it has undone what it did, unless it has already switched.
     * @return the descriptor
     * @throws IllegalStateException when the move has switched the shard or ended
     */
    public MoveDescriptor abort() {
        if (this.state.isFinal()) {
            throw new IllegalStateException("Move " + this.id + " has already ended " + this.state);
        }
        if (passedPointOfNoReturn()) {
            throw new IllegalStateException("Move " + this.id + " has already switched shard " + this.shard + " to node '" + this.target
                    + "'; it can no longer be aborted. Move the shard back with a new move if needed.");
        }
        this.abortRequested = true;
        ShardCopy currentCopy = this.copy;
        if (currentCopy != null) {
            currentCopy.cancel();
        }
        ChunkComparison currentComparison = this.comparison;
        if (currentComparison != null) {
            currentComparison.cancel();
        }
        logger.info("Move {} of shard {}: abort requested", this.id, this.shard);
        return descriptor();
    }

    void run() {
        Thread.currentThread().setName("ddm-move-" + this.id);
        try {
            check();
            copy();
            catchUp();
            verify();
            switchOver();
            end(MoveState.DONE, null);
        }
        catch (Aborted ex) {
            undo();
            end(MoveState.ABORTED, null);
        }
        catch (RuntimeException | SQLException | InterruptedException ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String message = (ex instanceof MoveException) ? ex.getMessage() : explain(ex);
            if (passedPointOfNoReturn()) {
                // The shard is served from the target; what failed is the bookkeeping after the switch.
                logger.warn("Move {} of shard {} switched to node '{}', but then: {}", this.id, this.shard, this.target, message, ex);
                end(MoveState.DONE, null);
            }
            else {
                logger.warn("Move {} of shard {} from node '{}' to '{}' failed while {}: {}", this.id, this.shard, this.source,
                        this.target, lower(this.state), message, ex);
                this.error = message;
                String leftover = undo();
                end(MoveState.FAILED, (leftover != null) ? message + " " + leftover : message);
            }
        }
        catch (Error ex) {
            undo();
            end(MoveState.FAILED, describe(ex));
            throw ex;
        }
    }

    private void check() throws SQLException {
        Topology topology = this.dataSource.getTopology();
        logger.info("Move {}: shard {} ({}) from node '{}' to node '{}': checking", this.id, this.shard, this.database, this.source,
                this.target);
        Server sourcePrimary = topology.node(this.source).primary();
        Server targetPrimary = topology.node(this.target).primary();
        this.lock = MoveLock.tryAcquire(open(sourcePrimary, "source"), this.database);
        if (this.lock == null) {
            throw new MoveException("Shard " + this.shard + " (" + this.database + ") is being moved by another instance: its move lock '"
                    + MoveLock.name(this.database) + "' on " + Failures.describe(sourcePrimary) + " is held. Wait for that move to end (the"
                    + " instance running it lists it under /actuator/ddm/moves), then start this one again if it is still wanted.");
        }
        try (Connection connection = open(sourcePrimary, "source")) {
            // Moves of this shard that an instance which is gone left unfinished (its lock was free).
            MoveRecovery.resolveAbandoned(topology, connection, this.database, this.settings.drainTimeout());
            MoveChecks.requireBinlog(connection, sourcePrimary);
            this.tables = MoveChecks.movableTables(connection, this.database, sourcePrimary);
        }
        try (Connection connection = open(targetPrimary, "target")) {
            this.targetCreated = MoveChecks.prepareTarget(connection, this.database, targetPrimary);
        }
        awaitReplicas(topology.node(this.target), "the target node before the copy");
        this.epoch = MoveChecks.nextEpoch(topology, this.dataSource.getPlacement().version().epoch(), this.settings.drainTimeout());
        this.retiredDatabase = SourceRetirement.retiredDatabase(this.database, this.epoch);
        journal(MoveState.COPYING, null);
        abortPoint();
    }

    private void copy() throws SQLException, InterruptedException {
        state(MoveState.COPYING);
        Server sourcePrimary = sourcePrimary();
        BinlogPosition start;
        try (Connection sourceConnection = open(sourcePrimary, "source");
                Connection targetConnection = open(targetPrimary(), "target")) {
            sourceConnection.setCatalog(this.database);
            targetConnection.setCatalog(this.database);
            try (ShardSnapshot snapshot = ShardSnapshot.open(sourceConnection, this.tables,
                    () -> open(sourcePrimary, "source", this.database))) {
                start = snapshot.position();
                ShardCopy shardCopy = new ShardCopy(snapshot, targetConnection, this.tables);
                this.copy = shardCopy;
                logger.info("Move {}: copying {} tables from the source's snapshot at {}", this.id, this.tables.size(), start);
                shardCopy.run();
            }
            catch (MoveCancelledException ex) {
                throw new Aborted();
            }
        }
        abortPoint();
        this.stream = startStream(sourcePrimary, start);
    }

    private void catchUp() throws SQLException, InterruptedException {
        state(MoveState.CATCHING_UP);
        logger.info("Move {}: catching up from the source's binary log", this.id);
        awaitCaughtUp();
        abortPoint();
    }

    private void verify() throws SQLException, InterruptedException {
        state(MoveState.VERIFYING);
        Server sourcePrimary = sourcePrimary();
        try (Connection sourceConnection = open(sourcePrimary, "source");
                Connection targetConnection = open(targetPrimary(), "target")) {
            sourceConnection.setCatalog(this.database);
            targetConnection.setCatalog(this.database);
            // Hold the stream first, so that it cannot pass the snapshot's position before it is told to stop there.
            this.stream.pauseAt(this.stream.receivedPosition());
            ShardSnapshot sourceSnapshot;
            ShardSnapshot targetSnapshot;
            try {
                sourceSnapshot = ShardSnapshot.open(sourceConnection, this.tables, () -> open(sourcePrimary, "source", this.database));
                this.stream.pauseAt(sourceSnapshot.position());
                awaitApplied(sourceSnapshot.position());
                targetSnapshot = ShardSnapshot.targetSnapshot(targetConnection);
            }
            finally {
                this.stream.resume();
            }
            try (sourceSnapshot; targetSnapshot) {
                logger.info("Move {}: verifying every chunk at {}", this.id, sourceSnapshot.position());
                ChunkComparison comparison = new ChunkComparison(sourceSnapshot.connection(), targetSnapshot.connection(), this.tables,
                        this.settings.chunkRows());
                this.comparison = comparison;
                ChunkComparison.Comparison result = comparison.run();
                if (!result.matches()) {
                    throw new MoveException("Verification found the copy on node '" + this.target + "' different from the source on node '"
                            + this.source + "' at " + sourceSnapshot.position() + ": " + result.mismatches().get(0) + " ("
                            + result.mismatches().size() + " of " + result.chunksCompared() + " chunks differ). Was the target changed"
                            + " behind DDM's back? The shard stays on node '" + this.source + "'; start the move again.");
                }
            }
            catch (MoveCancelledException ex) {
                throw new Aborted();
            }
        }
        abortPoint();
    }

    private void switchOver() throws SQLException, InterruptedException {
        state(MoveState.SWITCHING);
        logger.info("Move {}: switching shard {} to node '{}'", this.id, this.shard, this.target);
        ShardPlacement after = this.dataSource.getPlacement().current().withShardOn(this.shard, this.target);
        ShardCutover shardCutover = new ShardCutover(this.id, this.shard, this.database, this.source, this.target, this.retiredDatabase,
                new RecordedPlacement(this.epoch, after, this.id), tableNames(), this.dataSource, this.settings, new Phases());
        this.cutover = shardCutover;
        shardCutover.run();
        afterSwitch(after);
    }

    private boolean passedPointOfNoReturn() {
        ShardCutover current = this.cutover;
        return current != null && current.passedPointOfNoReturn();
    }

    private Long writesPausedMillis() {
        ShardCutover current = this.cutover;
        return (current != null) ? current.writesPausedMillis() : null;
    }

    private void afterSwitch(ShardPlacement after) {
        closeStream();
        Topology topology = this.dataSource.getTopology();
        RecordedPlacement next = this.dataSource.getPlacement().version();
        for (Node node : topology.nodes()) {
            try (Connection connection = ServerConnections.open(node.primary(), this.settings.drainTimeout())) {
                for (String each : PlacementStore.databasesWithTable(connection, topology.schema(), PlacementStore.TABLE)) {
                    PlacementStore.write(connection, each, next);
                }
                for (int each : after.shardsOn(node.name())) {
                    PlacementStore.write(connection, PhysicalNames.shardDatabase(topology.schema(), each), next);
                }
                if (node.name().equals(this.source)) {
                    PlacementStore.write(connection, this.database, next);
                }
            }
            catch (SQLException ex) {
                logger.warn("Move {}: cannot record the new placement on {}: {}. It is recorded on node '{}', which DDM reads too.",
                        this.id, Failures.describe(node.primary()), Failures.describe(ex), this.target);
            }
        }
        this.dataSource.getPhysicalDataSources().rebalance(after);
        try {
            journal(MoveState.DONE, null);
        }
        catch (SQLException ex) {
            logger.warn("Move {}: cannot record that it is done on {}: {}", this.id, Failures.describe(sourcePrimary()),
                    Failures.describe(ex));
        }
        logger.info("Move {}: done, shard {} is served from node '{}'; the source's tables are kept in database '{}' on node '{}'",
                this.id, this.shard, this.target, this.retiredDatabase, this.source);
    }

    /**
     * Puts everything back as before the move: the source serves, the partial copy is removed.
     * @return what could not be put back and what to do about it, {@code null} when everything was
     */
    private String undo() {
        closeStream();
        ShardCutover current = this.cutover;
        if (current != null) {
            if (current.passedPointOfNoReturn()) {
                return null;
            }
            String notRestored = current.undo();
            if (notRestored != null) {
                return notRestored;
            }
        }
        String leftover = removePartialCopy();
        try {
            journal(this.abortRequested ? MoveState.ABORTED : MoveState.FAILED, this.error);
        }
        catch (SQLException | RuntimeException ex) {
            logger.debug("Move {}: cannot record its end on the source", this.id, ex);
        }
        return leftover;
    }

    /** Removes what the move made on the target; returns what to do when that failed, else {@code null}. */
    private String removePartialCopy() {
        if (this.epoch == 0 && !this.targetCreated) {
            // Failed in its checks before anything was made on the target.
            return null;
        }
        try (Connection connection = open(targetPrimary(), "target")) {
            ShardCopy.remove(connection, this.database, this.targetCreated, tableNames());
            return null;
        }
        catch (SQLException | RuntimeException ex) {
            logger.warn("Move {}: cannot remove the partial copy of shard {} on node '{}': {}. Drop database '{}' there before moving"
                    + " the shard to that node again.", this.id, this.shard, this.target, Failures.describe(ex), this.database);
            return "Its partial copy on node '" + this.target + "' could not be removed (" + Failures.describe(ex) + "): drop database '"
                    + this.database + "' there before moving the shard to that node again.";
        }
    }

    /**
     * Waits until the target is caught up: it applied everything the source had written when asked within
     * {@link MoveSettings#switchLag()}. That time is the catch-up lag the descriptor shows.
     */
    private void awaitCaughtUp() throws SQLException, InterruptedException {
        try (Connection connection = open(sourcePrimary(), "source")) {
            long deadline = System.nanoTime() + this.settings.catchUpTimeout().toNanos();
            while (true) {
                long askedAt = System.nanoTime();
                BinlogPosition now = ShardSnapshot.currentPosition(connection);
                awaitApplied(now);
                long lag = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedAt);
                this.catchUpLagMillis = lag;
                if (lag <= this.settings.switchLag().toMillis()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new MoveException("The target node '" + this.target + "' stayed " + lag + " ms behind the source for "
                            + this.settings.catchUpTimeout() + ": the shard takes more writes than the move can apply. Start the move"
                            + " again when the load is lower.");
                }
                abortPoint();
            }
        }
    }

    private ChangeStream startStream(Server sourcePrimary, BinlogPosition start) {
        String address = JdbcUrls.hostAndPort(sourcePrimary.url());
        int colon = address.lastIndexOf(':');
        String host = (colon < 0) ? address : address.substring(0, colon);
        int port = (colon < 0) ? 3306 : Integer.parseInt(address.substring(colon + 1));
        String username = sourcePrimary.username();
        String password = sourcePrimary.password();
        String[] userInfo = JdbcUrls.userInfo(sourcePrimary.url());
        if (username == null && userInfo != null) {
            username = userInfo[0];
            password = userInfo[1];
        }
        String rename = SourceRetirement.renameStatement(this.database, this.retiredDatabase, tableNames());
        return ChangeStream.start(ChangeStream.Settings.builder()
            .source(host, port)
            .credentials(username, (password != null) ? password : "")
            .serverId(65536 + ThreadLocalRandom.current().nextLong(Integer.MAX_VALUE - 65536L))
            .database(this.database, this.tables)
            .start(start)
            .target(this::openTargetWriter)
            .ignoredStatement(NoOpStatements.of(this.database, tableNames()).or((statement) -> statement.contains(rename)
                    || statement.contains("`" + MoveJournal.TABLE + "`") || statement.contains("`" + PlacementStore.TABLE + "`")))
            .build());
    }

    /** The stream's connection to the target: batches of its staged changes go as multi-row statements. */
    private Connection openTargetWriter() throws SQLException {
        Properties extra = new Properties();
        extra.setProperty("rewriteBatchedStatements", "true");
        try {
            return ServerConnections.open(targetPrimary(), this.database, extra, this.settings.catchUpTimeout());
        }
        catch (SQLException ex) {
            throw new MoveException("The target node '" + this.target + "' does not answer: its " + Failures.describe(targetPrimary())
                    + ": " + Failures.describe(ex) + ". Start it and start the move again.", ex);
        }
    }

    private void awaitApplied(BinlogPosition position) throws InterruptedException {
        try {
            this.stream.awaitApplied(position, this.settings.catchUpTimeout());
        }
        catch (TimeoutException ex) {
            throw new MoveException("The target node '" + this.target + "' did not apply the source's binary log up to " + position
                    + " within " + this.settings.catchUpTimeout() + " (" + ex.getMessage() + "). Start the move again when the load"
                    + " is lower, or raise ddm.moves.catch-up-timeout.", ex);
        }
    }

    private void awaitReplicas(Node node, String when) {
        if (node.replicas().isEmpty()) {
            return;
        }
        try (ReplicaCatchUp catchUp = new ReplicaCatchUp(node, this.settings.replicaTimeout())) {
            List<ReplicaCatchUp.Straggler> stragglers = catchUp.await();
            if (!stragglers.isEmpty()) {
                ReplicaCatchUp.Straggler first = stragglers.get(0);
                throw new MoveException("Replica " + Failures.describe(first.replica()) + " of " + when + " did not apply its primary's"
                        + " binary log within " + this.settings.replicaTimeout() + ": " + first.problem() + ". Fix its replication (or"
                        + " remove it from ddm.nodes." + node.name() + ".replicas) and start the move again.");
            }
        }
    }

    private List<String> tableNames() {
        return this.tables.stream().map(ShardTable::name).toList();
    }

    private void journal(MoveState journalState, String journalError) throws SQLException {
        MoveJournal.Entry entry = new MoveJournal.Entry(this.id, this.shard, this.source, this.target, journalState, this.epoch,
                this.retiredDatabase, this.targetCreated, journalError);
        try (Connection connection = open(sourcePrimary(), "source")) {
            MoveJournal.write(connection, this.database, entry);
        }
    }

    private Connection open(Server server, String side) {
        try {
            return ServerConnections.open(server, this.settings.catchUpTimeout());
        }
        catch (SQLException ex) {
            throw new MoveException("The " + side + " node '" + server.node() + "' does not answer: its " + Failures.describe(server)
                    + ": " + Failures.describe(ex) + ". Start it (or choose another target) and start the move again.", ex);
        }
    }

    private Connection open(Server server, String side, String catalog) throws SQLException {
        Connection connection = open(server, side);
        connection.setCatalog(catalog);
        return connection;
    }

    private Server sourcePrimary() {
        return this.dataSource.getTopology().node(this.source).primary();
    }

    private Server targetPrimary() {
        return this.dataSource.getTopology().node(this.target).primary();
    }

    private void closeStream() {
        ChangeStream current = this.stream;
        if (current != null) {
            current.close();
        }
    }

    private void abortPoint() {
        if (this.abortRequested) {
            throw new Aborted();
        }
        ChangeStream current = this.stream;
        if (current != null && current.failure().isPresent()) {
            Throwable failure = current.failure().get();
            throw new MoveException("The binary-log stream from the source failed: " + describe(failure), failure);
        }
    }

    /** Enters a phase; each phase logs one line of its own. */
    private void state(MoveState next) {
        this.state = next;
    }

    /**
     * A failure with the node at fault: a server's or driver's error alone ("Connection reset", "Broken pipe") does not
     * say which side failed, so both primaries are asked once more.
     */
    private String explain(Exception ex) {
        StringBuilder result = new StringBuilder("The move failed while " + lower(this.state) + ": " + describe(ex) + ".");
        boolean down = false;
        for (Server primary : List.of(sourcePrimary(), targetPrimary())) {
            String side = primary.node().equals(this.source) ? "source" : "target";
            try (Connection connection = ServerConnections.open(primary, this.settings.drainTimeout())) {
                connection.isValid(1);
            }
            catch (SQLException failure) {
                down = true;
                result.append(" The ").append(side).append(" node '").append(primary.node()).append("' does not answer: its ")
                    .append(Failures.describe(primary)).append(": ").append(Failures.describe(failure)).append('.');
            }
        }
        result.append(" The shard is served from node '").append(this.source).append("'; ")
            .append(down ? "start the node that does not answer, then start the move again." : "start the move again.");
        return result.toString();
    }

    private void end(MoveState endState, String endError) {
        if (this.lock != null) {
            this.lock.close();
        }
        this.error = endError;
        this.finishedAt = Instant.now();
        this.state = endState;
        this.finished.countDown();
        logger.info("Move {} of shard {} from node '{}' to '{}': {}{}", this.id, this.shard, this.source, this.target, endState,
                (endError != null) ? " (" + endError + ")" : "");
    }

    private static String describe(Throwable ex) {
        return (ex instanceof MoveException) ? ex.getMessage() : Failures.describe(ex);
    }

    private static String lower(MoveState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** What the cut-over asks of this move's other phases. */
    private final class Phases implements ShardCutover.Phases {

        @Override
        public void abortPoint() {
            ShardMove.this.abortPoint();
        }

        @Override
        public void awaitCaughtUp() throws SQLException, InterruptedException {
            ShardMove.this.awaitCaughtUp();
        }

        @Override
        public void awaitApplied(BinlogPosition position) throws InterruptedException {
            ShardMove.this.awaitApplied(position);
        }

        @Override
        public void awaitReplicas(Node node, String when) {
            ShardMove.this.awaitReplicas(node, when);
        }

        @Override
        public void journal(MoveState journalState, String journalError) throws SQLException {
            ShardMove.this.journal(journalState, journalError);
        }

        @Override
        public Connection openSource() {
            return open(sourcePrimary(), "source");
        }

        @Override
        public Connection openTarget() {
            return open(targetPrimary(), "target");
        }

    }

    /** Unwinds the move after an abort request. */
    private static final class Aborted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Aborted() {
            super(null, null, false, false);
        }

    }

}
