package io.ddm.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.ddm.datasource.PhysicalDataSources;
import io.ddm.datasource.PhysicalPool;
import io.ddm.datasource.StatementListener;
import io.ddm.topology.DataNode;
import io.ddm.topology.Server;
import io.ddm.topology.TableLayout;
import io.ddm.topology.TableLayout.Kind;
import io.ddm.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The statement timers of one DDM DataSource: {@value #LOGICAL} for what the application runs, {@value #PHYSICAL}
 * for what ShardingSphere runs on each server. Meters are registered on first use and then cached by index, so
 * recording costs an array read, not a meter lookup. They live in a private composite registry that forwards to
 * every registry the binder was bound to.
 */
final class StatementMetrics implements StatementObserver, StatementListener {

    static final String LOGICAL = "ddm.statements.logical";

    static final String PHYSICAL = "ddm.statements.physical";

    private static final String SUCCESS = "success";

    private static final String ERROR = "error";

    private static final String NO_TABLE = "none";

    private static final Route[] ROUTES = Route.values();

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();

    private final TableFinder tableFinder;

    /** Configured sharded and broadcast tables, then "none". */
    private final String[] tableNames;

    /** Shard databases of each entry of {@link #tableNames}. */
    private final int[] tableShards;

    private final Map<String, PhysicalTarget> targets;

    private final List<Server> servers;

    /** Indexed by ((table * routes) + route) * 2 + outcome. */
    private final AtomicReferenceArray<Timer> logicalTimers;

    /** Indexed by server * 2 + outcome. */
    private final AtomicReferenceArray<Timer> physicalTimers;

    StatementMetrics(Topology topology, PhysicalDataSources physicalDataSources) {
        List<String> names = new ArrayList<>();
        List<Integer> shards = new ArrayList<>();
        for (TableLayout table : topology.tables().values()) {
            if (table.kind() != Kind.SINGLE) {
                names.add(table.name());
                BitSet tableShards = new BitSet();
                table.dataNodes().stream().mapToInt(DataNode::shard).forEach(tableShards::set);
                shards.add(tableShards.cardinality());
            }
        }
        this.tableFinder = new TableFinder(names);
        names.add(NO_TABLE);
        shards.add(topology.shards());
        this.tableNames = names.toArray(new String[0]);
        this.tableShards = shards.stream().mapToInt(Integer::intValue).toArray();
        this.servers = new ArrayList<>();
        Map<String, PhysicalTarget> targets = new HashMap<>();
        for (PhysicalPool pool : physicalDataSources.pools()) {
            int server = this.servers.indexOf(pool.server());
            if (server < 0) {
                server = this.servers.size();
                this.servers.add(pool.server());
            }
            targets.put(pool.dataSourceName(), new PhysicalTarget(pool.shard(), server));
        }
        this.targets = Map.copyOf(targets);
        this.logicalTimers = new AtomicReferenceArray<>(this.tableNames.length * ROUTES.length * 2);
        this.physicalTimers = new AtomicReferenceArray<>(this.servers.size() * 2);
    }

    /**
     * Adds a registry that receives the timers.
     * @param registry the registry
     */
    void addRegistry(MeterRegistry registry) {
        this.registry.add(registry);
    }

    @Override
    public ListenedStatement statementCreated(String preparedSql) {
        return new MeteredStatement(this, preparedSql);
    }

    /**
     * The configured table a statement is about.
     * @param sql the statement
     * @return table index for {@link #recordLogical}, {@link TableFinder#NONE} for none
     */
    int table(String sql) {
        return this.tableFinder.find(sql);
    }

    /**
     * Records one logical statement.
     * @param table table index from {@link #table(String)}
     * @param touchedShards distinct shard databases its physical statements ran on
     * @param success whether it succeeded
     * @param nanos how long it took
     */
    void recordLogical(int table, int touchedShards, boolean success, long nanos) {
        int tableIndex = (table < 0) ? this.tableNames.length - 1 : table;
        Route route = Route.of(touchedShards, this.tableShards[tableIndex]);
        int index = ((tableIndex * ROUTES.length) + route.ordinal()) * 2 + (success ? 0 : 1);
        Timer timer = this.logicalTimers.get(index);
        if (timer == null) {
            timer = Timer.builder(LOGICAL)
                .description("Statements the application ran through the DDM DataSource, by table and by how many shards they touched")
                .tag("table", this.tableNames[tableIndex])
                .tag("route", route.tagValue())
                .tag("outcome", success ? SUCCESS : ERROR)
                .register(this.registry);
            this.logicalTimers.set(index, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int shardOf(String dataSourceName) {
        PhysicalTarget target = this.targets.get(dataSourceName);
        return (target != null) ? target.shard() : -1;
    }

    @Override
    public void physicalExecuted(String dataSourceName, boolean success, long nanos) {
        PhysicalTarget target = this.targets.get(dataSourceName);
        if (target == null) {
            return;
        }
        int index = target.server() * 2 + (success ? 0 : 1);
        Timer timer = this.physicalTimers.get(index);
        if (timer == null) {
            Server server = this.servers.get(target.server());
            timer = Timer.builder(PHYSICAL)
                .description("Statements ShardingSphere ran on a physical data source")
                .tag("node", server.node())
                .tag("role", server.role().name().toLowerCase(Locale.ROOT))
                .tag("server", server.name())
                .tag("outcome", success ? SUCCESS : ERROR)
                .register(this.registry);
            this.physicalTimers.set(index, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private record PhysicalTarget(int shard, int server) {
    }

}
