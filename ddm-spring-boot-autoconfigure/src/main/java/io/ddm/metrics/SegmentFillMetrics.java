package io.ddm.metrics;

import java.sql.SQLException;
import java.time.Duration;

import io.ddm.datasource.DdmDataSource;
import io.ddm.segment.SegmentFill;
import io.ddm.topology.TableLayout;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@value #NAME}, tagged by {@code table}: how full the newest range segment of each segmented table is,
 * 0..1 ({@link SegmentFill}), so that an alert fires before keys run past the last segment. Measured at most once
 * per {@link #REFRESH} however often it is scraped; {@code NaN} while a shard's primary cannot be asked.
 */
final class SegmentFillMetrics {

    /** The gauge's name. */
    static final String NAME = "ddm.segment.fill";

    /** How old a measure the gauge may report. */
    static final Duration REFRESH = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(SegmentFillMetrics.class);

    private SegmentFillMetrics() {
    }

    static void bindTo(DdmDataSource dataSource, MeterRegistry registry) {
        SegmentFill fill = new SegmentFill(dataSource.getPhysicalDataSources());
        for (TableLayout table : dataSource.getTopology().tables().values()) {
            if (table.segments() != null) {
                Gauge.builder(NAME, fill, (measure) -> read(measure, table))
                    .description("How full the newest range segment is: its highest key against its bound, 0..1")
                    .tag("table", table.name())
                    .strongReference(true)
                    .register(registry);
            }
        }
    }

    private static double read(SegmentFill fill, TableLayout table) {
        try {
            return fill.cached(table, REFRESH).fill();
        }
        catch (SQLException ex) {
            logger.debug("Cannot measure the newest segment of {}", table.name(), ex);
            return Double.NaN;
        }
    }

}
