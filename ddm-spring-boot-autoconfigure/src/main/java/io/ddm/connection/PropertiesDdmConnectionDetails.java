package io.ddm.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddm.config.DdmProperties;

/**
 * {@link DdmConnectionDetails} read from {@code ddm.nodes.*}: every configured node with its primary's URL and
 * credentials and its replicas, whose unset credentials are their node's. The default when the application has no
 * connection details of its own.
 */
public final class PropertiesDdmConnectionDetails implements DdmConnectionDetails {

    private final DdmProperties properties;

    public PropertiesDdmConnectionDetails(DdmProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<Node> getNodes() {
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, DdmProperties.Node> entry : this.properties.getNodes().entrySet()) {
            DdmProperties.Node node = entry.getValue();
            Map<String, Server> replicas = new LinkedHashMap<>();
            for (Map.Entry<String, DdmProperties.Replica> replica : node.getReplicas().entrySet()) {
                DdmProperties.Replica settings = replica.getValue();
                replicas.put(replica.getKey(), new Server(settings.getUrl(),
                        (settings.getUsername() != null) ? settings.getUsername() : node.getUsername(),
                        (settings.getPassword() != null) ? settings.getPassword() : node.getPassword()));
            }
            nodes.add(new Node(entry.getKey(), new Server(node.getUrl(), node.getUsername(), node.getPassword()), replicas));
        }
        return nodes;
    }

    @Override
    public String toString() {
        return "ddm.nodes.*";
    }

}
