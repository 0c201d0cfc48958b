package dev.beacon.api.operator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftMembership;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;

/**
 * {@code /v1/operator/raft/configuration}, the Raft configuration as Consul shows it, {@code DELETE
 * /v1/operator/raft/peer} to take a dead server out of it, and
 * {@code /v1/operator/storage}, Beacon's own: this server's data against its storage quota and the alarms raised
 * in the cluster (etcd's {@code endpoint status} and {@code alarm list} in one; Consul has no quota).
 */
@Component
class OperatorRoutes implements ApiRoutes {
    private final ClusterView cluster;
    private final RaftMembership membership;
    private final StorageQuota quota;
    private final Store store;

    OperatorRoutes(ClusterView cluster, RaftMembership membership, StorageQuota quota, Store store) {
        this.cluster = cluster;
        this.membership = membership;
        this.quota = quota;
        this.store = store;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/operator/raft/configuration", Route.Resource.OPERATOR, this::raftConfiguration)
                .write("DELETE", "/v1/operator/raft/peer", Route.Resource.OPERATOR, 0, this::removePeer)
                .get("/v1/operator/storage", Route.Resource.OPERATOR, this::storage);
    }

    record RaftServer(@JsonProperty("ID") String id, @JsonProperty("Node") String node,
                      @JsonProperty("Address") String address, @JsonProperty("Leader") boolean leader,
                      @JsonProperty("Voter") boolean voter,
                      @JsonProperty("ProtocolVersion") String protocolVersion) {
    }

    record RaftConfiguration(@JsonProperty("Servers") List<RaftServer> servers, @JsonProperty("Index") long index) {
    }

    record AlarmJson(@JsonProperty("Member") String member, @JsonProperty("Alarm") String alarm) {
    }

    record StorageJson(@JsonProperty("Member") String member, @JsonProperty("UsedBytes") long usedBytes,
                       @JsonProperty("QuotaBytes") long quotaBytes, @JsonProperty("KVKeys") long kvKeys,
                       @JsonProperty("Alarms") List<AlarmJson> alarms,
                       @JsonProperty("ValueFileBytes") long valueFileBytes) {
    }

    private CompletionStage<ApiResponse> raftConfiguration(ApiRequest request) {
        List<RaftServer> servers = cluster.peers().stream()
                .map(p -> new RaftServer(p.address(), p.nodeName(), p.address(), p.leader(), p.voter(), "3"))
                .toList();
        return CompletableFuture.completedFuture(ApiResponse.json(new RaftConfiguration(servers, store.lastIndex())));
    }

    /**
     * Consul's {@code operator raft remove-peer}: {@code ?address=host:port}, or {@code ?id=}, which is the same
     * here (a server's Raft ID is its address). Only a server cluster membership sees as down may be removed: a
     * running one would go on as if it were still a voter.
     */
    private CompletionStage<ApiResponse> removePeer(ApiRequest request) {
        String address = request.params().has("address") ? request.params().get("address")
                : request.params().get("id");
        if (address == null || address.isEmpty()) {
            throw ApiException.badRequest(
                    "Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
        }
        if (cluster.peers().stream().noneMatch(peer -> peer.address().equals(address))) {
            throw ApiException.badRequest("address \"" + address + "\" was not found in the Raft configuration");
        }
        if (cluster.serverLiveness().getOrDefault(address, false)) {
            throw ApiException.badRequest("server \"" + address
                    + "\" is alive: stop it before removing it from the Raft configuration");
        }
        return membership.removePeer(address).thenApply(v -> ApiResponse.text(200, ""));
    }

    private CompletionStage<ApiResponse> storage(ApiRequest request) {
        StorageUsage usage = store.usage();
        List<AlarmJson> alarms = usage.alarms().stream()
                .map(a -> new AlarmJson(a.member(), a.alarm().name()))
                .toList();
        return CompletableFuture.completedFuture(ApiResponse.json(new StorageJson(cluster.settings().localMember(),
                usage.bytes(), quota.quotaBytes(), usage.kvKeys(), alarms, usage.valueFileBytes())));
    }
}
