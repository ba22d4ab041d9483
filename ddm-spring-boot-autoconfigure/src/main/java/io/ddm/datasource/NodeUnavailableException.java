package io.ddm.datasource;

import io.ddm.topology.Server;

/**
 * A server of the topology could not be reached, or lacks a shard database, when DDM started. DDM never
 * starts with part of its topology missing.
 */
public class NodeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String node;

    private final String server;

    private final String database;

    private final boolean missingDatabase;

    NodeUnavailableException(Server server, String database, boolean missingDatabase, Throwable cause) {
        super(message(server, database, missingDatabase, cause), cause);
        this.node = server.node();
        this.server = server.name();
        this.database = database;
        this.missingDatabase = missingDatabase;
    }

    private static String message(Server server, String database, boolean missingDatabase, Throwable cause) {
        String where = Failures.describe(server);
        if (missingDatabase) {
            return "Shard database '" + database + "' does not exist on " + where;
        }
        return "Cannot connect to " + where + " for shard database '" + database + "': " + Failures.rootCause(cause).getMessage();
    }

    public String getNode() {
        return this.node;
    }

    public String getServer() {
        return this.server;
    }

    public String getDatabase() {
        return this.database;
    }

    public boolean isMissingDatabase() {
        return this.missingDatabase;
    }

}
