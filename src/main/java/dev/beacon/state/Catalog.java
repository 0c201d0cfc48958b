package dev.beacon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The nodes, services and checks tables. Services and checks are kept per node, in id order. */
final class Catalog {
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final TreeMap<String, TreeMap<String, ServiceInstance>> services = new TreeMap<>();
    private final TreeMap<String, TreeMap<String, HealthCheck>> checks = new TreeMap<>();
    /** While a transaction runs: each touched node's rows as they were before it. */
    private Map<String, NodeRows> undo;

    /** A node with its services and checks (any of them null when absent). */
    private record NodeRows(Node node, TreeMap<String, ServiceInstance> services,
                            TreeMap<String, HealthCheck> checks) {
    }

    void beginUndo() {
        undo = new HashMap<>();
    }

    void endUndo() {
        undo = null;
    }

    /** Puts every node the transaction touched back as it was, with its services and checks. */
    void rollback() {
        undo.forEach((name, rows) -> {
            restoreRow(nodes, name, rows.node());
            restoreRow(services, name, rows.services());
            restoreRow(checks, name, rows.checks());
        });
        endUndo();
    }

    private static <V> void restoreRow(Map<String, V> table, String name, V row) {
        if (row == null) {
            table.remove(name);
        } else {
            table.put(name, row);
        }
    }

    /** Writes always change one node's rows, so copying them on first touch is enough to undo anything. */
    private void remember(String node) {
        if (undo != null && !undo.containsKey(node)) {
            TreeMap<String, ServiceInstance> nodeServices = services.get(node);
            TreeMap<String, HealthCheck> nodeChecks = checks.get(node);
            undo.put(node, new NodeRows(nodes.get(node), nodeServices == null ? null : new TreeMap<>(nodeServices),
                    nodeChecks == null ? null : new TreeMap<>(nodeChecks)));
        }
    }

    Outcome registerNode(long index, Node node, Changes changes) {
        remember(node.name());
        Node existing = nodes.get(node.name());
        if (node.sameAs(existing)) {
            return Outcome.ok(index);
        }
        long created = existing == null ? index : existing.createIndex();
        nodes.put(node.name(), node.withIndexes(created, index));
        changes.table(Table.NODES);
        touchNode(node.name(), changes);
        return Outcome.ok(index);
    }

    Outcome deregisterNode(long index, String name, Changes changes) {
        remember(name);
        if (!nodes.containsKey(name)) {
            return Outcome.ok(index);
        }
        touchNode(name, changes);
        nodes.remove(name);
        changes.table(Table.NODES);
        if (services.remove(name) != null) {
            changes.table(Table.SERVICES);
        }
        if (checks.remove(name) != null) {
            changes.table(Table.CHECKS);
        }
        return Outcome.ok(index);
    }

    Outcome registerService(long index, ServiceInstance service, Changes changes) {
        if (!nodes.containsKey(service.node())) {
            return Outcome.error(index, "unknown node " + service.node());
        }
        remember(service.node());
        Map<String, ServiceInstance> onNode = services.computeIfAbsent(service.node(), n -> new TreeMap<>());
        ServiceInstance existing = onNode.get(service.id());
        if (service.sameAs(existing)) {
            return Outcome.ok(index);
        }
        long created = existing == null ? index : existing.createIndex();
        onNode.put(service.id(), service.withIndexes(created, index));
        changes.table(Table.SERVICES);
        changes.node(service.node());
        changes.service(service.service());
        if (existing != null) {
            changes.service(existing.service());
        }
        return Outcome.ok(index);
    }

