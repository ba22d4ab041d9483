package io.ddm.benchmarks.reliability;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.PhysicalPool;

/**
 * What the suite reads of DDM's own view of its servers, in one place: whether a primary's outage is recorded,
 * whether a replica is in the read rotation, and how busy a shard pool is. Only public calls of
 * {@link DdmDataSource}, so that a change of DDM's monitors touches this class alone.
 */
final class DdmView {

    private final DdmDataSource dataSource;

    DdmView(DdmDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Whether DDM takes a node's primary to be up.
     * @param node the node (its primary has the same name)
     * @return {@code false} while DDM records an outage; {@code true} without primary checks
     */
    boolean primaryAvailable(String node) {
        return this.dataSource.getPrimaryMonitor().map((monitor) -> monitor.isAvailable(node)).orElse(true);
    }

    /**
     * Whether DDM routes reads to a replica.
     * @param replica the replica's name
     * @return {@code false} while it is excluded; {@code true} without replica checks
     */
    boolean replicaInRotation(String replica) {
        return this.dataSource.getReplicaMonitor().map((monitor) -> monitor.isInRotation(replica)).orElse(true);
    }

    /**
     * Whether DDM checks primaries and replicas at all (both are on by default).
     * @return {@code true} when both monitors run
     */
    boolean monitorsRunning() {
        return this.dataSource.getPrimaryMonitor().isPresent() && this.dataSource.getReplicaMonitor().isPresent();
    }

    /**
     * Threads waiting for a connection of one shard database's pool on one server.
     * @param server the server's name
     * @param shard the shard index
     * @return HikariCP's count of waiting threads, 0 before the pool started
     */
    int threadsAwaiting(String server, int shard) {
        HikariPoolMXBean pool = pool(server, shard).dataSource().getHikariPoolMXBean();
        return (pool != null) ? pool.getThreadsAwaitingConnection() : 0;
    }

    /**
     * The size of one shard database's pool on one server.
     * @param server the server's name
     * @param shard the shard index
     * @return its {@code maximum-pool-size}, after DDM divided the server's budget
     */
    int poolSize(String server, int shard) {
        return pool(server, shard).dataSource().getMaximumPoolSize();
    }

    /**
     * The HikariCP connection timeout of DDM's pools.
     * @return milliseconds
     */
    long connectionTimeoutMillis() {
        return this.dataSource.getPhysicalDataSources().pools().get(0).dataSource().getConnectionTimeout();
    }

    private PhysicalPool pool(String server, int shard) {
        return this.dataSource.getPhysicalDataSources().poolsOf(server).stream().filter((pool) -> pool.shard() == shard).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No pool of shard " + shard + " on " + server));
    }

}
