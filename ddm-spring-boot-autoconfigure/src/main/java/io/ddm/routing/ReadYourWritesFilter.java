package io.ddm.routing;

import java.util.Collections;
import java.util.List;

import io.ddm.routing.health.PrimaryFallbackReadDataSourcesFilter;
import org.apache.shardingsphere.readwritesplitting.route.standard.filter.ReadDataSourcesFilter;
import org.apache.shardingsphere.readwritesplitting.rule.ReadwriteSplittingDataSourceGroupRule;

/**
 * Offers only the primary to a read while the current thread's last write is younger than the
 * read-your-writes window ({@link ReadYourWrites}). Registered as a ShardingSphere SPI; a no-op for data sources
 * without the window.
 */
public final class ReadYourWritesFilter implements ReadDataSourcesFilter {

    @Override
    public List<String> filter(ReadwriteSplittingDataSourceGroupRule rule, List<String> readDataSources) {
        String primary = rule.getWriteDataSource();
        if (!ReadYourWrites.isPinned(primary)) {
            return readDataSources;
        }
        PrimaryFallbackReadDataSourcesFilter.giveWeight(rule.getLoadBalancer(), primary);
        return Collections.singletonList(primary);
    }

}
