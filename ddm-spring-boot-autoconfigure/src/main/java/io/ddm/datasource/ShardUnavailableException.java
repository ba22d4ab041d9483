package io.ddm.datasource;

import java.sql.SQLTransientConnectionException;

import io.ddm.topology.Server;

/**
 * A statement needs a shard database on a server that is down or gives no connection in time. Thrown instead of
 * waiting: it names the node, server, shard and why, so that an application log says which part of the logical
 * database is missing. Statements for shards of other nodes are not affected. SQLState {@code 08001}; Spring
 * translates it to a {@code TransientDataAccessResourceException}.
 */
public class ShardUnavailableException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    private static final String SQL_STATE = "08001";

    private final String node;

    private final String server;

    private final int shard;

    private final String database;

    ShardUnavailableException(Server server, int shard, String database, String problem, Throwable cause) {
        super("Shard " + shard + " (database '" + database + "') is unavailable: its " + Failures.describe(server) + " " + problem
                + ". Statements for the shards of other nodes are not affected.", SQL_STATE, cause);
        this.node = server.node();
        this.server = server.name();
        this.shard = shard;
        this.database = database;
    }

    /**
     * The node holding the shard.
     * @return node name
     */
    public String getNode() {
        return this.node;
    }

    /**
     * The server that did not answer.
     * @return server name
     */
    public String getServer() {
        return this.server;
    }

    /**
     * The shard index.
     * @return shard index
     */
    public int getShard() {
        return this.shard;
    }

    /**
     * The shard database.
     * @return database name
     */
    public String getDatabase() {
        return this.database;
    }

}
