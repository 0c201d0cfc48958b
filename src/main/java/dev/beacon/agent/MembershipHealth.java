package dev.beacon.agent;

import java.util.List;
import java.util.Map;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.CheckStatus;
import dev.beacon.state.Command;
import dev.beacon.state.HealthCheck;
import dev.beacon.state.Node;
import dev.beacon.state.Store;

/**
 * Node liveness from cluster membership, as Consul derives it from Serf: the leader turns a server's
 * {@code serfHealth} check critical when membership loses it and passing when it is back, so every service on a
 * failed node drops out of passing results. It writes only on a change; other servers only look.
 */
public final class MembershipHealth {
    static final String ALIVE = "Agent alive and reachable";
    static final String FAILED = "Agent not live or unreachable";

    private final ClusterView cluster;
    private final Store store;
    private final Replicator replicator;

    public MembershipHealth(ClusterView cluster, Store store, Replicator replicator) {
        this.cluster = cluster;
        this.store = store;
        this.replicator = replicator;
    }

    /** One pass: run it periodically. */
    public void reconcile() {
        if (!cluster.isReady() || !cluster.isLeader()) {
            return;
        }
        List<HealthCheck> serfChecks = store.checks().value().stream()
                .filter(c -> c.checkId().equals(SelfRegistration.SERF_HEALTH))
                .toList();
        for (Map.Entry<String, Boolean> server : cluster.serverLiveness().entrySet()) {
            String host = server.getKey().substring(0, server.getKey().lastIndexOf(':'));
            CheckStatus wanted = server.getValue() ? CheckStatus.PASSING : CheckStatus.CRITICAL;
            for (HealthCheck check : serfChecks) {
                if (check.status() != wanted && isAt(check.node(), host)) {
                    replicator.submit(new Command.RegisterCheck(new HealthCheck(check.node(), check.checkId(),
                            check.name(), wanted, check.notes(), wanted == CheckStatus.PASSING ? ALIVE : FAILED,
                            "", "", "", 0, 0)));
                }
            }
        }
    }

    private boolean isAt(String nodeName, String host) {
        Node node = store.node(nodeName);
        return node != null && node.address().equals(host);
    }
}
