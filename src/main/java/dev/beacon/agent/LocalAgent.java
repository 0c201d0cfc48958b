package dev.beacon.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.beacon.cluster.Replicator;
import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Store;
import dev.beacon.state.Table;

/**
 * This node's agent: the services and checks registered here, and their current results. It writes to the
 * catalog through Raft only when something changes — a registration, or a check whose status or output moved —
 * so a steady check costs no writes however often it runs. A write asked for by an API request was authorized with
 * the request's token; the agent's own writes (anti-entropy, check results, restored registrations) act as the
 * token the registration carried, or the agent token ({@link SyncAccess}).
 */
public final class LocalAgent {
    public static final String MAINTENANCE_PREFIX = "_service_maintenance:";
    public static final String MAINTENANCE_NAME = "Service Maintenance Mode";
    public static final String NODE_MAINTENANCE_ID = "_node_maintenance";
    public static final String NODE_MAINTENANCE_NAME = "Node Maintenance Mode";

    private final Replicator replicator;
    private final SyncAccess access;
    private final Node self;
    private final AgentStateFiles stateFile;
    private final CheckRunners runners;
    private final Map<String, ServiceDefinition> services = new ConcurrentHashMap<>();
    private final Map<String, CheckDefinition> checks = new ConcurrentHashMap<>();
    private final Map<String, CheckResult> results = new ConcurrentHashMap<>();
    private final Map<String, Long> criticalSince = new ConcurrentHashMap<>();
    /** Anti-entropy waits for the restore: until then, the agent does not yet know all it had. */
    private volatile boolean restored;

    /** @param runners made with {@link #report} as their reporter (see the agent configuration) */
    public LocalAgent(Replicator replicator, SyncAccess access, Node self, AgentStateFiles stateFile,
                      java.util.function.Function<LocalAgent, CheckRunners> runners) {
        this.replicator = replicator;
        this.access = access;
        this.self = self;
        this.stateFile = stateFile;
        this.runners = runners.apply(this);
    }

    /** Registers again what this agent had before it stopped; call once the cluster can take writes. */
    public CompletableFuture<Void> restore() {
        AgentStateFiles.State saved = stateFile.load();
        CompletableFuture<?> done = CompletableFuture.completedFuture(null);
        for (ServiceDefinition s : saved.services()) {
            if (mayWrite(s)) {
                done = done.thenCompose(v -> register(s, true));
            } else {
                // Known again, not written: anti-entropy writes it once its token allows.
                services.put(s.id(), s);
                s.checks().forEach(this::track);
            }
        }
        for (CheckDefinition c : saved.checks()) {
            if (mayWrite(c)) {
                done = done.thenCompose(v -> registerCheck(c));
            } else if (c.serviceId().isEmpty() || services.containsKey(c.serviceId())) {
                track(c);
            }
        }
        return done.thenRun(() -> restored = true);
    }

    public Node self() {
        return self;
    }

    public Collection<ServiceDefinition> services() {
        return services.values();
    }

    public ServiceDefinition service(String id) {
        return services.get(id);
    }

    /** Every check here with its current result, as the catalog shows it. */
    public List<HealthCheck> checks() {
        List<HealthCheck> list = new ArrayList<>();
        checks.values().forEach(c -> list.add(toCatalog(c, results.get(c.checkId()))));
        return list;
    }