    Outcome deregisterService(long index, String node, String serviceId, Changes changes) {
        remember(node);
        Map<String, ServiceInstance> onNode = services.get(node);
        ServiceInstance removed = onNode == null ? null : onNode.remove(serviceId);
        if (removed == null) {
            return Outcome.ok(index);
        }
        if (onNode.isEmpty()) {
            services.remove(node);
        }
        changes.table(Table.SERVICES);
        changes.node(node);
        changes.service(removed.service());
        Map<String, HealthCheck> nodeChecks = checks.get(node);
        if (nodeChecks != null && nodeChecks.values().removeIf(c -> c.serviceId().equals(serviceId))) {
            changes.table(Table.CHECKS);
            if (nodeChecks.isEmpty()) {
                checks.remove(node);
            }
        }
        return Outcome.ok(index);
    }

    Outcome registerCheck(long index, HealthCheck check, Changes changes) {
        if (!nodes.containsKey(check.node())) {
            return Outcome.error(index, "unknown node " + check.node());
        }
        String serviceName = "";
        if (!check.serviceId().isEmpty()) {
            ServiceInstance service = service(check.node(), check.serviceId());
            if (service == null) {
                return Outcome.error(index, "unknown service " + check.serviceId() + " on node " + check.node());
            }
            serviceName = service.service();
        }
        remember(check.node());
        HealthCheck named = new HealthCheck(check.node(), check.checkId(), check.name(), check.status(),
                check.notes(), check.output(), check.serviceId(), serviceName, check.type(), 0, 0);
        Map<String, HealthCheck> onNode = checks.computeIfAbsent(check.node(), n -> new TreeMap<>());
        HealthCheck existing = onNode.get(check.checkId());
        if (named.sameAs(existing)) {
            return Outcome.ok(index);
        }
        long created = existing == null ? index : existing.createIndex();
        if (existing != null) {
            touchCheck(existing, changes);
        }
        onNode.put(check.checkId(), named.withIndexes(created, index));
        changes.table(Table.CHECKS);
        touchCheck(named, changes);
        return Outcome.ok(index);
    }

    /** Node, service and checks together: every part is checked first, so an error leaves nothing behind. */
    Outcome register(long index, Command.CatalogRegister c, Changes changes) {
        String nodeName = c.node().name();
        if (c.service() != null && !c.service().node().equals(nodeName)) {
            return Outcome.error(index, "service " + c.service().id() + " names node " + c.service().node()
                    + ", not " + nodeName);
        }
        for (HealthCheck check : c.checks()) {
            if (!check.node().equals(nodeName)) {
                return Outcome.error(index, "check " + check.checkId() + " names node " + check.node()
                        + ", not " + nodeName);
            }
            boolean serviceKnown = check.serviceId().isEmpty()
                    || (c.service() != null && c.service().id().equals(check.serviceId()))
                    || service(nodeName, check.serviceId()) != null;
            if (!serviceKnown) {
                return Outcome.error(index, "unknown service " + check.serviceId() + " on node " + nodeName);
            }
        }
        registerNode(index, c.node(), changes);
        if (c.service() != null) {
            registerService(index, c.service(), changes);
        }
        for (HealthCheck check : c.checks()) {
            registerCheck(index, check, changes);
        }
        return Outcome.ok(index);
    }

