package dev.beacon.api.status;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftPeer;
import org.springframework.stereotype.Component;

/** {@code /v1/status}: the Raft leader and peers, as {@code host:port} strings. */
@Component
class StatusRoutes implements ApiRoutes {
    private final ClusterView cluster;

    StatusRoutes(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/status/leader", Route.Resource.NONE, this::leader)
                .get("/v1/status/peers", Route.Resource.NONE, this::peers);
    }

    /** The leader's address, or an empty string while there is none, as Consul answers. */
    private CompletionStage<ApiResponse> leader(ApiRequest request) {
        return CompletableFuture.completedFuture(ApiResponse.json(cluster.leader().orElse("")));
    }

    private CompletionStage<ApiResponse> peers(ApiRequest request) {
        return CompletableFuture.completedFuture(
                ApiResponse.json(cluster.peers().stream().map(RaftPeer::address).toList()));
    }
}
