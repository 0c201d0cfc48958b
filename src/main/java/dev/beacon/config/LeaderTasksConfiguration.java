package dev.beacon.config;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.KeyExpiry;
import dev.beacon.cluster.LogCompaction;
import dev.beacon.cluster.Replicator;
import dev.beacon.cluster.SessionExpiry;
import dev.beacon.cluster.StorageQuota;
import dev.beacon.cluster.TombstoneReaper;
import dev.beacon.state.StorageUsage;
import dev.beacon.state.Store;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The timers only the leader acts on: session TTL expiry, key TTL expiry and KV tombstone reaping. Every server
 * runs them, so a new leader takes over at once; on followers a pass does nothing. Also the storage quota's check
 * and log compaction, which every server does for itself.
 */
@Configuration(proxyBeanMethods = false)
class LeaderTasksConfiguration {
    /** Consul's tombstone_ttl. */
    static final Duration TOMBSTONE_TTL = Duration.ofMinutes(15);

    @Bean
    SessionExpiry sessionExpiry(ClusterView cluster, Store store, Replicator replicator,
                                ScheduledExecutorService checkScheduler) {
        SessionExpiry expiry = new SessionExpiry(() -> leading(cluster), store, replicator::submit,
                System::currentTimeMillis, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        checkScheduler.scheduleWithFixedDelay(expiry::expireLapsed, 1, 1, TimeUnit.SECONDS);
        return expiry;
    }

    @Bean
    KeyExpiry keyExpiry(ClusterView cluster, Store store, Replicator replicator,
                        ScheduledExecutorService checkScheduler) {
        KeyExpiry expiry = new KeyExpiry(() -> leading(cluster), store, replicator::submit, System::currentTimeMillis);
        checkScheduler.scheduleWithFixedDelay(expiry::expireLapsed, 250, 250, TimeUnit.MILLISECONDS);
        return expiry;
    }

    @Bean
    TombstoneReaper tombstoneReaper(ClusterView cluster, Store store, Replicator replicator,
                                    ScheduledExecutorService checkScheduler) {
        TombstoneReaper reaper = new TombstoneReaper(() -> leading(cluster), store, replicator::submit,
                System::currentTimeMillis, TOMBSTONE_TTL);
        checkScheduler.scheduleWithFixedDelay(reaper::reap, 1, 1, TimeUnit.MINUTES);
        return reaper;
    }

    /** Every server watches its own quota; the alarm it raises holds on all of them. */
    @Bean
    StorageQuota storageQuota(ClusterView cluster, Store store, BeaconProperties properties, Replicator replicator,
                              ScheduledExecutorService checkScheduler) {
        long bytes = properties.storageQuota() != null ? properties.storageQuota().toBytes()
                : StorageQuota.forHeap(Runtime.getRuntime().maxMemory());
        File dataDir = properties.dataDir().toFile();
        // getUsableSpace answers 0 for a path that is not there: no directory yet is no disk to watch yet.
        StorageQuota.Disk disk = new StorageQuota.Disk(
                () -> dataDir.exists() ? dataDir.getUsableSpace() : Long.MAX_VALUE,
                properties.raft().segmentSize().toBytes());
        StorageQuota quota = new StorageQuota(cluster.settings().localMember(), bytes, store,
                replicator::submit, disk);
        checkScheduler.scheduleWithFixedDelay(() -> {
            if (cluster.isReady()) {
                quota.check();
            }
        }, 1000, 250, TimeUnit.MILLISECONDS);
        return quota;
    }

    /** Every server compacts its own log; see {@link LogCompaction#compactWhenLogOutgrows}. */
    @Bean
    Runnable logCompaction(LogCompaction compaction, Store store, ScheduledExecutorService checkScheduler) {
        Runnable compactWhenDue = () -> {
            StorageUsage usage = store.usage();
            compaction.compactWhenLogOutgrows(usage.bytes() + usage.valueFileBytes());
        };
        checkScheduler.scheduleWithFixedDelay(compactWhenDue, 5, 5, TimeUnit.SECONDS);
        return compactWhenDue;
    }

    private static boolean leading(ClusterView cluster) {
        return cluster.isReady() && cluster.isLeader();
    }
}
