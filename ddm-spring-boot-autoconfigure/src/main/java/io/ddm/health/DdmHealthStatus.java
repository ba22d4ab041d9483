package io.ddm.health;

import org.springframework.boot.health.contributor.Status;

/**
 * Health statuses of DDM beyond Boot's own.
 */
public final class DdmHealthStatus {

    /**
     * A node whose primary answers but at least one replica does not: reads and writes are still served (reads by
     * the remaining replicas or the primary). Boot's default status order does not know it, so it does not
     * change the aggregate status of {@code ddm} or the application.
     */
    public static final Status DEGRADED = new Status("DEGRADED", "Primary up, at least one replica down");

    private DdmHealthStatus() {
    }

}
