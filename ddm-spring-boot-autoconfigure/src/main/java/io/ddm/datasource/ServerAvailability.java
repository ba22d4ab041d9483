package io.ddm.datasource;

import java.time.Instant;
import java.util.Optional;

import io.ddm.topology.Server;

/**
 * Whether a server is known to be down. While a primary is down, its shard pools ({@link ServerDataSource}) fail
 * every request for a connection at once with a {@link ShardUnavailableException} instead of waiting for the
 * pool's connection timeout. Set by the primary checks ({@code io.ddm.routing.health.PrimaryHealthMonitor});
 * thread-safe.
 */
public final class ServerAvailability {

    private final Server server;

    private volatile Outage outage;

    private volatile long outages;

    ServerAvailability(Server server) {
        this.server = server;
    }

    /**
     * The server this availability is about.
     * @return the server
     */
    public Server server() {
        return this.server;
    }

    /**
     * Whether the server is taken to be reachable.
     * @return {@code false} while an outage is recorded
     */
    public boolean isAvailable() {
        return this.outage == null;
    }

    /**
     * The current outage.
     * @return the outage, empty while the server is available
     */
    public Optional<Outage> outage() {
        return Optional.ofNullable(this.outage);
    }

    /**
     * Records that the server is down.
     * @param reason why, e.g. the root cause of the failed check
     * @return whether this changed the state (the server was available)
     */
    public synchronized boolean markDown(String reason) {
        if (this.outage != null) {
            return false;
        }
        this.outage = new Outage(reason, Instant.now());
        this.outages++;
        return true;
    }

    /**
     * How often an outage was recorded.
     * @return outages since the pools opened
     */
    public long outages() {
        return this.outages;
    }

    /**
     * Records that the server answers again.
     * @return the outage that ended, empty if there was none
     */
    public synchronized Optional<Outage> markUp() {
        Outage ended = this.outage;
        this.outage = null;
        return Optional.ofNullable(ended);
    }

    Outage currentOutage() {
        return this.outage;
    }

    /**
     * A recorded outage.
     * @param reason why the server is taken to be down
     * @param since when it was first seen down
     */
    public record Outage(String reason, Instant since) {
    }

}
