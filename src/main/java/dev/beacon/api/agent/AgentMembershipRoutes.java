package dev.beacon.api.agent;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftMembership;
import dev.beacon.cluster.RaftPeer;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import org.springframework.stereotype.Component;

/**
 * {@code PUT /v1/agent/join/<address>} and {@code PUT /v1/agent/force-leave/<node>}, as far as Raft membership
 * allows. Beacon's servers are all Raft voters and form a cluster through {@code beacon.retry-join}: a join names a
 * server already in this cluster (answered as done) or is refused with how to add a server. A force-leave takes a
 * failed server out of the Raft configuration (as {@code DELETE /v1/operator/raft/peer} does) and its node out of
 * the catalog, which Consul does when a failed node is forced to leave; a live node is refused, for it would
 * only come back.
 */
@Component
class AgentMembershipRoutes implements ApiRoutes {
    private final ClusterView cluster;
    private final RaftMembership membership;
    private final Replicator replicator;

    AgentMembershipRoutes(ClusterView cluster, RaftMembership membership, Replicator replicator) {
        this.cluster = cluster;
        this.membership = membership;
        this.replicator = replicator;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.write("PUT", "/v1/agent/join/", Route.Resource.AGENT, 0, this::join)
                .write("PUT", "/v1/agent/force-leave/", Route.Resource.OPERATOR, 0, this::forceLeave);
    }

    private CompletionStage<ApiResponse> join(ApiRequest request) {
        String address = request.name("Missing address to join");
        if (request.params().flag("wan")) {
            throw ApiException.badRequest("Joining over the WAN is not supported yet (issue 16)");
        }
        boolean known = cluster.members().stream().anyMatch(m -> sameServer(m, address));
        if (!known) {
            throw ApiException.badRequest("Cannot join " + address + ": a running Beacon server does not join "
                    + "another cluster; start the new server with beacon.retry-join naming a server of this one");
        }
        return CompletableFuture.completedFuture(ApiResponse.text(200, ""));
    }

    /** {@code host} or {@code host:port} naming the member (the port, when given, being its Raft port). */
    private static boolean sameServer(ClusterMember member, String address) {
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return member.host().equals(address.substring(0, colon))
                    && Integer.toString(member.port()).equals(address.substring(colon + 1));
        }
        return member.host().equals(address);
    }

    private CompletionStage<ApiResponse> forceLeave(ApiRequest request) {
        String node = request.name("Missing node name");
        if (request.params().flag("wan")) {
            throw ApiException.badRequest("There is no WAN pool to leave yet (issue 16)");
        }
        Optional<ClusterMember> member = cluster.members().stream().filter(m -> m.nodeName().equals(node))
                .findFirst();
        Optional<RaftPeer> peer = cluster.peers().stream().filter(p -> p.nodeName().equals(node)).findFirst();
        if (member.isEmpty() && peer.isEmpty()) {
            throw ApiException.notFound("No node found with name '" + node + "'");
        }
        boolean alive = member.map(ClusterMember::alive).orElse(false)
                || peer.map(p -> cluster.serverLiveness().getOrDefault(p.address(), false)).orElse(false);
        if (alive) {
            throw ApiException.badRequest("Node '" + node + "' is alive: force-leave is for failed nodes; stop "
                    + "it first");
        }
        CompletableFuture<Void> outOfRaft = peer.map(p -> membership.removePeer(p.address()))
                .orElse(CompletableFuture.completedFuture(null));
        return outOfRaft.thenCompose(v -> replicator.submit(new Command.DeregisterNode(node)))
                .thenApply(outcome -> ApiResponse.text(200, ""));
    }
}
