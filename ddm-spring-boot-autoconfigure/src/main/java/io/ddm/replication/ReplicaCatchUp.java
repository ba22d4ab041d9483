package io.ddm.replication;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.ddm.datasource.Failures;
import io.ddm.topology.Node;
import io.ddm.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, after a write on a node's primary, until each of the node's replicas has applied everything the primary
 * had written by then: reads the primary's current binary log position and waits on each replica for it
 * ({@link ServerSession} says how on MariaDB and MySQL). Bounded by a timeout; a replica that does not catch up in
 * time, or cannot be reached, is reported and not waited for again until one more timeout has passed, so a series
 * of writes is not slowed down once per write by a replica that is known to be behind.
 *
 * <p>Thread-safe. Waits of several threads for one node are served one after the other, on one connection per
 * server of its own (outside the pools, kept open): a thread whose write ended before the primary's position was
 * last read for a wait that every replica passed returns at once.
 */
public final class ReplicaCatchUp implements AutoCloseable {

    /** Time allowed beyond a server-side wait for its answer to arrive, before the server counts as hung. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(1);

    private static final Logger logger = LoggerFactory.getLogger(ReplicaCatchUp.class);

    private final Node node;

    private final Duration timeout;

    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private final ServerSession primary;

    // Guarded by lock.
    private final Map<String, ServerSession> replicas = new LinkedHashMap<>();

    // Guarded by lock: replica name to the System.nanoTime() until which it is not waited for.
    private final Map<String, Long> skippedUntil = new HashMap<>();

    // Guarded by lock: System.nanoTime() at which the primary's position was read for the last wait every replica passed.
    private long caughtUpFrom;

    private boolean caughtUpOnce;

    private volatile boolean closed;

    /**
     * Creates the waits for one node. Opens nothing yet.
     * @param node the node: its primary and replicas
     * @param timeout the longest wait
     */
    public ReplicaCatchUp(Node node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
        this.primary = new ServerSession(node.primary());
        node.replicas().forEach((replica) -> this.replicas.put(replica.name(), new ServerSession(replica)));
    }

    /**
     * The node whose replicas are waited for.
     * @return the node
     */
    public Node node() {
        return this.node;
    }

    /**
     * The longest wait.
     * @return the timeout
     */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * Waits until every replica of the node has applied what the primary had written when this method was called,
     * at most the timeout (with a server that hangs, or behind another thread's wait, a second or two more).
     * @return the replicas that did not catch up in time, with why; empty when all did
     */
    public List<Straggler> await() {
        long requested = System.nanoTime();
        long deadline = requested + this.timeout.toNanos();
        try {
            // A wait running now ends by its own deadline plus the grace for a hung server's answer, about ours; then
            // this one either returns at once or skips the replicas that one found behind.
            if (!this.lock.tryLock(remaining(deadline).plus(ANSWER_GRACE.multipliedBy(2)).toNanos(), TimeUnit.NANOSECONDS)) {
                return everyReplica("was not waited for: another wait for the replicas of node '" + this.node.name()
                        + "' has not ended within " + this.timeout.toMillis() + " ms");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return everyReplica("was not waited for: the waiting thread was interrupted");
        }
        try {
            if (this.closed || (this.caughtUpOnce && this.caughtUpFrom - requested > 0)) {
                return List.of();
            }
            return awaitReplicas(deadline);
        }
        finally {
            if (this.closed) {
                closeSessions();
            }
            this.lock.unlock();
        }
    }

    private List<Straggler> awaitReplicas(long deadline) {
        long positionReadAt = System.nanoTime();
        List<ServerSession> awaited = new ArrayList<>();
        for (ServerSession replica : this.replicas.values()) {
            Long skipped = this.skippedUntil.get(replica.server().name());
            if (skipped != null && skipped - positionReadAt > 0) {
                logger.debug("Not waiting for replica {} of node {}: it did not catch up within the last {} ms",
                        replica.server().name(), this.node.name(), this.timeout.toMillis());
            }
            else {
                this.skippedUntil.remove(replica.server().name());
                awaited.add(replica);
            }
        }
        if (awaited.isEmpty()) {
            return List.of();
        }
        ServerSession.Position position;
        try {
            position = this.primary.position(remaining(deadline).plus(ANSWER_GRACE));
        }
        catch (SQLException ex) {
            List<Straggler> result = new ArrayList<>();
            for (ServerSession replica : awaited) {
                result.add(straggler(replica, "was not waited for: the binary log position of its primary '"
                        + this.node.primary().name() + "' cannot be read (" + Failures.describe(ex) + ")"));
            }
            return result;
        }
        if (position == null) {
            // The primary writes no binary log: nothing can replicate from it, there is nothing to wait for.
            return List.of();
        }
        List<Straggler> result = new ArrayList<>();
        for (ServerSession replica : awaited) {
            Duration wait = remaining(deadline);
            String problem;
            try {
                problem = replica.await(position, wait, wait.plus(ANSWER_GRACE));
            }
            catch (SQLException ex) {
                problem = "cannot be asked how far it has applied its primary's binary log (" + Failures.describe(ex) + ")";
            }
            if (problem != null) {
                result.add(straggler(replica, problem));
            }
        }
        if (result.isEmpty()) {
            this.caughtUpFrom = positionReadAt;
            this.caughtUpOnce = true;
            if (logger.isDebugEnabled()) {
                logger.debug("Replicas of node {} applied {} in {} ms", this.node.name(), position,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - positionReadAt));
            }
        }
        return result;
    }

    private Straggler straggler(ServerSession replica, String problem) {
        this.skippedUntil.put(replica.server().name(), System.nanoTime() + this.timeout.toNanos());
        return new Straggler(replica.server(), problem);
    }

    private List<Straggler> everyReplica(String problem) {
        return this.node.replicas().stream().map((replica) -> new Straggler(replica, problem)).toList();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Closes the connections; a wait running now closes them when it ends. Waits after this return at once.
     */
    @Override
    public void close() {
        this.closed = true;
        if (this.lock.tryLock()) {
            try {
                closeSessions();
            }
            finally {
                this.lock.unlock();
            }
        }
    }

    private void closeSessions() {
        this.primary.close();
        this.replicas.values().forEach(ServerSession::close);
    }

    /**
     * A replica that had not caught up when the wait ended.
     * @param replica the replica
     * @param problem what happened, a phrase that follows the replica's name ("had not applied ... after 10000 ms")
     */
    public record Straggler(Server replica, String problem) {
    }

}
