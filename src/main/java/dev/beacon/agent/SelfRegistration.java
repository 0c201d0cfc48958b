package dev.beacon.agent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this node into the catalog once it has joined the cluster, with Consul's node-level {@code serfHealth}
 * check passing. Retries until it succeeds: right after joining, the cluster may still be electing a leader.
 */
public final class SelfRegistration {
    public static final String SERF_HEALTH = "serfHealth";
    private static final Logger log = LoggerFactory.getLogger(SelfRegistration.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterView cluster;
    private final Replicator replicator;
    private final Node node;

    public SelfRegistration(ClusterView cluster, Replicator replicator, Node node) {
        this.cluster = cluster;
        this.replicator = replicator;
        this.node = node;
    }

    public void start() {
        cluster.whenReady().thenRun(this::register);
    }

    private void register() {
        String name = node.name();
        HealthCheck serfHealth = new HealthCheck(name, SERF_HEALTH, "Serf Health Status", CheckStatus.PASSING, "",
                "Agent alive and reachable", "", "", "", 0, 0);
        replicator.submit(new Command.RegisterNode(node))
                .thenCompose(outcome -> replicator.submit(new Command.RegisterCheck(serfHealth)))
                .whenComplete((outcome, error) -> {
                    if (error != null || !outcome.success()) {
                        log.info("Registering {} in the catalog did not succeed yet ({}); retrying", name,
                                error != null ? error.getMessage() : outcome.error());
                        Executor later = CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                        later.execute(this::register);
                    } else {
                        log.info("Registered node {} ({}) in the catalog", name, node.address());
                    }
                });
    }
}
