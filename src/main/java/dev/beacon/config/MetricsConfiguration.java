package dev.beacon.config;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.state.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beacon's own gauges, next to the JVM and HTTP metrics Actuator already exports. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    Gauge parkedWatches(MeterRegistry registry, Store store) {
        return Gauge.builder("beacon.watches.parked", store, s -> s.watchCount())
                .description("Blocking queries parked on this server, waiting for a change")
                .register(registry);
    }

    @Bean
    Gauge appliedIndex(MeterRegistry registry, Store store) {
        return Gauge.builder("beacon.raft.applied.index", store, s -> s.lastIndex())
                .description("Raft index of the last command applied to this server's replica")
                .register(registry);
    }

    @Bean
    Gauge storageUsedGauge(MeterRegistry registry, Store store) {
        return Gauge.builder("beacon.storage.used", store, s -> s.usage().bytes())
                .baseUnit("bytes")
                .description("Estimated heap held by this server's data, counted against the storage quota")
                .register(registry);
    }

    @Bean
    Gauge storageQuotaGauge(MeterRegistry registry, StorageQuota quota) {
        return Gauge.builder("beacon.storage.quota", quota, StorageQuota::quotaBytes)
                .baseUnit("bytes")
                .description("This server's storage quota (beacon.storage-quota)")
                .register(registry);
    }

    @Bean
    Gauge noSpaceAlarmGauge(MeterRegistry registry, Store store) {
        return Gauge.builder("beacon.storage.alarm.nospace", store, s -> s.usage().noSpace() ? 1 : 0)
                .description("1 while a NOSPACE alarm is raised: writes that add data are refused")
                .register(registry);
    }

    @Bean
    Gauge isLeader(MeterRegistry registry, ClusterView cluster) {
        return Gauge.builder("beacon.raft.leader", cluster, c -> c.isLeader() ? 1 : 0)
                .description("1 while this server is the Raft leader")
                .register(registry);
    }
}
