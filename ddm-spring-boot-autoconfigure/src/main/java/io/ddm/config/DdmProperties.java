package io.ddm.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import io.ddm.algorithm.DateFunction;
import io.ddm.algorithm.ShardingFunction;
import io.ddm.topology.LoadBalancer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of DDM's logical database: the nodes (MySQL servers), how many shard databases it is split
 * into and where they are placed, and how each logical table is sharded.
 *
 * <p>Every rule is checked by {@link TopologyFactory} (and the validators it uses) when the data source is created, failing
 * with the property path as written and the fix. The class carries no Bean Validation constraints: they would only
 * repeat those checks, and validating it while binding starts a Bean Validation provider (Hibernate Validator:
 * 170-190 ms of startup) that nothing else before the first statement needs.
 */
@ConfigurationProperties(prefix = "ddm")
public class DdmProperties {

    /** Identifier rule for logical schema, node, replica and table names: they become parts of physical names. */
    static final String IDENTIFIER = "[A-Za-z][A-Za-z0-9_]*";

    /**
     * Whether DDM provides the application's DataSource.
     */
    private boolean enabled = true;

    /**
     * Logical database name; shard databases are named after it ({schema}_{index}).
     */
    private String schema = "ddm";

    /**
     * Number of shard databases, fixed at creation. Defaults to the number of nodes.
     */
    private Integer shards;

    /**
     * Whether missing shard databases are created at startup (CREATE DATABASE IF NOT EXISTS).
     */
    private boolean createShardDatabases = false;

    /**
     * Physical MySQL primaries by node name; each may have read replicas.
     */
    private Map<String, Node> nodes = new LinkedHashMap<>();

    /**
     * Explicit shard placement: node name to the shard indexes it hosts; a node left out hosts none (a spare node, a
     * move target). Defaults to an even, contiguous split over the nodes ordered by name, numbers compared as numbers
     * (ds2 before ds10).
     */
    private Map<String, List<Integer>> placement = new LinkedHashMap<>();

    /**
     * Read/write splitting between each node's primary and its replicas.
     */
    private ReadWriteSplitting readWriteSplitting = new ReadWriteSplitting();

    /**
     * Sharded logical tables by name.
     */
    private Map<String, Table> tables = new LinkedHashMap<>();

    /**
     * Tables copied in full to every shard; writes go to all copies, reads to one.
     */
    private List<String> broadcastTables = new ArrayList<>();

    /**
     * Shard index where unsharded (single) tables live.
     */
    private int defaultShard = 0;

    /**
     * Key generation settings shared by all tables.
     */
    private KeyGeneration keyGenerator = new KeyGeneration();

    /**
     * Checks of every node's primary: while one is down, statements for its shards fail at once.
     */
    private PrimaryHealth primaryHealth = new PrimaryHealth();

    /**
     * Actuator health checks and endpoint probes of the servers.
     */
    private Health health = new Health();

    /**
     * Online shard moves to other nodes.
     */
    private Moves moves = new Moves();

    /**
     * The console page, an actuator web endpoint ({@code /actuator/ddmconsole}) that shows what {@code /actuator/ddm} and
     * its health report.
     */
    private Console console = new Console();

    /**
     * The fast path: prepared statements whose route their parameters decide run on the owning shard's connection
     * without ShardingSphere's parse, route, rewrite and merge.
     */
    private FastPath fastPath = new FastPath();

