package dev.beacon.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A slice of the catalog tables: the nodes, service instances and checks a catalog or health query selected. */
public record CatalogView(List<Node> nodes, List<ServiceInstance> services, List<HealthCheck> checks) {

    public CatalogView {
        nodes = List.copyOf(nodes);
        services = List.copyOf(services);
        checks = List.copyOf(checks);
    }

    /** The checks of each service instance (node checks included), keyed by node and service id. */
    public Map<String, List<HealthCheck>> checksByInstance() {
        Map<String, List<HealthCheck>> nodeChecks = new HashMap<>();
        Map<String, List<HealthCheck>> byInstance = new HashMap<>();
        for (HealthCheck c : checks) {
            if (c.serviceId().isEmpty()) {
                nodeChecks.computeIfAbsent(c.node(), n -> new ArrayList<>()).add(c);
            }
        }
        for (ServiceInstance s : services) {
            byInstance.put(Catalog.instanceKey(s.node(), s.id()),
                    new ArrayList<>(nodeChecks.getOrDefault(s.node(), List.of())));
        }
        for (HealthCheck c : checks) {
            if (!c.serviceId().isEmpty()) {
                List<HealthCheck> list = byInstance.get(Catalog.instanceKey(c.node(), c.serviceId()));
                if (list != null) {
                    list.add(c);
                }
            }
        }
        return byInstance;
    }

    /** The tags of the instance a check belongs to; none for a node check. */
    public Map<String, List<String>> tagsByInstance() {
        Map<String, List<String>> tags = new HashMap<>();
        services.forEach(s -> tags.put(Catalog.instanceKey(s.node(), s.id()), s.tags()));
        return tags;
    }

    public static String instanceKey(String node, String serviceId) {
        return Catalog.instanceKey(node, serviceId);
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
