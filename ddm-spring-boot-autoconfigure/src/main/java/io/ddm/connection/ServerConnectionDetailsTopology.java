package io.ddm.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.ddm.config.DdmConfigurationException;
import io.ddm.topology.Server.Role;

import org.springframework.boot.origin.Origin;

/**
 * The {@link DdmConnectionDetails} made of {@link DdmServerConnectionDetails}, one per server (Docker Compose gives
 * one per service). Every node needs exactly one primary; a replica is named once in its node. Checked when the
 * nodes are read, so a wrong set of servers fails the startup with a {@link DdmConfigurationException} naming the
 * servers' origins.
 */
public final class ServerConnectionDetailsTopology implements DdmConnectionDetails {

    private final List<DdmServerConnectionDetails> servers;

    public ServerConnectionDetailsTopology(List<? extends DdmServerConnectionDetails> servers) {
        this.servers = List.copyOf(servers);
    }

    @Override
    public List<Node> getNodes() {
        Map<String, DdmServerConnectionDetails> primaries = new LinkedHashMap<>();
        Map<String, Map<String, DdmServerConnectionDetails>> replicas = new LinkedHashMap<>();
        for (DdmServerConnectionDetails server : this.servers) {
            String node = server.getNode();
            if (node == null || node.isBlank() || server.getRole() == null) {
                throw new DdmConfigurationException(describe(server), "the server names no " + ((node == null || node.isBlank())
                        ? "node" : "role"), "Say which node the server belongs to and whether it is the primary or a replica"
                                + " (for Docker Compose: the labels io.ddm.node and io.ddm.role).");
            }
            if (server.getRole() == Role.PRIMARY) {
                DdmServerConnectionDetails other = primaries.putIfAbsent(node, server);
                if (other != null) {
                    throw new DdmConfigurationException(describe(server), "node '" + node + "' has two primaries: this one and "
                            + describe(other), "Give every node exactly one primary; mark the other server as a replica or"
                                    + " give it a node of its own.");
                }
            }
            else {
                Map<String, DdmServerConnectionDetails> ofNode = replicas.computeIfAbsent(node, (name) -> new LinkedHashMap<>());
                DdmServerConnectionDetails other = ofNode.putIfAbsent(server.getName(), server);
                if (other != null) {
                    throw new DdmConfigurationException(describe(server), "replica '" + server.getName() + "' of node '" + node
                            + "' is named twice: here and by " + describe(other), "Give every replica its own name.");
                }
            }
        }
        for (Map.Entry<String, Map<String, DdmServerConnectionDetails>> entry : replicas.entrySet()) {
            if (!primaries.containsKey(entry.getKey())) {
                throw new DdmConfigurationException(describe(entry.getValue().values().iterator().next()), "node '"
                        + entry.getKey() + "' has replicas (" + String.join(", ", entry.getValue().keySet())
                        + ") but no primary; primaries: " + primaries.keySet(), "Add the primary of node '" + entry.getKey()
                                + "', or attach the replicas to a node that has one.");
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, DdmServerConnectionDetails> primary : primaries.entrySet()) {
            Map<String, Server> ofNode = new LinkedHashMap<>();
            replicas.getOrDefault(primary.getKey(), Map.of()).forEach((name, replica) -> ofNode.put(name, server(replica)));
            nodes.add(new Node(primary.getKey(), server(primary.getValue()), ofNode));
        }
        return nodes;
    }

    private static Server server(DdmServerConnectionDetails details) {
        return new Server(details.getUrl(), details.getUsername(), details.getPassword());
    }

    /** Where a server's details come from: its origin (e.g. a Docker Compose service) when it has one. */
    static String describe(DdmServerConnectionDetails server) {
        Origin origin = Origin.from(server);
        String role = (server.getRole() != null) ? server.getRole().name().toLowerCase(Locale.ROOT) + " " : "";
        return role + "'" + server.getName() + "' (" + ((origin != null) ? origin : server.getClass().getName()) + ")";
    }

    @Override
    public String toString() {
        // The origins are in the error messages; the log names the servers.
        return "server connection details of " + this.servers.stream().map(DdmServerConnectionDetails::getName)
            .collect(Collectors.joining(", "));
    }

}
