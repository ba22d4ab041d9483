package io.ddm.move;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.ddm.datasource.DdmDataSource;
import io.ddm.topology.Topology;

/**
 * Moves whole shards of a DDM data source to other nodes, online: what {@code /actuator/ddm/moves} calls, and what an
 * application can call itself (its own admin screen, a scheduled job). One move runs at a time per data source.
 */
public class ShardMoves implements AutoCloseable {

    private final DdmDataSource dataSource;

    private final MoveSettings settings;

    private final Map<String, ShardMove> moves = new LinkedHashMap<>();

    /**
     * Creates the moves of a data source.
     * @param dataSource the DDM data source
     * @param settings how moves run
     */
    public ShardMoves(DdmDataSource dataSource, MoveSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        dataSource.setStatementGate(new DdlDuringMoveGate(this, dataSource.getTopology().schema()));
        dataSource.setFailureTranslation(new MovedShardFailures(dataSource, settings.drainTimeout()));
    }

    /**
     * Starts moving a shard to a node. Returns at once; the move runs in its own thread.
     * @param shard the shard index
     * @param target the target node's name
     * @return the move
     * @throws IllegalArgumentException for an unknown shard or node, or a shard already on that node
     * @throws IllegalStateException while another move runs
     */
    public synchronized ShardMove start(int shard, String target) {
        Topology topology = this.dataSource.getTopology();
        if (shard < 0 || shard >= topology.shards()) {
            throw new IllegalArgumentException("Shard " + shard + " does not exist: '" + topology.schema() + "' has shards 0 to "
                    + (topology.shards() - 1) + ".");
        }
        if (target == null || topology.nodes().stream().noneMatch((node) -> node.name().equals(target))) {
            throw new IllegalArgumentException("Node '" + target + "' is not declared; the target must be one of "
                    + topology.nodes().stream().map((node) -> node.name()).toList() + " (declare a new node under ddm.nodes first).");
        }
        String current = this.dataSource.getPlacement().current().nodeOf(shard);
        if (current.equals(target)) {
            throw new IllegalArgumentException("Shard " + shard + " is already on node '" + target + "'.");
        }
        for (ShardMove each : this.moves.values()) {
            if (!each.descriptor().state().isFinal()) {
                throw new IllegalStateException("Move " + each.id() + " of shard " + each.shard() + " is still running; one move runs"
                        + " at a time. Wait for it to end, or abort it.");
            }
        }
        String id = "m" + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
        ShardMove move = new ShardMove(id, shard, target, this.dataSource, this.settings);
        this.moves.put(id, move);
        Thread thread = new Thread(move::run, "ddm-move-" + id);
        thread.setDaemon(true);
        thread.start();
        return move;
    }

    /**
     * The moves this instance knows, running and finished, oldest first.
     * @return the moves
     */
    public synchronized List<ShardMove> list() {
        return new ArrayList<>(this.moves.values());
    }

    /**
     * The move that runs now.
     * @return the move that has not ended, empty when none runs
     */
    public synchronized Optional<ShardMove> running() {
        return this.moves.values().stream().filter((move) -> !move.descriptor().state().isFinal()).findFirst();
    }

    /**
     * One move.
     * @param id its id
     * @return the move, empty for an unknown id
     */
    public synchronized Optional<ShardMove> find(String id) {
        return Optional.ofNullable(this.moves.get(id));
    }

    /**
     * Aborts the running moves and waits briefly for them to undo what they did.
     */
    @Override
    public void close() {
        Collection<ShardMove> running;
        synchronized (this) {
            running = this.moves.values().stream().filter((move) -> !move.descriptor().state().isFinal()).toList();
        }
        for (ShardMove move : running) {
            try {
                move.abort();
                move.await(this.settings.drainTimeout().multipliedBy(5));
            }
            catch (IllegalStateException ex) {
                // Switched or ended meanwhile: nothing to undo.
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
