package io.ddm.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ddm.test.servers.DatabaseServer;

/**
 * The connections of the {@value ShardDatabases#SHARDS} shard databases of one server in one {@link Layout}, and the
 * operation that is measured: a point select by primary key on one shard.
 *
 * <p>Every pool has {@value #POOL_SIZE} connections, opened up front, so no variant ever waits for a connection or
 * opens one while it is measured: the benchmark compares the cost per query, not pool capacity.
 */
public final class ShardPools implements AutoCloseable {

    /** Connections of every pool: as many as benchmark threads at most. */
    public static final int POOL_SIZE = 4;

    private final List<HikariDataSource> pools;

    private final ShardConnections connections;

    private ShardPools(List<HikariDataSource> pools, ShardConnections connections) {
        this.pools = pools;
        this.connections = connections;
    }

    /**
     * Opens the pools of a layout.
     * @param layout the layout
     * @param server the server holding {@link ShardDatabases#NAMES}
     * @return the open pools
     */
    public static ShardPools open(Layout layout, DatabaseServer server) {
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            switch (layout) {
                case PER_SHARD_POOLS -> {
                    for (String database : ShardDatabases.NAMES) {
                        pools.add(pool("bench-" + database, server.jdbcUrl(database), server));
                    }
                    HikariDataSource[] byShard = pools.toArray(new HikariDataSource[0]);
                    return new ShardPools(pools, (shard) -> byShard[shard].getConnection());
                }
                case SHARED_POOL, SHARED_POOL_LOCAL_STATE -> {
                    String url = server.jdbcUrl() + ((layout == Layout.SHARED_POOL_LOCAL_STATE) ? "?useLocalSessionState=true" : "");
                    HikariDataSource shared = pool("bench-shared", url, server);
                    pools.add(shared);
                    String[] databases = ShardDatabases.NAMES.toArray(new String[0]);
                    return new ShardPools(pools, (shard) -> switchTo(shared.getConnection(), databases[shard]));
                }
                default -> throw new IllegalArgumentException("Unknown layout " + layout);
            }
        }
        catch (RuntimeException ex) {
            pools.forEach(HikariDataSource::close);
            throw ex;
        }
    }

    private static HikariDataSource pool(String name, String jdbcUrl, DatabaseServer server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDriverClassName("com.mysql.cj.jdbc.Driver");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        return new HikariDataSource(config);
    }

    private static Connection switchTo(Connection connection, String database) throws SQLException {
        try {
            connection.setCatalog(database);
            return connection;
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    /**
     * The measured operation: borrow a connection of the shard, prepare, execute, read the row, close everything.
     * @param shard the shard, 0 to {@value ShardDatabases#SHARDS} - 1
     * @param id the primary key, 1 to {@value ShardDatabases#ROWS}
     * @return the row's name, {@link ShardDatabases#rowName(String, long)}
     * @throws SQLException on a database error
     */
    public String pointSelect(int shard, long id) throws SQLException {
        try (Connection connection = this.connections.open(shard);
                PreparedStatement statement = connection.prepareStatement(ShardDatabases.POINT_SELECT)) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("No row " + id + " on shard " + shard);
                }
                return rs.getString(1);
            }
        }
    }

    @Override
    public void close() {
        this.pools.forEach(HikariDataSource::close);
    }

    /** A connection to one shard's database. */
    @FunctionalInterface
    private interface ShardConnections {

        Connection open(int shard) throws SQLException;

    }
}
