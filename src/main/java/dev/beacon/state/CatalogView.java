package dev.beacon.state;

import java.util.List;

/** A slice of the catalog tables: the nodes, service instances and checks a catalog or health query selected. */
public record CatalogView(List<Node> nodes, List<ServiceInstance> services, List<HealthCheck> checks) {

    public CatalogView {
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        checks = List.copyOf(checks);
    }

    /** The node of that name in this slice, or null. */
    public Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }
}
