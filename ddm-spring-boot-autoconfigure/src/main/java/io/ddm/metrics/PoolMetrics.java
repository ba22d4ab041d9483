package io.ddm.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.ddm.datasource.PhysicalPool;
import io.ddm.datasource.ServerDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * Gauges of one physical HikariCP pool ({@code ddm.pool.connections.*}). Boot's own pool metrics do not see these
 * pools: they are not beans. Each gauge holds the pool only weakly (Micrometer's default) and reads {@code NaN}
 * once the pool is closed or collected.
 */
final class PoolMetrics {

    static final String PREFIX = "ddm.pool.connections.";

    private PoolMetrics() {
    }

    static void bindTo(PhysicalPool pool, MeterRegistry registry) {
        Tags tags = Tags.of("node", pool.server().node(), "role", pool.server().role().name().toLowerCase(Locale.ROOT), "server",
                pool.server().name(), "database", pool.database());
        HikariDataSource dataSource = pool.dataSource();
        gauge("active", "Connections of the pool in use", BaseUnits.CONNECTIONS, dataSource, tags, registry,
                (pooled) -> read(pooled, HikariPoolMXBean::getActiveConnections));
        gauge("idle", "Idle connections of the pool", BaseUnits.CONNECTIONS, dataSource, tags, registry,
                (pooled) -> read(pooled, HikariPoolMXBean::getIdleConnections));
        gauge("pending", "Threads waiting for a connection of the pool", BaseUnits.THREADS, dataSource, tags, registry,
                (pooled) -> read(pooled, HikariPoolMXBean::getThreadsAwaitingConnection));
        gauge("total", "Connections of the pool, in use or idle", BaseUnits.CONNECTIONS, dataSource, tags, registry,
                (pooled) -> read(pooled, HikariPoolMXBean::getTotalConnections));
        gauge("max", "Maximum size of the pool", BaseUnits.CONNECTIONS, dataSource, tags, registry,
                (pooled) -> pooled.isClosed() ? Double.NaN : pooled.getMaximumPoolSize());
        ServerDataSource server = pool.dataSource();
        TimeGauge.builder("ddm.pool.wait.longest", server, TimeUnit.MILLISECONDS,
                (pooled) -> pooled.isClosed() ? Double.NaN : pooled.longestWaitMillis())
            .description("How long the longest borrow now waiting for a connection of the pool has waited (saturation, not an"
                    + " outage)")
            .tags(tags)
            .register(registry);
    }

    // The functions receive the pool from the gauge's weak reference: they must not capture it.
    private static void gauge(String name, String description, String baseUnit, HikariDataSource dataSource, Tags tags,
            MeterRegistry registry, ToDoubleFunction<HikariDataSource> value) {
        Gauge.builder(PREFIX + name, dataSource, value)
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private static double read(HikariDataSource dataSource, ToIntFunction<HikariPoolMXBean> value) {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        return (pool == null || dataSource.isClosed()) ? Double.NaN : value.applyAsInt(pool);
    }

}
