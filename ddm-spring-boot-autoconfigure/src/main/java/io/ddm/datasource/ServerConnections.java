package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import io.ddm.topology.JdbcUrls;
import io.ddm.topology.Server;

/**
 * Plain connections to a server itself (no shard database), outside the pools: for administration at startup
 * and for connections held for the application's lifetime.
 */
public final class ServerConnections {

    private ServerConnections() {
    }

    /**
     * Opens a connection to the server without a default database.
     * @param server the server
     * @return a new connection the caller closes
     * @throws SQLException when the server cannot be reached
     */
    public static Connection open(Server server) throws SQLException {
        Properties credentials = new Properties();
        if (server.username() != null) {
            credentials.setProperty("user", server.username());
        }
        if (server.password() != null) {
            credentials.setProperty("password", server.password());
        }
        return DriverManager.getConnection(JdbcUrls.forDatabase(server.url(), ""), credentials);
    }

}
