package dev.beacon.api.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.beacon.acl.Permissions;
import dev.beacon.api.Caller;
import dev.beacon.state.CatalogView;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.ServiceInstance;

/**
 * What of a catalog slice a caller may see, as Consul's ACL filters decide: a node needs node:read; a service
 * instance needs service:read on its name and node:read on its node; a check needs what its node, or its service
 * instance, needs. Every catalog and health read renders the filtered slice, except the list of service names,
 * which needs service:read alone ({@link #filterServiceNames}).
 */
public final class CatalogAcl {
    private CatalogAcl() {
    }

    /** A slice as a caller may see it, and whether anything was left out of it. */
    public record Visible(CatalogView view, boolean dropped) {
    }

    public static Visible filter(CatalogView view, Caller caller) {
        Permissions may = caller.permissions();
        if (may.isManagement()) {
            return new Visible(view, false);
        }
        List<Node> nodes = new ArrayList<>();
        Set<String> readableNodes = new HashSet<>();
        for (Node n : view.nodes()) {
            if (may.nodeRead(n.name())) {
                nodes.add(n);
                readableNodes.add(n.name());
            }
        }
        List<ServiceInstance> services = new ArrayList<>();
        Set<String> readableInstances = new HashSet<>();
        for (ServiceInstance s : view.services()) {
            if (may.nodeRead(s.node()) && may.serviceRead(s.service())) {
                services.add(s);
                readableInstances.add(CatalogView.instanceKey(s.node(), s.id()));
            }
        }
        List<HealthCheck> checks = new ArrayList<>();
        for (HealthCheck c : view.checks()) {
            boolean readable = c.serviceId().isEmpty() ? may.nodeRead(c.node())
                    : readableInstances.contains(CatalogView.instanceKey(c.node(), c.serviceId()))
                    || (may.nodeRead(c.node()) && may.serviceRead(c.serviceName()));
            if (readable) {
                checks.add(c);
            }
        }
        boolean dropped = nodes.size() < view.nodes().size() || services.size() < view.services().size()
                || checks.size() < view.checks().size();
        return new Visible(new CatalogView(nodes, services, checks), dropped);
    }

    /**
     * For {@code /v1/catalog/services}, which Consul filters by service:read alone: it names services and their
     * tags, not the nodes they run on.
     */
    public static Visible filterServiceNames(CatalogView view, Caller caller) {
        Permissions may = caller.permissions();
        if (may.isManagement()) {
            return new Visible(view, false);
        }
        List<ServiceInstance> services = new ArrayList<>();
        for (ServiceInstance s : view.services()) {
            if (may.serviceRead(s.service())) {
                services.add(s);
            }
        }
        return new Visible(new CatalogView(view.nodes(), services, List.of()),
                services.size() < view.services().size());
    }
}
