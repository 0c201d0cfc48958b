package dev.beacon.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/operator/storage}: this server's data against its storage quota, and the alarms raised in the
 * cluster (etcd's {@code endpoint status} and {@code alarm list} in one). Beacon's own; Consul has no quota.
 */
@RestController
class StorageController {
    private final ClusterView cluster;
    private final StorageQuota quota;
    private final Store store;

    StorageController(ClusterView cluster, StorageQuota quota, Store store) {
        this.cluster = cluster;
        this.quota = quota;
        this.store = store;
    }

    record AlarmJson(@JsonProperty("Member") String member, @JsonProperty("Alarm") String alarm) {
    }

    record StorageJson(@JsonProperty("Member") String member, @JsonProperty("UsedBytes") long usedBytes,
                       @JsonProperty("QuotaBytes") long quotaBytes, @JsonProperty("KVKeys") long kvKeys,
                       @JsonProperty("Alarms") List<AlarmJson> alarms) {
    }

    @GetMapping("/v1/operator/storage")
    StorageJson storage() {
        StorageUsage usage = store.usage();
        List<AlarmJson> alarms = usage.alarms().stream()
                .map(a -> new AlarmJson(a.member(), a.alarm().name()))
                .toList();
        return new StorageJson(cluster.settings().localMember(), usage.bytes(), quota.quotaBytes(), usage.kvKeys(),
                alarms);
    }
}
