package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
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
        return DriverManager.getConnection(JdbcUrls.forDatabase(server.url(), ""), credentials(server));
    }

    /**
     * Opens a connection to the server without a default database that waits at most the timeout to connect and
     * for each answer, so that a hung server cannot block the caller for longer: {@code connectTimeout} and
     * {@code socketTimeout} connection properties, which override the URL's in Connector/J.
     * @param server the server
     * @param timeout longest wait to connect and for each answer
     * @return a new connection the caller closes
     * @throws SQLException when the server cannot be reached in time
     */
    public static Connection open(Server server, Duration timeout) throws SQLException {
        Properties properties = credentials(server);
        String millis = String.valueOf(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        properties.setProperty("connectTimeout", millis);
        properties.setProperty("socketTimeout", millis);
        return DriverManager.getConnection(JdbcUrls.forDatabase(server.url(), ""), properties);
    }

    private static Properties credentials(Server server) {
        Properties credentials = new Properties();
        if (server.username() != null) {
            credentials.setProperty("user", server.username());
        }
        if (server.password() != null) {
            credentials.setProperty("password", server.password());
        }
        return credentials;
    }

}