    /** The slice a catalog query selects (see {@link Query.CatalogSlice}). */
    CatalogView slice(String node, String service) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, ServiceInstance>> onNode : services.entrySet()) {
            if (node == null || node.equals(onNode.getKey())) {
                for (ServiceInstance s : onNode.getValue().values()) {
                    if (service == null || service.equals(s.service())) {
                        instances.add(s);
                    }
                }
            }
        }
        List<Node> selectedNodes = new ArrayList<>();
        if (service == null) {
            if (node == null) {
                selectedNodes.addAll(nodes.values());
            } else if (nodes.containsKey(node)) {
                selectedNodes.add(nodes.get(node));
            }
        } else {
            instances.stream().map(ServiceInstance::node).distinct().map(nodes::get).forEach(selectedNodes::add);
        }
        Set<String> instanceKeys = new HashSet<>();
        instances.forEach(s -> instanceKeys.add(instanceKey(s.node(), s.id())));
        List<HealthCheck> selectedChecks = new ArrayList<>();
        for (Node n : selectedNodes) {
            Map<String, HealthCheck> onNode = checks.get(n.name());
            if (onNode == null) {
                continue;
            }
            for (HealthCheck c : onNode.values()) {
                if (c.serviceId().isEmpty() || service == null
                        || instanceKeys.contains(instanceKey(c.node(), c.serviceId()))) {
                    selectedChecks.add(c);
                }
            }
        }
        return new CatalogView(selectedNodes, instances, selectedChecks);
    }

    /** Node names cannot contain NUL, so node + NUL + id names one instance. */
    static String instanceKey(String node, String serviceId) {
        return node + '\0' + serviceId;
    }

    Outcome deregisterCheck(long index, String node, String checkId, Changes changes) {
        remember(node);
        Map<String, HealthCheck> onNode = checks.get(node);
        HealthCheck existing = onNode == null ? null : onNode.get(checkId);
        if (existing == null) {
            return Outcome.ok(index);
        }
        touchCheck(existing, changes);
        onNode.remove(checkId);
        if (onNode.isEmpty()) {
            checks.remove(node);
        }
        changes.table(Table.CHECKS);
        return Outcome.ok(index);
    }

    /** A change to a node's own row is seen by every service it hosts (their slices carry the node). */
    private void touchNode(String node, Changes changes) {
        changes.node(node);
        Map<String, ServiceInstance> onNode = services.get(node);
        if (onNode != null) {
            onNode.values().forEach(s -> changes.service(s.service()));
        }
    }

    /**
     * A check is in its node's slice, and in the slice of the service its instance has now, or of every service on
     * the node for a node-level check (serfHealth, maintenance). Called while the check's instance still exists.
     */
    private void touchCheck(HealthCheck check, Changes changes) {
        if (check.serviceId().isEmpty()) {
            touchNode(check.node(), changes);
            return;
        }
        changes.node(check.node());
        ServiceInstance instance = service(check.node(), check.serviceId());
        changes.service(instance == null ? check.serviceName() : instance.service());
    }

    /** Estimated heap held by the catalog, in bytes: a fixed cost per row (see {@link Footprint}). */
    long footprint() {
        long rows = (long) nodes.size() * Footprint.NODE;
        for (TreeMap<String, ServiceInstance> onNode : services.values()) {
            rows += (long) onNode.size() * Footprint.SERVICE;
        }
        for (TreeMap<String, HealthCheck> onNode : checks.values()) {
            rows += (long) onNode.size() * Footprint.CHECK;
        }
        return rows;
    }

    HealthCheck check(String node, String checkId) {
        Map<String, HealthCheck> onNode = checks.get(node);
        return onNode == null ? null : onNode.get(checkId);
    }

    Node node(String name) {
        return nodes.get(name);
    }

    Collection<Node> nodes() {
        return nodes.values();
    }

    ServiceInstance service(String node, String serviceId) {
        Map<String, ServiceInstance> onNode = services.get(node);
        return onNode == null ? null : onNode.get(serviceId);
    }

    List<ServiceInstance> services() {
        List<ServiceInstance> all = new ArrayList<>();
        services.values().forEach(onNode -> all.addAll(onNode.values()));
        return all;
    }

    List<HealthCheck> checks() {
        List<HealthCheck> all = new ArrayList<>();
        checks.values().forEach(onNode -> all.addAll(onNode.values()));
        return all;
    }

    void restore(List<Node> restoredNodes, List<ServiceInstance> restoredServices, List<HealthCheck> restoredChecks) {
        nodes.clear();
        services.clear();
        checks.clear();
        restoredNodes.forEach(n -> nodes.put(n.name(), n));
        restoredServices.forEach(s -> services.computeIfAbsent(s.node(), n -> new TreeMap<>()).put(s.id(), s));
        restoredChecks.forEach(c -> checks.computeIfAbsent(c.node(), n -> new TreeMap<>()).put(c.checkId(), c));
    }
}