    /**
     * ShardingSphere properties passed through unchanged (e.g. sql-show).
     */
    private Map<String, String> props = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getSchema() {
        return this.schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public Integer getShards() {
        return this.shards;
    }

    public void setShards(Integer shards) {
        this.shards = shards;
    }

    public boolean isCreateShardDatabases() {
        return this.createShardDatabases;
    }

    public void setCreateShardDatabases(boolean createShardDatabases) {
        this.createShardDatabases = createShardDatabases;
    }

    public Map<String, Node> getNodes() {
        return this.nodes;
    }

    public void setNodes(Map<String, Node> nodes) {
        this.nodes = nodes;
    }

    public Map<String, List<Integer>> getPlacement() {
        return this.placement;
    }

    public void setPlacement(Map<String, List<Integer>> placement) {
        this.placement = placement;
    }

    public ReadWriteSplitting getReadWriteSplitting() {
        return this.readWriteSplitting;
    }

    public void setReadWriteSplitting(ReadWriteSplitting readWriteSplitting) {
        this.readWriteSplitting = readWriteSplitting;
    }

    public Map<String, Table> getTables() {
        return this.tables;
    }

    public void setTables(Map<String, Table> tables) {
        this.tables = tables;
    }

    public List<String> getBroadcastTables() {
        return this.broadcastTables;
    }

    public void setBroadcastTables(List<String> broadcastTables) {
        this.broadcastTables = broadcastTables;
    }

    public int getDefaultShard() {
        return this.defaultShard;
    }

    public void setDefaultShard(int defaultShard) {
        this.defaultShard = defaultShard;
    }

    public KeyGeneration getKeyGenerator() {
        return this.keyGenerator;
    }

    public void setKeyGenerator(KeyGeneration keyGenerator) {
        this.keyGenerator = keyGenerator;
    }

    public PrimaryHealth getPrimaryHealth() {
        return this.primaryHealth;
    }

    public void setPrimaryHealth(PrimaryHealth primaryHealth) {
        this.primaryHealth = primaryHealth;
    }

    public Health getHealth() {
        return this.health;
    }

    public void setHealth(Health health) {
        this.health = health;
    }

    public Moves getMoves() {
        return this.moves;
    }

    public void setMoves(Moves moves) {
        this.moves = moves;
    }

    public Console getConsole() {
        return this.console;
    }

    public void setConsole(Console console) {
        this.console = console;
    }

    public FastPath getFastPath() {
        return this.fastPath;
    }

    public void setFastPath(FastPath fastPath) {
        this.fastPath = fastPath;
    }

    public Map<String, String> getProps() {
        return this.props;
    }

    public void setProps(Map<String, String> props) {
        this.props = props;
    }

    /**
     * Connection settings shared by primaries and replicas.
     */
    public abstract static class Server {

        /**
         * JDBC URL of the server without a database (jdbc:mysql://host:port/); DDM adds each shard database.
         * A URL containing {database} has it replaced instead.
         */
        private String url;

        /**
         * Login username of the server.
         */
        private String username;

        /**
         * Login password of the server.
         */
        private String password;

        /**
         * HikariCP settings in relaxed form: maximum-pool-size, minimum-idle, connection-timeout, idle-timeout,
         * max-lifetime, keepalive-time, validation-timeout, leak-detection-threshold, initialization-fail-timeout,
         * connection-test-query, connection-init-sql, transaction-isolation, data-source-properties.*, ...; durations
         * in milliseconds. For a node, the pool size is the node's budget, divided among the shards placed on it.
         */
        private Map<String, String> pool = new LinkedHashMap<>();

        public String getUrl() {
            return this.url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Map<String, String> getPool() {
            return this.pool;
        }

        public void setPool(Map<String, String> pool) {
            this.pool = pool;
        }

    }

    /**
     * A physical MySQL primary.
     */
    public static class Node extends Server {

        /**
         * Read replicas of this primary by replica name.
         */
        private Map<String, Replica> replicas = new LinkedHashMap<>();

        public Map<String, Replica> getReplicas() {
            return this.replicas;
        }

        public void setReplicas(Map<String, Replica> replicas) {
            this.replicas = replicas;
        }

    }

    /**
     * A read replica. Username, password and pool settings default to its node's.
     */
    public static class Replica extends Server {

        /**
         * Relative share of reads for the weight load balancer.
         */
        private int weight = 1;

        public int getWeight() {
            return this.weight;
        }

        public void setWeight(int weight) {
            this.weight = weight;
        }

    }

    /**
     * How reads are spread over replicas.
     */
    public static class ReadWriteSplitting {

        /**
         * How reads outside a transaction choose among a node's replicas.
         */
        private LoadBalancer loadBalancer = LoadBalancer.ROUND_ROBIN;

        /**
         * Replication lag beyond which a replica is taken out of the read rotation until it catches up, at least
         * 1s (servers report whole seconds); a replica whose SQL thread is stopped counts as infinitely late. Read by
         * the replica checks. Unset: lag is not checked.
         */
        private Duration maxReplicaLag;

        /**
         * Time after a write during which reads outside a transaction on the same thread go to the primary, so
         * that they see that write. Unset: reads go to the replicas right after a write.
         */
        private Duration readYourWritesWindow;

        /**
         * Longest wait, after a DDL statement, for the replicas of the nodes it changed to apply it; a replica that
         * does not catch up in time is logged as a warning and the statement returns.
         */
        private Duration replicationWaitTimeout = Duration.ofSeconds(10);

        /**
         * Checks that take failing or lagging replicas out of the read rotation.
         */
        private ReplicaHealth health = new ReplicaHealth();

        public LoadBalancer getLoadBalancer() {
            return this.loadBalancer;
        }

        public void setLoadBalancer(LoadBalancer loadBalancer) {
            this.loadBalancer = loadBalancer;
        }

        public Duration getMaxReplicaLag() {
            return this.maxReplicaLag;
        }

        public void setMaxReplicaLag(Duration maxReplicaLag) {
            this.maxReplicaLag = maxReplicaLag;
        }

        public Duration getReadYourWritesWindow() {
            return this.readYourWritesWindow;
        }

        public void setReadYourWritesWindow(Duration readYourWritesWindow) {
            this.readYourWritesWindow = readYourWritesWindow;
        }

        public Duration getReplicationWaitTimeout() {
            return this.replicationWaitTimeout;
        }

        public void setReplicationWaitTimeout(Duration replicationWaitTimeout) {
            this.replicationWaitTimeout = replicationWaitTimeout;
        }

        public ReplicaHealth getHealth() {
            return this.health;
        }

        public void setHealth(ReplicaHealth health) {
            this.health = health;
        }

    }

    /**
     * Periodic checks of servers: each one is a round trip on the server's own check connection, outside the shard
     * pools (a busy pool is never a failed check), bounded by a timeout.
     */
    public abstract static class ServerChecks {

        /**
         * Whether these servers are checked: a primary found down fails its shards at once, a failing replica
         * leaves the read rotation.
         */
        private boolean enabled = true;

        /**
         * Time between two checks of each of these servers, counted from the end of the previous check.
         */
        private Duration interval = Duration.ofSeconds(2);

        /**
         * Longest wait for one server's answer in a check; no answer in time is a failed check.
         */
        private Duration timeout = Duration.ofSeconds(1);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

    }

    /**
     * Replica checks behind read routing: a replica that fails them is excluded from reads (its node's reads go
     * to the remaining replicas, or to the primary when none is left) and re-admitted once it passes again.
     */
    public static class ReplicaHealth extends ServerChecks {

        /**
         * Consecutive failed checks after which a replica is excluded from reads.
         */
        private int failureThreshold = 2;

        /**
         * Consecutive passed checks after which an excluded replica is re-admitted.
         */
        private int successThreshold = 2;

        public int getFailureThreshold() {
            return this.failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getSuccessThreshold() {
            return this.successThreshold;
        }

        public void setSuccessThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
        }

    }

    /**
     * A sharded logical table.
     */
    public static class Table {

        /**
         * How rows are spread over shard databases.
         */
        private Sharding databaseSharding;

        /**
         * How rows are spread over the physical tables inside each shard.
         */
        private TableSharding tableSharding;

        /**
         * Column filled with a generated, globally unique key on insert.
         */
        private KeyGenerator keyGenerator;

        /**
         * Binding group: tables of one group shard alike, so their joins stay inside one shard.
         */
        private String bindingGroup;

        public Sharding getDatabaseSharding() {
            return this.databaseSharding;
        }

        public void setDatabaseSharding(Sharding databaseSharding) {
            this.databaseSharding = databaseSharding;
        }

        public TableSharding getTableSharding() {
            return this.tableSharding;
        }

        public void setTableSharding(TableSharding tableSharding) {
            this.tableSharding = tableSharding;
        }

        public KeyGenerator getKeyGenerator() {
            return this.keyGenerator;
        }

        public void setKeyGenerator(KeyGenerator keyGenerator) {
            this.keyGenerator = keyGenerator;
        }

        public String getBindingGroup() {
            return this.bindingGroup;
        }

        public void setBindingGroup(String bindingGroup) {
            this.bindingGroup = bindingGroup;
        }

    }

    /**
     * A sharding column and the algorithm that maps its values to shards.
     */
    public static class Sharding {

        /**
         * Sharding column.
         */
        private String column;

        /**
         * Sharding algorithm (DDM's names: mod-hash, mod-hash-ci, uni-hash, hash, right-shift, range, list, yyyymm,
         * yyyydd, yyyyweek, mm, dd, mmdd, week).
         */
        private ShardingFunction algorithm;

        /**
         * DDM's date function (year, month, weekofyear, day) applied to a date column before range or hash.
         */
        private DateFunction dateFunction;

        /**
         * Bits to shift the key right before the modulo, for right-shift.
         */
        private Integer shiftBits;

        /**
         * Inclusive key ranges and the shard (or table) each maps to, for range; also DDM's text form
         * "1-2=0,3-4=1,default=7". A range without from and to is the default for keys in no other range.
         */
        private List<KeyRange> ranges = new ArrayList<>();

        /**
         * Shard (or, for table sharding, table) index to the key values it holds, for list.
         */
        private Map<Integer, List<String>> lists = new LinkedHashMap<>();

        public String getColumn() {
            return this.column;
        }

        public void setColumn(String column) {
            this.column = column;
        }

        public ShardingFunction getAlgorithm() {
            return this.algorithm;
        }

        public void setAlgorithm(ShardingFunction algorithm) {
            this.algorithm = algorithm;
        }

        public Integer getShiftBits() {
            return this.shiftBits;
        }

        public void setShiftBits(Integer shiftBits) {
            this.shiftBits = shiftBits;
        }

        public DateFunction getDateFunction() {
            return this.dateFunction;
        }

        public void setDateFunction(DateFunction dateFunction) {
            this.dateFunction = dateFunction;
        }

        public List<KeyRange> getRanges() {
            return this.ranges;
        }

        public void setRanges(List<KeyRange> ranges) {
            this.ranges = ranges;
        }

        public Map<Integer, List<String>> getLists() {
            return this.lists;
        }

        public void setLists(Map<Integer, List<String>> lists) {
            this.lists = lists;
        }

    }

    /**
     * Table sharding: the sharding column plus how many physical tables each shard holds.
     */
    public static class TableSharding extends Sharding {

        /**
         * Physical tables of this logical table in every shard.
         */
        private Integer tablesPerShard;

        /**
         * Inclusive upper key bounds of the range segments, increasing: append one to add a segment.
         */
        private List<Long> segments = new ArrayList<>();

        /**
         * Smallest key of the first range segment.
         */
        private long segmentsStart = 1;

        public Integer getTablesPerShard() {
            return this.tablesPerShard;
        }

        public void setTablesPerShard(Integer tablesPerShard) {
            this.tablesPerShard = tablesPerShard;
        }

        public List<Long> getSegments() {
            return this.segments;
        }

        public void setSegments(List<Long> segments) {
            this.segments = segments;
        }

        public long getSegmentsStart() {
            return this.segmentsStart;
        }

        public void setSegmentsStart(long segmentsStart) {
            this.segmentsStart = segmentsStart;
        }

    }

    /**
     * An inclusive range of keys mapped to one shard (database sharding) or table (table sharding); without
     * bounds, the default range. Also read from DDM's text form {@code 1-2=0} or {@code default=7}.
     */
    public static class KeyRange {

        private static final java.util.regex.Pattern TEXT = java.util.regex.Pattern
                .compile("\\[?(-?[0-9]+)\\s*-\\s*(-?[0-9]+)\\]?\\s*=\\s*([0-9]+)");

        private static final java.util.regex.Pattern DEFAULT_TEXT = java.util.regex.Pattern.compile("default\\s*=\\s*([0-9]+)",
                java.util.regex.Pattern.CASE_INSENSITIVE);

        /**
         * Smallest key of the range, inclusive.
         */
        private Long from;

        /**
         * Largest key of the range, inclusive.
         */
        private Long to;

        /**
         * Shard index holding the range (database sharding).
         */
        private Integer shard;

        /**
         * Table index inside each shard holding the range (table sharding).
         */
        private Integer table;

        /** The target of DDM's text form, which names no level. */
        private Integer textTarget;

        /**
         * Reads one range of DDM's text form: {@code 1-2=0}, {@code [3-4]=1} or {@code default=7}.
         * @param text the text
         * @return the range
         * @throws IllegalArgumentException when the text is not of that form
         */
        public static KeyRange valueOf(String text) {
            String trimmed = text.strip();
            KeyRange result = new KeyRange();
            Matcher range = TEXT.matcher(trimmed);
            Matcher fallback = DEFAULT_TEXT.matcher(trimmed);
            if (range.matches()) {
                result.from = Long.valueOf(range.group(1));
                result.to = Long.valueOf(range.group(2));
                result.textTarget = Integer.valueOf(range.group(3));
            }
            else if (fallback.matches()) {
                result.textTarget = Integer.valueOf(fallback.group(1));
            }
            else {
                throw new IllegalArgumentException("'" + trimmed + "' is not a range of the form from-to=target (1-2=0)"
                        + " or default=target");
            }
            return result;
        }

        public Long getFrom() {
            return this.from;
        }

        public void setFrom(Long from) {
            this.from = from;
        }

        public Long getTo() {
            return this.to;
        }

        public void setTo(Long to) {
            this.to = to;
        }

        public Integer getShard() {
            return this.shard;
        }

        public void setShard(Integer shard) {
            this.shard = shard;
        }

        public Integer getTable() {
            return this.table;
        }

        public void setTable(Integer table) {
            this.table = table;
        }

        Integer textTarget() {
            return this.textTarget;
        }

    }

    /**
     * A generated-key column of one table.
     */
    public static class KeyGenerator {

        /**
         * Column filled with the generated key.
         */
        private String column;

        /**
         * Key generator type: snowflake, uuid or sequence.
         */
        private KeyGeneratorType type = KeyGeneratorType.SNOWFLAKE;

        public String getColumn() {
            return this.column;
        }

        public void setColumn(String column) {
            this.column = column;
        }

        public KeyGeneratorType getType() {
            return this.type;
        }

        public void setType(KeyGeneratorType type) {
            this.type = type;
        }

    }

    /**
     * Key generator types.
     */
    public enum KeyGeneratorType {

        /** 64-bit time-ordered numbers: timestamp, 10-bit worker id and sequence. */
        SNOWFLAKE,

        /** Random UUID strings. */
        UUID,

        /** Numbers from a sequence on the default shard's primary, reserved in blocks by each instance. */
        SEQUENCE

    }

    /**
     * Settings of key generation shared by all tables.
     */
    public static class KeyGeneration {

        /**
         * Snowflake worker id (0-1023) of this application instance. When unset, DDM leases a free id from
         * the default shard's primary so that running instances never share one.
         */
        private Integer workerId;

        /**
         * Time between two confirmations of the leased worker id on the default shard's primary. Keys are issued
         * only while the last confirmation is younger than three intervals, and a newly leased id waits three
         * intervals before its first key (at startup, and after it had to be leased again).
         */
        private Duration leaseCheckInterval = Duration.ofSeconds(1);

        /**
         * Settings of key-generator type sequence.
         */
        private SequenceSettings sequence = new SequenceSettings();

        public Integer getWorkerId() {
            return this.workerId;
        }

        public void setWorkerId(Integer workerId) {
            this.workerId = workerId;
        }

        public Duration getLeaseCheckInterval() {
            return this.leaseCheckInterval;
        }

        public void setLeaseCheckInterval(Duration leaseCheckInterval) {
            this.leaseCheckInterval = leaseCheckInterval;
        }

        public SequenceSettings getSequence() {
            return this.sequence;
        }

        public void setSequence(SequenceSettings sequence) {
            this.sequence = sequence;
        }

    }

    /**
     * Sequences (table _ddm_sequence in the default shard database): each instance reserves a block of values at
     * a time and hands them out from memory.
     */
    public static class SequenceSettings {

        /**
         * Values one instance reserves with each round trip to the default shard's primary.
         */
        private int blockSize = 1000;

        /**
         * Longest wait to connect to the default shard's primary and for each answer when reserving a block.
         */
        private Duration timeout = Duration.ofSeconds(5);

        public int getBlockSize() {
            return this.blockSize;
        }

        public void setBlockSize(int blockSize) {
            this.blockSize = blockSize;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

    }

    /**
     * Checks of every node's primary. One failed check (or a statement failing with a connection error that the
     * next check confirms) records the primary as down: from then on, statements for its shards fail at once with
     * an error naming node and shard, instead of waiting for a connection; one passed check ends the outage.
     */
    public static class PrimaryHealth extends ServerChecks {

    }

    /**
     * Settings of the checks behind the {@code ddm} health contributor and the actuator endpoint.
     */
    public static class Health {

        /**
         * Longest wait for one server's answer; a server that does not answer in time is reported DOWN.
         */
        private Duration timeout = Duration.ofSeconds(2);

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

    }

    /**
     * Settings of shard moves ({@code /actuator/ddm/moves} and the {@code ShardMoves} bean).
     */
    public static class Moves {

        /**
         * Whether moves may be started and aborted over HTTP ({@code /actuator/ddm/moves}); the Java API works either way.
         */
        private boolean enabled = false;

        /**
         * How often this instance reads the placement the servers record, to follow moves that other instances ran.
         */
        private Duration placementCheckInterval = Duration.ofSeconds(2);

        /**
         * Rows per chunk when the verification compares checksums of source and target.
         */
        private int chunkRows = 1000;

        /**
         * Catch-up lag of the target below which the switch starts.
         */
        private Duration switchLag = Duration.ofSeconds(1);

        /**
         * Longest wait, at the switch, for the shard's connections in use to be returned and for transactions on its
         * tables to end; when it passes, the switch is called off (statements go on) and tried again.
         */
        private Duration drainTimeout = Duration.ofSeconds(2);

        /**
         * How often the switch is tried before the move fails.
         */
        private int switchAttempts = 5;

        /**
         * Longest wait for the target to apply the source's binary log up to a position.
         */
        private Duration catchUpTimeout = Duration.ofSeconds(60);

        /**
         * Longest wait for the target node's replicas to apply what the move wrote.
         */
        private Duration replicaTimeout = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPlacementCheckInterval() {
            return this.placementCheckInterval;
        }

        public void setPlacementCheckInterval(Duration placementCheckInterval) {
            this.placementCheckInterval = placementCheckInterval;
        }

        public int getChunkRows() {
            return this.chunkRows;
        }

        public void setChunkRows(int chunkRows) {
            this.chunkRows = chunkRows;
        }

        public Duration getSwitchLag() {
            return this.switchLag;
        }

        public void setSwitchLag(Duration switchLag) {
            this.switchLag = switchLag;
        }

        public Duration getDrainTimeout() {
            return this.drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        public int getSwitchAttempts() {
            return this.switchAttempts;
        }

        public void setSwitchAttempts(int switchAttempts) {
            this.switchAttempts = switchAttempts;
        }

        public Duration getCatchUpTimeout() {
            return this.catchUpTimeout;
        }

        public void setCatchUpTimeout(Duration catchUpTimeout) {
            this.catchUpTimeout = catchUpTimeout;
        }

        public Duration getReplicaTimeout() {
            return this.replicaTimeout;
        }

        public void setReplicaTimeout(Duration replicaTimeout) {
            this.replicaTimeout = replicaTimeout;
        }

    }

    /**
     * Settings of the console page.
     */
    public static class Console {

        /**
         * Whether the console page is served as the ddmconsole actuator endpoint (it must be exposed like any endpoint).
         */
        private boolean enabled = false;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * Settings of the fast path.
     */
    public static class FastPath {

        /**
         * Whether prepared statements on one sharded table whose sharding columns are all compared for equality with a
         * parameter or literal run on the owning shard directly. Every other statement goes through ShardingSphere.
         */
        private boolean enabled = true;

        /**
         * How many distinct SQL texts the fast path remembers how to run; beyond that it forgets them all and starts over.
         */
        private int cacheSize = 4096;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getCacheSize() {
            return this.cacheSize;
        }

        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }

    }

}