    /**
     * Registers (or re-registers) a service with its checks in one catalog write. Checks it had before stay,
     * unless {@code replaceExistingChecks}: then every check of the service that the registration does not name
     * goes, whether it came with an earlier registration or on its own, as in Consul. A check that already ran
     * keeps its current result.
     */
    public CompletableFuture<Outcome> register(ServiceDefinition service, boolean replaceExistingChecks) {
        List<CheckDefinition> dropped = new ArrayList<>();
        ServiceDefinition previous = services.get(service.id());
        if (replaceExistingChecks) {
            for (CheckDefinition old : checks.values()) {
                if (service.id().equals(old.serviceId())
                        && service.checks().stream().noneMatch(c -> c.checkId().equals(old.checkId()))) {
                    dropped.add(old);
                }
            }
            dropped.sort(Comparator.comparing(CheckDefinition::checkId));
        }
        List<HealthCheck> catalogChecks = new ArrayList<>();
        for (CheckDefinition c : service.checks()) {
            catalogChecks.add(toCatalog(c, results.getOrDefault(c.checkId(), initial(c))));
        }
        // Known here before the write lands, so that anti-entropy never takes it for a stranger to remove.
        services.put(service.id(), service);
        return replicator.submit(new Command.CatalogRegister(self, catalogInstance(service), catalogChecks))
                .whenComplete((outcome, error) -> {
                    if (error != null || !outcome.success()) {
                        restore(service.id(), previous);
                    }
                })
                .thenCompose(outcome -> {
                    if (!outcome.success()) {
                        return CompletableFuture.completedFuture(outcome);
                    }
                    service.checks().forEach(this::track);
                    stateFile.saveService(service);
                    CompletableFuture<Outcome> done = CompletableFuture.completedFuture(outcome);
                    for (CheckDefinition old : dropped) {
                        done = done.thenCompose(o -> deregisterCheck(old.checkId()));
                    }
                    return done.thenApply(o -> outcome);
                });
    }

    /** Forgets the service at once (if the write fails, anti-entropy removes it from the catalog later). */
    public CompletableFuture<Outcome> deregister(String serviceId) {
        forgetService(serviceId);
        return replicator.submit(new Command.DeregisterService(self.name(), serviceId));
    }

    private void forgetService(String serviceId) {
        services.remove(serviceId);
        checks.values().removeIf(c -> {
            if (c.serviceId().equals(serviceId)) {
                forget(c.checkId());
                stateFile.deleteCheck(c.checkId());
                return true;
            }
            return false;
        });
        stateFile.deleteService(serviceId);
    }

    private void restore(String serviceId, ServiceDefinition previous) {
        if (previous == null) {
            services.remove(serviceId);
        } else {
            services.put(serviceId, previous);
        }
    }

    /** A check on its own: node-level, or bound to a service registered here. */
    public CompletableFuture<Outcome> registerCheck(CheckDefinition check) {
        if (!check.serviceId().isEmpty() && !services.containsKey(check.serviceId())) {
            return CompletableFuture.completedFuture(new Outcome(0, false,
                    "ServiceID \"" + check.serviceId() + "\" does not exist"));
        }
        CheckResult result = results.getOrDefault(check.checkId(), initial(check));
        return replicator.submit(new Command.RegisterCheck(toCatalog(check, result))).thenApply(outcome -> {
            if (outcome.success()) {
                track(check);
                stateFile.saveCheck(check);
            }
            return outcome;
        });
    }

    public CompletableFuture<Outcome> deregisterCheck(String checkId) {
        return replicator.submit(new Command.DeregisterCheck(self.name(), checkId)).thenApply(outcome -> {
            checks.remove(checkId);
            forget(checkId);
            stateFile.deleteCheck(checkId);
            return outcome;
        });
    }

    public CheckDefinition check(String checkId) {
        return checks.get(checkId);
    }

    /**
     * A new result for a check (from its runner, a TTL heartbeat or its expiry). Written to the catalog only if
     * the status or output changed; a heartbeat also gives a TTL check its full TTL again.
     */
    public CompletableFuture<Outcome> report(String checkId, CheckResult result) {
        CheckDefinition check = checks.get(checkId);
        if (check == null) {
            return CompletableFuture.completedFuture(new Outcome(0, false, "Unknown check ID \"" + checkId + "\""));
        }
        if (result.status() == CheckStatus.CRITICAL) {
            criticalSince.putIfAbsent(checkId, System.nanoTime());
        } else {
            criticalSince.remove(checkId);
        }
        if (!"TTL expired".equals(result.output())) {
            runners.ttlRenewed(check);
        }
        CheckResult previous = results.put(checkId, result);
        if (result.equals(previous) || !mayWrite(check)) {
            // Unchanged, or kept here until the check's token may write it: anti-entropy brings the catalog along.
            return CompletableFuture.completedFuture(new Outcome(0, true, null));
        }
        return replicator.submit(new Command.RegisterCheck(toCatalog(check, result))).whenComplete((o, e) -> {
            if (e != null || !o.success()) {
                // Not written: forget the result so that the next run tries again.
                results.remove(checkId, result);
            }
        });
    }

