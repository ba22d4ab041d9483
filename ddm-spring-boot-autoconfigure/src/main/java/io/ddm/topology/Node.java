package io.ddm.topology;

import java.util.List;

/**
 * A node: one primary and its read replicas.
 *
 * @param name node name
 * @param primary the primary
 * @param replicas the replicas, possibly none
 */
public record Node(String name, Server primary, List<Server> replicas) {

    public Node {
        replicas = List.copyOf(replicas);
    }

}
