package dev.beacon.api.operator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import org.springframework.stereotype.Component;

/**
 * {@code /v1/operator/raft/configuration}, the Raft configuration as Consul shows it, and
 * {@code /v1/operator/storage}, Beacon's own: this server's data against its storage quota and the alarms raised
 * in the cluster (etcd's {@code endpoint status} and {@code alarm list} in one; Consul has no quota).
 */
@Component
class OperatorRoutes implements ApiRoutes {
    private final ClusterView cluster;
    private final StorageQuota quota;
    private final Store store;

    OperatorRoutes(ClusterView cluster, StorageQuota quota, Store store) {
        this.cluster = cluster;
        this.quota = quota;
        this.store = store;
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/operator/raft/configuration", Route.Resource.OPERATOR, this::raftConfiguration)
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

    private CompletionStage<ApiResponse> storage(ApiRequest request) {
        StorageUsage usage = store.usage();
        List<AlarmJson> alarms = usage.alarms().stream()
                .map(a -> new AlarmJson(a.member(), a.alarm().name()))
                .toList();
        return CompletableFuture.completedFuture(ApiResponse.json(new StorageJson(cluster.settings().localMember(),
                usage.bytes(), quota.quotaBytes(), usage.kvKeys(), alarms, usage.valueFileBytes())));
    }
}
