package io.ddm.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * What a shard move does to the pools of the moving shard on its source node, primary and replicas alike: first
 * {@link #pause() pause} them (a borrow waits; connections already lent stay lent, so the move can wait until they
 * are all returned), then either {@link #resume() resume} them (the switch was called off) or
 * {@link #redirect redirect} them to the pools on the target node: from then on every connection ShardingSphere asks
 * for under the shard's old data source names comes from the target node. The shard database has the same name there,
 * so the physical SQL is the same.
 *
 * <p>One instance serves all pools of the shard; a pool holds it in a volatile field, so a pool that no move touches
 * pays one volatile read per borrow.
 */
public final class ShardSwitch {

    private final int shard;

    private final String moveId;

    private final String target;

    private final Object monitor = new Object();

    private State state = State.PAUSED;

    private Redirect redirect;

    /**
     * Creates a switch, paused.
     * @param shard the moving shard
     * @param moveId the move's id, named in errors
     * @param target the target node, named in errors
     */
    public ShardSwitch(int shard, String moveId, String target) {
        this.shard = shard;
        this.moveId = moveId;
        this.target = target;
    }

    /**
     * Makes borrows wait.
     */
    public void pause() {
        synchronized (this.monitor) {
            if (this.state == State.REDIRECTED) {
                throw new IllegalStateException("Shard " + this.shard + " is already switched to " + this.target);
            }
            this.state = State.PAUSED;
        }
    }

    /**
     * Lets borrows go to their own pools again and wakes those waiting.
     */
    public void resume() {
        synchronized (this.monitor) {
            if (this.state == State.REDIRECTED) {
                throw new IllegalStateException("Shard " + this.shard + " is already switched to " + this.target);
            }
            this.state = State.RESUMED;
            this.monitor.notifyAll();
        }
    }

    /**
     * Sends every borrow, waiting or future, to the target node's pools.
     * @param redirect where a pool's borrows go now
     */
    public void redirect(Redirect redirect) {
        synchronized (this.monitor) {
            this.redirect = redirect;
            this.state = State.REDIRECTED;
            this.monitor.notifyAll();
        }
    }

    /**
     * Whether borrows now go to the target node.
     * @return whether redirected
     */
    public boolean isRedirected() {
        synchronized (this.monitor) {
            return this.state == State.REDIRECTED;
        }
    }

    /**
     * A borrow from one of the shard's source pools, as the switch's state decides.
     * @param pool the pool asked
     * @return a connection
     * @throws SQLException when the pause outlasts the pool's connection timeout, or the target fails
     */
    Connection getConnection(ServerDataSource pool) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pool.getConnectionTimeout());
        Redirect target;
        synchronized (this.monitor) {
            while (this.state == State.PAUSED) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new ShardUnavailableException(pool.getServer(), this.shard, pool.getDatabase(), "is paused by move "
                            + this.moveId + " switching the shard to node '" + this.target + "', which did not finish within "
                            + pool.getConnectionTimeout() + " ms; retry the statement", null);
                }
                try {
                    this.monitor.wait(left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new ShardUnavailableException(pool.getServer(), this.shard, pool.getDatabase(),
                            "was waited for while move " + this.moveId + " switched it, and the wait was interrupted", ex);
                }
            }
            target = (this.state == State.REDIRECTED) ? this.redirect : null;
        }
        return (target != null) ? target.getConnection(pool) : pool.borrow();
    }

    @Override
    public String toString() {
        synchronized (this.monitor) {
            return "shard " + this.shard + " " + this.state.name().toLowerCase(java.util.Locale.ROOT) + " by move " + this.moveId;
        }
    }

    private enum State {

        PAUSED, RESUMED, REDIRECTED

    }

    /**
     * Where the borrows of a redirected source pool go.
     */
    @FunctionalInterface
    public interface Redirect {

        /**
         * A connection to the shard on the target node in place of one from a source pool.
         * @param sourcePool the source pool asked (its role says whether the target's primary or a replica serves)
         * @return a connection the caller closes
         * @throws SQLException when the target gives none
         */
        Connection getConnection(ServerDataSource sourcePool) throws SQLException;

    }

}
