package dev.beacon.api.catalog;

import java.util.Objects;
import java.util.Set;

import dev.beacon.acl.Permissions;
import dev.beacon.api.Caller;
import dev.beacon.state.CatalogView;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Query;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Store;
import dev.beacon.state.Table;

/**
 * What a catalog write needs, as Consul vets it: node:write to create or change a node (not to add a service to a
 * node that stays as it is), service:write on the name of every service instance it registers or removes, and for
 * a check what its service instance or its node needs. Existing instances and checks are looked up on this
 * server's replica.
 */
public final class CatalogWriteAcl {
    private final Store store;

    public CatalogWriteAcl(Store store) {
        this.store = store;
    }

    /** @throws dev.beacon.api.ApiException 403 naming the first permission missing */
    public void check(Command command, Caller caller) {
        Permissions may = caller.permissions();
        if (may.isManagement()) {
            return;
        }
        if (command instanceof Command.CatalogRegister r) {
            register(r, caller);
        } else if (command instanceof Command.RegisterNode r) {
            requireNode(caller, r.node().name());
        } else if (command instanceof Command.RegisterService r) {
            requireService(caller, r.service().service());
        } else if (command instanceof Command.RegisterCheck r) {
            requireCheck(caller, r.check(), null);
        } else if (command instanceof Command.DeregisterNode d) {
            requireNode(caller, d.name());
        } else if (command instanceof Command.DeregisterService d) {
            ServiceInstance existing = instance(d.node(), d.serviceId());
            if (existing == null) {
                requireNode(caller, d.node());
            } else {
                requireService(caller, existing.service());
            }
        } else if (command instanceof Command.DeregisterCheck d) {
            HealthCheck existing = nodeView(d.node()).checks().stream()
                    .filter(c -> c.checkId().equals(d.checkId())).findFirst().orElse(null);
            if (existing == null) {
                requireNode(caller, d.node());
            } else {
                requireCheck(caller, existing, null);
            }
        } else {
            throw new IllegalArgumentException("not a catalog write: " + command.getClass().getSimpleName());
        }
    }

    private void register(Command.CatalogRegister r, Caller caller) {
        Node existing = store.node(r.node().name());
        if (existing == null || changed(existing, r.node())) {
            requireNode(caller, r.node().name());
        }
        if (r.service() != null) {
            requireService(caller, r.service().service());
        }
        for (HealthCheck check : r.checks()) {
            requireCheck(caller, check, r.service());
        }
    }

    private void requireCheck(Caller caller, HealthCheck check, ServiceInstance registered) {
        if (check.serviceId().isEmpty()) {
            requireNode(caller, check.node());
            return;
        }
        ServiceInstance instance = registered != null && registered.id().equals(check.serviceId()) ? registered
                : instance(check.node(), check.serviceId());
        if (instance == null) {
            requireNode(caller, check.node());
        } else {
            requireService(caller, instance.service());
        }
    }

    private static void requireNode(Caller caller, String node) {
        caller.require(caller.permissions().nodeWrite(node), "node:write", node);
    }

    private static void requireService(Caller caller, String service) {
        caller.require(caller.permissions().serviceWrite(service), "service:write", service);
    }

    private static boolean changed(Node existing, Node wanted) {
        return !Objects.equals(existing.address(), wanted.address())
                || (!wanted.id().isEmpty() && !Objects.equals(existing.id(), wanted.id()))
                || !Objects.equals(existing.taggedAddresses(), wanted.taggedAddresses())
                || !Objects.equals(existing.meta(), wanted.meta());
    }

    private ServiceInstance instance(String node, String serviceId) {
        return nodeView(node).services().stream().filter(s -> s.id().equals(serviceId)).findFirst().orElse(null);
    }

    private CatalogView nodeView(String node) {
        return store.query(new Query.CatalogSlice(node, null, Set.of(Table.NODES))).value();
    }
}
