package dev.beacon.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;

/** Turns a catalog slice into the rows the services and nodes pages show. Pure, so it is unit tested. */
public final class CatalogPages {
    private CatalogPages() {
    }

    /** A service: its tags (from all instances), instance count, and instances by their worst check. */
    public record ServiceRow(String name, List<String> tags, int instances, HealthSummary health) {
    }

    /** One instance with its node and every check that applies to it (node checks first). */
    public record InstanceRow(ServiceInstance service, Node node, CheckStatus status, List<HealthCheck> checks) {
        /** Where clients reach it: the service address, or the node's if the service has none. */
        public String address() {
            String host = service.address().isEmpty() && node != null ? node.address() : service.address();
            return service.port() == 0 ? host : host + ":" + service.port();
        }
    }

    /** A node: its checks (its own and its services'), overall status, and number of service instances. */
    public record NodeRow(Node node, HealthSummary checks, CheckStatus status, int services) {
    }

    /**
     * The services whose name contains {@code query} (ignoring case) and that have an instance tagged {@code tag};
     * null or blank filters match everything.
     */
    static List<ServiceRow> services(CatalogView view, String query, String tag) {
        Map<String, List<HealthCheck>> checks = view.checksByInstance();
        Map<String, List<ServiceInstance>> byName = new TreeMap<>();
        for (ServiceInstance s : view.services()) {
            byName.computeIfAbsent(s.service(), n -> new ArrayList<>()).add(s);
        }
        String needle = blank(query) ? null : query.trim().toLowerCase(Locale.ROOT);
        List<ServiceRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<ServiceInstance>> e : byName.entrySet()) {
            TreeSet<String> tags = new TreeSet<>();
            List<CheckStatus> statuses = new ArrayList<>();
            for (ServiceInstance s : e.getValue()) {
                tags.addAll(s.tags());
                statuses.add(HealthSummary.worst(checks.getOrDefault(key(s), List.of())));
            }
            boolean nameMatches = needle == null || e.getKey().toLowerCase(Locale.ROOT).contains(needle);
            boolean tagMatches = blank(tag) || tags.contains(tag.trim());
            if (nameMatches && tagMatches) {
                rows.add(new ServiceRow(e.getKey(), List.copyOf(tags), e.getValue().size(),
                        HealthSummary.of(statuses)));
            }
        }
        return rows;
    }

    /** Instances (of one service, or on one node) with their checks, worst first, then by node and id. */
    static List<InstanceRow> instances(CatalogView view) {
        Map<String, List<HealthCheck>> checks = view.checksByInstance();
        Map<String, Node> nodes = nodesByName(view);
        List<InstanceRow> rows = new ArrayList<>();
        for (ServiceInstance s : view.services()) {
            List<HealthCheck> own = checks.getOrDefault(key(s), List.of());
            rows.add(new InstanceRow(s, nodes.get(s.node()), HealthSummary.worst(own), own));
        }
        rows.sort(Comparator.comparing(InstanceRow::status).reversed()
                .thenComparing(r -> r.service().node()).thenComparing(r -> r.service().id()));
        return rows;
    }

    static List<NodeRow> nodes(CatalogView view, String query) {
        Map<String, List<HealthCheck>> checks = new HashMap<>();
        view.checks().forEach(c -> checks.computeIfAbsent(c.node(), n -> new ArrayList<>()).add(c));
        Map<String, Integer> services = new HashMap<>();
        view.services().forEach(s -> services.merge(s.node(), 1, Integer::sum));
        String needle = blank(query) ? null : query.trim().toLowerCase(Locale.ROOT);
        List<NodeRow> rows = new ArrayList<>();
        for (Node n : view.nodes()) {
            boolean matches = needle == null || n.name().toLowerCase(Locale.ROOT).contains(needle)
                    || n.address().contains(needle);
            if (matches) {
                List<HealthCheck> own = checks.getOrDefault(n.name(), List.of());
                HealthSummary summary = HealthSummary.of(own.stream().map(HealthCheck::status).toList());
                rows.add(new NodeRow(n, summary, summary.overall(), services.getOrDefault(n.name(), 0)));
            }
        }
        rows.sort(Comparator.comparing((NodeRow r) -> r.node().name()));
        return rows;
    }

    /** Each service's instances on a node, by service name, for the node page's summary. */
    static Map<String, List<InstanceRow>> byService(List<InstanceRow> rows) {
        Map<String, List<InstanceRow>> grouped = new LinkedHashMap<>();
        rows.forEach(r -> grouped.computeIfAbsent(r.service().service(), n -> new ArrayList<>()).add(r));
        return grouped;
    }

    private static Map<String, Node> nodesByName(CatalogView view) {
        Map<String, Node> nodes = new HashMap<>();
        view.nodes().forEach(n -> nodes.put(n.name(), n));
        return nodes;
    }

    private static String key(ServiceInstance s) {
        return CatalogView.instanceKey(s.node(), s.id());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
