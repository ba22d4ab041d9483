package io.ddm.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
     * for each answer, so that a hung server cannot block the caller for longer.
     * @param server the server
     * @param timeout longest wait to connect and for each answer
     * @return a new connection the caller closes
     * @throws SQLException when the server cannot be reached in time
     */
    public static Connection open(Server server, Duration timeout) throws SQLException {
        return open(JdbcUrls.forDatabase(server.url(), ""), credentials(server), timeout);
    }

    /**
     * Opens a connection to one database of the server with extra driver properties, e.g. for a bulk writer.
     * @param server the server
     * @param database the database
     * @param extra driver properties added to the credentials
     * @param timeout longest wait to connect and for each answer
     * @return a new connection the caller closes
     * @throws SQLException when the server cannot be reached in time
     */
    public static Connection open(Server server, String database, Properties extra, Duration timeout) throws SQLException {
        Properties properties = credentials(server);
        properties.putAll(extra);
        return open(JdbcUrls.forDatabase(server.url(), database), properties, timeout);
    }

    /**
     * Opens a connection that waits at most the timeout to connect and for each answer: Connector/J's (and MariaDB
     * Connector/J's) {@code connectTimeout} and {@code socketTimeout} properties, which override the URL's, and the
     * connection's network timeout. Other drivers (H2 in memory) get the properties as given.
     * @param url the JDBC URL
     * @param properties driver properties (credentials included); not changed
     * @param timeout longest wait to connect and for each answer
     * @return a new connection the caller closes
     * @throws SQLException when the server cannot be reached in time
     */
    public static Connection open(String url, Properties properties, Duration timeout) throws SQLException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Properties bounded = new Properties();
        bounded.putAll(properties);
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            bounded.setProperty("connectTimeout", Integer.toString(millis));
            bounded.setProperty("socketTimeout", Integer.toString(millis));
        }
        Connection connection = DriverManager.getConnection(url, bounded);
        try {
            connection.setNetworkTimeout(Runnable::run, millis);
        }
        catch (SQLFeatureNotSupportedException ex) {
            // e.g. H2 in memory: nothing on the network to bound
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        return connection;
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
