package dev.beacon.agent;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CatalogView;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Query;
import dev.beacon.state.ServiceInstance;
import dev.beacon.state.Store;
import dev.beacon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this node into the catalog once it has joined the cluster, with Consul's node-level {@code serfHealth}
 * check passing and, as every Consul server does, the {@code consul} service on its Raft port (tools look for it,
 * and {@code consul.service.consul} then resolves). Retries until it succeeds: right after joining, the cluster
 * may still be electing a leader. Afterwards {@link #reconcile} puts back what a catalog write took away (a
 * registration that replaced the node, a deregistration, a snapshot restored from another cluster), as Consul's
 * agents re-sync their node and its leader re-adds a live member's {@code serfHealth}.
 */
public final class SelfRegistration {
    public static final String SERF_HEALTH = "serfHealth";
    /** The service every server registers for itself; the agent's anti-entropy leaves it alone, as Consul's does. */
    public static final String CONSUL_SERVICE = "consul";
    /** What Consul's servers put in their {@code consul} service's meta that holds for Beacon too. */
    private static final Map<String, String> CONSUL_SERVICE_META = Map.of(
            "raft_version", "3", "non_voter", "false", "read_replica", "false");
    private static final Logger log = LoggerFactory.getLogger(SelfRegistration.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterView cluster;
    private final Replicator replicator;
    private final Node node;
    private final int raftPort;
    /** Set once the first registration went through: until then {@link #register} retries by itself. */
    private volatile boolean registered;
    /** Set when the server stops: a retry due after that would find the cluster client closed. */
    private volatile boolean stopped;

    public SelfRegistration(ClusterView cluster, Replicator replicator, Node node, int raftPort) {
        this.cluster = cluster;
        this.replicator = replicator;
        this.node = node;
        this.raftPort = raftPort;
    }

    public void start() {
        cluster.whenReady().thenRun(this::register);
    }

    public void stop() {
        stopped = true;
    }

    private void register() {
        if (stopped) {
            return;
        }
        String name = node.name();
        replicator.submit(new Command.RegisterNode(node))
                .thenCompose(outcome -> replicator.submit(new Command.RegisterCheck(serfHealth())))
                .thenCompose(outcome -> outcome.success() ? replicator.submit(new Command.RegisterService(consul()))
                        : CompletableFuture.completedFuture(outcome))
                .whenComplete((outcome, error) -> {
                    if (error != null || !outcome.success()) {
                        log.info("Registering {} in the catalog did not succeed yet ({}); retrying", name,
                                error != null ? error.getMessage() : outcome.error());
                        Executor later = CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                        later.execute(this::register);
                    } else {
                        log.info("Registered node {} ({}) in the catalog", name, node.address());
                        registered = true;
                    }
                });
    }

    /**
     * Writes again this node, its {@code serfHealth} check or its {@code consul} service where the catalog lost
     * them or holds the node differently. The check comes back passing; the leader's {@link MembershipHealth}
     * decides its status from there. Run it periodically, with anti-entropy.
     */
    public void reconcile(Store catalog) {
        if (!registered) {
            return;
        }
        CatalogView view = catalog.query(new Query.CatalogSlice(node.name(), null,
                EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS))).value();
        Node inCatalog = view.nodes().isEmpty() ? null : view.nodes().get(0);
        if (!sameNode(inCatalog)) {
            replicator.submit(new Command.RegisterNode(node));
        }
        if (view.checks().stream().noneMatch(c -> c.checkId().equals(SERF_HEALTH))) {
            replicator.submit(new Command.RegisterCheck(serfHealth()));
        }
        if (view.services().stream().noneMatch(s -> s.id().equals(CONSUL_SERVICE))) {
            replicator.submit(new Command.RegisterService(consul()));
        }
    }

    /** Whether the catalog holds this node as it is (a catalog registration may have replaced it). */
    private boolean sameNode(Node inCatalog) {
        return inCatalog != null && inCatalog.id().equals(node.id()) && inCatalog.address().equals(node.address())
                && inCatalog.datacenter().equals(node.datacenter())
                && inCatalog.taggedAddresses().equals(node.taggedAddresses()) && inCatalog.meta().equals(node.meta());
    }

    private HealthCheck serfHealth() {
        return new HealthCheck(node.name(), SERF_HEALTH, "Serf Health Status", CheckStatus.PASSING, "",
                MembershipHealth.ALIVE, "", "", "", 0, 0);
    }

    private ServiceInstance consul() {
        return new ServiceInstance(node.name(), CONSUL_SERVICE, CONSUL_SERVICE, List.of(), "", raftPort,
                CONSUL_SERVICE_META, false, 0, 0);
    }
}
