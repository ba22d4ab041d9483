package io.ddm.routing.rotation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which replica data sources of one DDM data source take reads: an immutable snapshot. The replica checks build a
 * new one on every change and publish it whole ({@link ReadRotationHolder}); DDM's load balancer reads the snapshot
 * current when it routes a read. Nothing in it is ever changed in place.
 */
public final class ReadRotation {

    /** Every replica takes reads. */
    public static final ReadRotation FULL = new ReadRotation(Set.of());

    private final Set<String> excluded;

    private ReadRotation(Set<String> excluded) {
        this.excluded = excluded;
    }

    /**
     * A rotation without the given replica data sources.
     * @param excludedDataSources physical data source names that take no reads
     * @return the snapshot
     */
    public static ReadRotation excluding(Collection<String> excludedDataSources) {
        return excludedDataSources.isEmpty() ? FULL : new ReadRotation(Set.copyOf(excludedDataSources));
    }

    /**
     * Whether a data source takes reads.
     * @param dataSourceName a physical data source name
     * @return {@code false} for an excluded replica
     */
    public boolean isInRotation(String dataSourceName) {
        return !this.excluded.contains(dataSourceName);
    }

    /**
     * Whether every replica takes reads.
     * @return {@code true} when none is excluded
     */
    public boolean isFull() {
        return this.excluded.isEmpty();
    }

    /**
     * The excluded data sources.
     * @return physical data source names
     */
    public Set<String> excluded() {
        return this.excluded;
    }

    /**
     * The data sources of a list that take reads.
     * @param dataSourceNames candidates
     * @return those in rotation, in the given order; the list itself when none is excluded
     */
    public List<String> inRotation(List<String> dataSourceNames) {
        if (this.excluded.isEmpty()) {
            return dataSourceNames;
        }
        List<String> result = new ArrayList<>(dataSourceNames.size());
        for (String each : dataSourceNames) {
            if (!this.excluded.contains(each)) {
                result.add(each);
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "ReadRotation[excluded=" + this.excluded + "]";
    }

}