    /** Consul's service maintenance mode: a critical check that takes the instance out of passing results. */
    public CompletableFuture<Outcome> maintenance(String serviceId, boolean enable, String reason, String token) {
        return maintenanceCheck(MAINTENANCE_PREFIX + serviceId, MAINTENANCE_NAME, serviceId, enable, reason,
                "this service", token);
    }

    /** Consul's node maintenance mode: a critical node check that takes every service here out of passing. */
    public CompletableFuture<Outcome> nodeMaintenance(boolean enable, String reason, String token) {
        return maintenanceCheck(NODE_MAINTENANCE_ID, NODE_MAINTENANCE_NAME, "", enable, reason, "this node", token);
    }

    private CompletableFuture<Outcome> maintenanceCheck(String checkId, String name, String serviceId,
                                                        boolean enable, String reason, String what, String token) {
        if (!enable) {
            return checks.containsKey(checkId) ? deregisterCheck(checkId)
                    : CompletableFuture.completedFuture(new Outcome(0, true, null));
        }
        String notes = reason == null || reason.isEmpty()
                ? "Maintenance mode is enabled for " + what + ", but no reason was provided. This is a default"
                + " message." : reason;
        return registerCheck(new CheckDefinition(checkId, name, serviceId, CheckStatus.CRITICAL, notes,
                null, null, null, Map.of(), null, false, null, null, false, null, null, null, token));
    }

    /**
     * Anti-entropy, as Consul's agents do it: makes the catalog's view of this node match the agent (the node itself
     * is the server's: {@link SelfRegistration#reconcile}). Services
     * and checks the agent has but the catalog lost (or holds differently) are written again, except the tags of a
     * service registered with EnableTagOverride, which the agent takes from the catalog instead; those the
     * catalog has on this node but the agent does not know (after a restart, say) are removed, as the agent
     * token. Writes only what differs, and what its token may write; {@code serfHealth} and the {@code consul}
     * service belong to the server, not the agent, and are left alone.
     */
    public void syncCatalog(Store catalog) {
        if (!restored) {
            return;
        }
        CatalogView view = catalog.query(new Query.CatalogSlice(self.name(), null,
                EnumSet.of(Table.SERVICES, Table.CHECKS))).value();
        Map<String, ServiceInstance> inCatalog = new HashMap<>();
        view.services().forEach(s -> inCatalog.put(s.id(), s));
        for (ServiceInstance s : view.services()) {
            if (!services.containsKey(s.id()) && !s.id().equals(SelfRegistration.CONSUL_SERVICE)
                    && access.mayWriteService("", s.service())) {
                replicator.submit(new Command.DeregisterService(self.name(), s.id()));
            }
        }
        for (ServiceDefinition registered : services.values()) {
            ServiceInstance actual = inCatalog.get(registered.id());
            ServiceDefinition s = registered;
            if (actual != null && s.enableTagOverride() && !actual.tags().equals(s.tags())) {
                // Consul's EnableTagOverride: tags changed through the catalog win, and the agent adopts them.
                s = s.withTags(actual.tags());
                if (services.replace(s.id(), registered, s)) {
                    stateFile.saveService(s);
                }
            }
            ServiceInstance expected = catalogInstance(s);
            if ((actual == null || !sameService(actual, expected)) && mayWrite(s)) {
                List<HealthCheck> checksOfService = new ArrayList<>();
                s.checks().forEach(c -> checksOfService.add(toCatalog(c, results.getOrDefault(c.checkId(),
                        initial(c)))));
                replicator.submit(new Command.CatalogRegister(self, expected, checksOfService));
            }
        }
        Map<String, HealthCheck> catalogChecks = new HashMap<>();
        view.checks().forEach(c -> catalogChecks.put(c.checkId(), c));
        for (HealthCheck c : view.checks()) {
            if (!checks.containsKey(c.checkId()) && !c.checkId().equals(SelfRegistration.SERF_HEALTH)
                    && (c.serviceId().isEmpty() ? access.mayWriteNode("") : access.mayWriteService("",
                    c.serviceName()))) {
                replicator.submit(new Command.DeregisterCheck(self.name(), c.checkId()));
            }
        }
        for (CheckDefinition c : checks.values()) {
            CheckResult result = results.getOrDefault(c.checkId(), initial(c));
            HealthCheck actual = catalogChecks.get(c.checkId());
            boolean same = actual != null && actual.status() == result.status()
                    && actual.output().equals(result.output());
            boolean serviceThere = c.serviceId().isEmpty() || inCatalog.containsKey(c.serviceId());
            if (!same && serviceThere && mayWrite(c)) {
                replicator.submit(new Command.RegisterCheck(toCatalog(c, result)));
            }
        }
    }

