package dev.beacon.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;

/**
 * The catalog as DNS reads it: instances by service name with their aggregated health, nodes by name, and the
 * live servers (nodes whose Consul {@code serfHealth} check, which every Beacon agent registers for itself, is not
 * critical). Names are
 * matched case-insensitively, as DNS names are. Immutable; built once per catalog change.
 */
public final class DnsCatalog {
    /** Consul's agent liveness check; a node that has one is a Beacon server (client agents do not exist yet). */
    static final String SERF_HEALTH = "serfHealth";

    private final Map<String, List<Instance>> notCriticalByService;
    private final Map<String, List<Instance>> passingByService;
    private final Map<String, Node> nodesByName;
    private final List<Node> servers;
    private final Map<String, Node> nodesByAddress;
    private final Map<String, String> servicesByAddress;
    private final long index;

    /** One service instance with the node it runs on and the worst status among its and its node's checks. */
    public record Instance(ServiceInstance service, Node node, CheckStatus health) {
    }

    private DnsCatalog(Map<String, List<Instance>> instancesByService, Map<String, Node> nodesByName,
                       List<Node> servers, Map<String, Node> nodesByAddress, Map<String, String> servicesByAddress,
                       long index) {
        // Health filters precomputed: a service lookup then only picks from a list, however large the service.
        this.notCriticalByService = filtered(instancesByService, h -> h != CheckStatus.CRITICAL);
        this.passingByService = filtered(instancesByService, h -> h == CheckStatus.PASSING);
        this.nodesByName = nodesByName;
        this.servers = servers;
        this.nodesByAddress = nodesByAddress;
        this.servicesByAddress = servicesByAddress;
        this.index = index;
    }

    /** Indexes a catalog slice holding every node, service and check, read at {@code index}. */
    public static DnsCatalog of(CatalogView view, long index) {
        Map<String, Node> nodes = new HashMap<>();
        view.nodes().forEach(n -> nodes.put(lower(n.name()), n));
        Map<String, CheckStatus> nodeHealth = new HashMap<>();
        Map<String, CheckStatus> instanceHealth = new HashMap<>();
        List<Node> servers = new ArrayList<>();
        for (HealthCheck check : view.checks()) {
            if (check.serviceId().isEmpty()) {
                nodeHealth.merge(check.node(), check.status(), DnsCatalog::worst);
                if (check.checkId().equals(SERF_HEALTH) && check.status() != CheckStatus.CRITICAL
                        && nodes.containsKey(lower(check.node()))) {
                    servers.add(nodes.get(lower(check.node())));
                }
            } else {
                instanceHealth.merge(CatalogView.instanceKey(check.node(), check.serviceId()), check.status(),
                        DnsCatalog::worst);
            }
        }
        Map<String, List<Instance>> byService = new HashMap<>();
        Map<String, String> servicesByAddress = new HashMap<>();
        for (ServiceInstance s : view.services()) {
            Node node = nodes.get(lower(s.node()));
            if (node == null) {
                continue;
            }
            String address = IpLiterals.canonical(s.address());
            if (address != null) {
                servicesByAddress.merge(address, s.service(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
            CheckStatus health = worst(nodeHealth.getOrDefault(s.node(), CheckStatus.PASSING),
                    instanceHealth.getOrDefault(CatalogView.instanceKey(s.node(), s.id()), CheckStatus.PASSING));
            byService.computeIfAbsent(lower(s.service()), k -> new ArrayList<>()).add(new Instance(s, node, health));
        }
        Map<String, Node> nodesByAddress = new HashMap<>();
        for (Node node : nodes.values()) {
            String address = IpLiterals.canonical(node.address());
            if (address != null) {
                nodesByAddress.merge(address, node, (a, b) -> a.name().compareTo(b.name()) <= 0 ? a : b);
            }
        }
        return new DnsCatalog(byService, nodes, List.copyOf(servers), nodesByAddress, servicesByAddress, index);
    }

    /**
     * The node at an address, for a reverse lookup: the first by name when several share it, as Consul answers
     * with the first node it lists. Null if no node has it.
     */
    public Node nodeAt(byte[] address) {
        return nodesByAddress.get(IpLiterals.canonical(address));
    }

    /** The service with an instance registered at its own address {@code address} (the first by name), or null. */
    public String serviceAt(byte[] address) {
        return servicesByAddress.get(IpLiterals.canonical(address));
    }

    /** The instances DNS may answer with: not critical, and with {@code onlyPassing} not warning either. */
    public List<Instance> usable(String service, boolean onlyPassing) {
        return (onlyPassing ? passingByService : notCriticalByService).getOrDefault(lower(service), List.of());
    }

    private static Map<String, List<Instance>> filtered(Map<String, List<Instance>> all,
                                                        Predicate<CheckStatus> keep) {
        Map<String, List<Instance>> kept = new HashMap<>();
        all.forEach((service, instances) -> {
            List<Instance> list = instances.stream().filter(i -> keep.test(i.health())).toList();
            if (!list.isEmpty()) {
                kept.put(service, list);
            }
        });
        return kept;
    }

    public Node node(String name) {
        return nodesByName.get(lower(name));
    }

    public List<Node> servers() {
        return servers;
    }

    /** The catalog index this was read at; the SOA serial. */
    public long index() {
        return index;
    }

    private static CheckStatus worst(CheckStatus a, CheckStatus b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
