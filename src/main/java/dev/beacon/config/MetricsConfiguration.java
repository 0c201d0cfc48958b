package dev.beacon.config;

import dev.beacon.cluster.BeaconCluster;
import dev.beacon.cluster.LocalReplica;
import dev.beacon.cluster.StorageQuota;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beacon's own gauges, next to the JVM and HTTP metrics Actuator already exports. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    Gauge parkedWatches(MeterRegistry registry, LocalReplica replica) {
        return Gauge.builder("beacon.watches.parked", replica.store(), s -> s.watchCount())
                .description("Blocking queries parked on this server, waiting for a change")
                .register(registry);
    }

    @Bean
    Gauge appliedIndex(MeterRegistry registry, LocalReplica replica) {
        return Gauge.builder("beacon.raft.applied.index", replica.store(), s -> s.lastIndex())
                .description("Raft index of the last command applied to this server's replica")
                .register(registry);
    }

    @Bean
    Gauge storageUsedGauge(MeterRegistry registry, LocalReplica replica) {
        return Gauge.builder("beacon.storage.used", replica.store(), s -> s.usage().bytes())
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
    Gauge noSpaceAlarmGauge(MeterRegistry registry, LocalReplica replica) {
        return Gauge.builder("beacon.storage.alarm.nospace", replica.store(), s -> s.usage().noSpace() ? 1 : 0)
                .description("1 while a NOSPACE alarm is raised: writes that add data are refused")
                .register(registry);
    }

    @Bean
    Gauge isLeader(MeterRegistry registry, BeaconCluster cluster) {
        return Gauge.builder("beacon.raft.leader", cluster, c -> c.isLeader() ? 1 : 0)
                .description("1 while this server is the Raft leader")
                .register(registry);
    }
}
