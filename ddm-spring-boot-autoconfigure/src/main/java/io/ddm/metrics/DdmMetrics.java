package io.ddm.metrics;

import java.util.concurrent.atomic.AtomicBoolean;

import io.ddm.datasource.DdmDataSource;
import io.ddm.datasource.PhysicalPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics of a {@link DdmDataSource}: gauges of every physical pool ({@code ddm.pool.connections.*})
 * and timers of statements, logical ({@value StatementMetrics#LOGICAL}: by table and by how many shards they
 * touched, to find the queries that miss their sharding key) and physical ({@value StatementMetrics#PHYSICAL}:
 * by node, server and role), what the primary and replica checks decided ({@code ddm.primary.*},
 * {@code ddm.replica.*}), and how full the newest range segment of each segmented table is
 * ({@value SegmentFillMetrics#NAME}).
 *
 * <p>Binding instruments the data source: from then on its connections time each {@code execute*} call (they tell
 * the statement metrics as their {@link io.ddm.datasource.StatementListener}). Without binding nothing is timed.
 */
public class DdmMetrics implements MeterBinder {

    private final DdmDataSource dataSource;

    private final StatementMetrics statements;

    private final AtomicBoolean instrumented = new AtomicBoolean();

    /**
     * Creates the metrics of a data source.
     * @param dataSource the DDM DataSource
     */
    public DdmMetrics(DdmDataSource dataSource) {
        this.dataSource = dataSource;
        this.statements = new StatementMetrics(dataSource.getTopology(), dataSource.getPhysicalDataSources());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PhysicalPool pool : this.dataSource.getPhysicalDataSources().pools()) {
            PoolMetrics.bindTo(pool, registry);
        }
        ServerAvailabilityMetrics.bindTo(this.dataSource.getTopology(), this.dataSource.getPrimaryMonitor().orElse(null),
                this.dataSource.getReplicaMonitor().orElse(null), registry);
        SegmentFillMetrics.bindTo(this.dataSource, registry);
        this.statements.addRegistry(registry);
        if (this.instrumented.compareAndSet(false, true)) {
            this.dataSource.setStatementListener(this.statements);
        }
    }

}
