package dev.beacon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;

/**
 * The nodes, services and checks tables. Services and checks are keyed by {@link #instanceKey node + NUL + id}:
 * that orders them by node, then id, and a node's rows are one contiguous range.
 */
final class Catalog {
    private final JournaledMap<String, Node> nodes;
    private final JournaledMap<String, ServiceInstance> services;
    private final JournaledMap<String, HealthCheck> checks;

    Catalog(Journal journal) {
        nodes = JournaledMap.of(journal);
        services = JournaledMap.of(journal);
        checks = JournaledMap.of(journal);
    }

    Outcome registerNode(long index, Node node, Changes changes) {
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
        if (!nodes.containsKey(name)) {
            return Outcome.ok(index);
        }
        touchNode(name, changes);
        nodes.remove(name);
        changes.table(Table.NODES);
        if (removeAll(services, onNode(services, name).keySet()) > 0) {
            changes.table(Table.SERVICES);
        }
        if (removeAll(checks, onNode(checks, name).keySet()) > 0) {
            changes.table(Table.CHECKS);
        }
        return Outcome.ok(index);
    }

    Outcome registerService(long index, ServiceInstance service, Changes changes) {
        if (!nodes.containsKey(service.node())) {
            return Outcome.error(index, "unknown node " + service.node());
        }
        String key = instanceKey(service.node(), service.id());
        ServiceInstance existing = services.get(key);
        if (service.sameAs(existing)) {
            return Outcome.ok(index);
        }
        long created = existing == null ? index : existing.createIndex();
        services.put(key, service.withIndexes(created, index));
        changes.table(Table.SERVICES);
        changes.node(service.node());
        changes.service(service.service());
        if (existing != null) {
            changes.service(existing.service());
        }
        return Outcome.ok(index);
    }

    Outcome deregisterService(long index, String node, String serviceId, Changes changes) {
        ServiceInstance removed = services.remove(instanceKey(node, serviceId));
        if (removed == null) {
            return Outcome.ok(index);
        }
        changes.table(Table.SERVICES);
        changes.node(node);
        changes.service(removed.service());
        List<String> bound = new ArrayList<>();
        onNode(checks, node).forEach((key, check) -> {
            if (check.serviceId().equals(serviceId)) {
                bound.add(key);
            }
        });
        if (removeAll(checks, bound) > 0) {
            changes.table(Table.CHECKS);
        }
        return Outcome.ok(index);
    }

    /** Registers or updates a check; {@code time} is the entry's, kept as the status change time if it changed. */
    Outcome registerCheck(long index, long time, HealthCheck check, Changes changes) {
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
        HealthCheck named = new HealthCheck(check.node(), check.checkId(), check.name(), check.status(),
                check.notes(), check.output(), check.serviceId(), serviceName, check.type(), 0, 0);
        String key = instanceKey(check.node(), check.checkId());
        HealthCheck existing = checks.get(key);
        if (named.sameAs(existing)) {
            return Outcome.ok(index);
        }
        long created = existing == null ? index : existing.createIndex();
        if (existing != null) {
            touchCheck(existing, changes);
        }
        checks.put(key, named.stored(created, index, existing, time));
        changes.table(Table.CHECKS);
        touchCheck(named, changes);
        return Outcome.ok(index);
    }

    Outcome deregisterCheck(long index, String node, String checkId, Changes changes) {
        String key = instanceKey(node, checkId);
        HealthCheck existing = checks.get(key);
        if (existing == null) {
            return Outcome.ok(index);
        }
        touchCheck(existing, changes);
        checks.remove(key);
        changes.table(Table.CHECKS);
        return Outcome.ok(index);
    }

    /** Node, service and checks together: every part is checked first, so an error leaves nothing behind. */
    Outcome register(long index, long time, Command.CatalogRegister c, Changes changes) {
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
            registerCheck(index, time, check, changes);
        }
        return Outcome.ok(index);
    }

    /** The slice a catalog query selects (see {@link Query.CatalogSlice}). */
    CatalogView slice(String node, String service) {
        Collection<ServiceInstance> candidates = node == null ? services.view().values()
                : onNode(services, node).values();
        List<ServiceInstance> instances = new ArrayList<>();
        for (ServiceInstance s : candidates) {
            if (service == null || service.equals(s.service())) {
                instances.add(s);
            }
        }
        List<Node> selectedNodes = new ArrayList<>();
        if (service == null) {
            if (node == null) {
                selectedNodes.addAll(nodes.view().values());
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
            for (HealthCheck c : onNode(checks, n.name()).values()) {
                if (c.serviceId().isEmpty() || service == null
                        || instanceKeys.contains(instanceKey(c.node(), c.serviceId()))) {
                    selectedChecks.add(c);
                }
            }
        }
        return new CatalogView(selectedNodes, instances, selectedChecks);
    }

    /** Node names cannot contain NUL, so node + NUL + id names one instance (or check) of that node. */
    static String instanceKey(String node, String id) {
        return node + '\0' + id;
    }

    /** The rows of one node: the keys from node + NUL up to node + \u0001. */
    private static <V> NavigableMap<String, V> onNode(JournaledMap<String, V> table, String node) {
        return table.view().subMap(node + '\0', true, node + '\u0001', false);
    }

    private static int removeAll(JournaledMap<String, ?> table, Collection<String> keys) {
        List<String> doomed = List.copyOf(keys);
        doomed.forEach(table::remove);
        return doomed.size();
    }

    /** A change to a node's own row is seen by every service it hosts (their slices carry the node). */
    private void touchNode(String node, Changes changes) {
        changes.node(node);
        onNode(services, node).values().forEach(s -> changes.service(s.service()));
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
        return (long) nodes.size() * Footprint.NODE + (long) services.size() * Footprint.SERVICE
                + (long) checks.size() * Footprint.CHECK;
    }

    HealthCheck check(String node, String checkId) {
        return checks.get(instanceKey(node, checkId));
    }

    Node node(String name) {
        return nodes.get(name);
    }

    Collection<Node> nodes() {
        return nodes.view().values();
    }

    ServiceInstance service(String node, String serviceId) {
        return services.get(instanceKey(node, serviceId));
    }

    /** Every instance, by node then id. */
    List<ServiceInstance> services() {
        return new ArrayList<>(services.view().values());
    }

    /** Every check, by node then id. */
    List<HealthCheck> checks() {
        return new ArrayList<>(checks.view().values());
    }

    void restore(List<Node> restoredNodes, List<ServiceInstance> restoredServices, List<HealthCheck> restoredChecks) {
        nodes.clear();
        services.clear();
        checks.clear();
        restoredNodes.forEach(n -> nodes.put(n.name(), n));
        restoredServices.forEach(s -> services.put(instanceKey(s.node(), s.id()), s));
        restoredChecks.forEach(c -> checks.put(instanceKey(c.node(), c.checkId()), c));
    }
}
