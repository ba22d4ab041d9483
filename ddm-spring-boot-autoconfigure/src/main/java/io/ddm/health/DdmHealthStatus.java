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

    /**
     * A node that holds no shard (a spare node, a move target) whose primary does not answer: no statement fails
     * because of it, but a move to it would. Boot's default status order does not know it, so a dead spare does not
     * take the application out of service; add it to the order to make it count.
     */
    public static final Status SPARE_DOWN = new Status("SPARE_DOWN", "Node holding no shard, primary down");

    private DdmHealthStatus() {
    }

}