    private static boolean sameService(ServiceInstance a, ServiceInstance b) {
        return a.service().equals(b.service()) && a.tags().equals(b.tags()) && a.address().equals(b.address())
                && a.port() == b.port() && a.meta().equals(b.meta()) && a.enableTagOverride() == b.enableTagOverride()
                && a.extras().equals(b.extras());
    }

    /** Removes services whose check has been critical for longer than its DeregisterCriticalServiceAfter. */
    public void reapCriticalServices() {
        long now = System.nanoTime();
        for (CheckDefinition c : checks.values()) {
            Long since = criticalSince.get(c.checkId());
            Duration limit = c.deregisterCriticalServiceAfter();
            if (since != null && limit != null && !c.serviceId().isEmpty() && now - since >= limit.toNanos()) {
                ServiceDefinition service = services.get(c.serviceId());
                if (service != null && mayWrite(service)) {
                    deregister(c.serviceId());
                } else if (service != null) {
                    // Gone here; anti-entropy removes it from the catalog once the agent token may.
                    forgetService(c.serviceId());
                }
            }
        }
    }

    private boolean mayWrite(ServiceDefinition service) {
        return access.mayWriteService(service.token(), service.name());
    }

    private boolean mayWrite(CheckDefinition check) {
        if (check.serviceId().isEmpty()) {
            return access.mayWriteNode(check.token());
        }
        ServiceDefinition service = services.get(check.serviceId());
        return service == null || access.mayWriteService(check.token(), service.name());
    }

    private void track(CheckDefinition check) {
        boolean changed = !Objects.equals(checks.put(check.checkId(), check), check);
        results.putIfAbsent(check.checkId(), initial(check));
        if (changed && !check.type().isEmpty()) {
            runners.start(check);
        }
    }

    private void forget(String checkId) {
        runners.stop(checkId);
        results.remove(checkId);
        criticalSince.remove(checkId);
    }

    private static CheckResult initial(CheckDefinition check) {
        return new CheckResult(check.initialStatus(), "");
    }

    /** A registered service as the catalog holds it on this agent's node. */
    public ServiceInstance catalogInstance(ServiceDefinition s) {
        return new ServiceInstance(self.name(), s.id(), s.name(), s.tags(), s.address(), s.port(), s.meta(),
                s.enableTagOverride(), s.extras(), 0, 0);
    }

    private HealthCheck toCatalog(CheckDefinition c, CheckResult result) {
        return new HealthCheck(self.name(), c.checkId(), c.name(), result.status(), c.notes(), result.output(),
                c.serviceId(), "", c.type(), 0, 0);
    }
}
