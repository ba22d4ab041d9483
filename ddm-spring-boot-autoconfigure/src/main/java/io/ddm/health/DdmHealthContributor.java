package io.ddm.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.ddm.datasource.DdmDataSource;
import io.ddm.topology.Node;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * The {@code ddm} health contributor: one {@link NodeHealthIndicator} per node, each checking its primary and
 * replicas on their check connections. A DOWN primary makes its node, and so {@code ddm}, DOWN.
 */
public class DdmHealthContributor implements CompositeHealthContributor {

    private final ServerProbe probe;

    private final CompositeHealthContributor nodes;

    /**
     * Creates the contributor.
     * @param dataSource the DDM data source
     * @param timeout longest wait for one server
     */
    public DdmHealthContributor(DdmDataSource dataSource, Duration timeout) {
        this.probe = new ServerProbe(dataSource.getCheckConnections(), dataSource.getPhysicalDataSources(), timeout);
        Map<String, HealthContributor> indicators = new LinkedHashMap<>();
        for (Node node : dataSource.getTopology().nodes()) {
            indicators.put(node.name(), new NodeHealthIndicator(dataSource.getTopology(), node, this.probe,
                    dataSource.getReplicaMonitor().orElse(null), dataSource.getPrimaryMonitor().orElse(null)));
        }
        this.nodes = CompositeHealthContributor.fromMap(indicators);
    }

    @Override
    public HealthContributor getContributor(String name) {
        return this.nodes.getContributor(name);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return this.nodes.stream();
    }

}
