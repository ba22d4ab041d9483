package io.ddm.move;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The named lock ({@code GET_LOCK}) on the source's primary that the instance moving a shard holds for the whole move,
 * on a connection of its own: no second move of the same shard starts while one runs, in this or any other instance,
 * and the move's journal entry on the source is resolved at a start (or before the next move) only once the lock is
 * free, that is once the instance that ran the move is gone (the server releases the lock when its connection
 * ends).
 */
final class MoveLock implements AutoCloseable {

    private static final int MAX_LENGTH = 64;

    private final Connection connection;

    private MoveLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the lock of a shard database if it is free, without waiting.
     * @param connection a connection to the source's primary that the lock keeps (closed with it); closed when the lock
     * is not free
     * @param database the shard database
     * @return the lock, {@code null} when another session holds it
     * @throws SQLException when the server cannot answer
     */
    static MoveLock tryAcquire(Connection connection, String database) throws SQLException {
        String name = name(database);
        try (PreparedStatement statement = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next() && rows.getInt(1) == 1) {
                    return new MoveLock(connection);
                }
            }
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        connection.close();
        return null;
    }

    /**
     * The lock's name: {@code ddm.move.<database>}, shortened with a hash where the server's 64 characters do not suffice.
     * @param database the shard database
     * @return the name
     */
    static String name(String database) {
        String name = "ddm.move." + database;
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
            String suffix = "." + HexFormat.of().formatHex(hash, 0, 4);
            return name.substring(0, MAX_LENGTH - suffix.length()) + suffix;
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Releases the lock: its connection ends. */
    @Override
    public void close() {
        try {
            this.connection.close();
        }
        catch (SQLException ex) {
            // The server releases the lock with the session either way.
        }
    }

}
