package dev.beacon.config;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.BeaconCluster;
import dev.beacon.cluster.LocalReplica;
import dev.beacon.cluster.Replicator;
import dev.beacon.cluster.SessionExpiry;
import dev.beacon.cluster.TombstoneReaper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The timers only the leader acts on: session TTL expiry and KV tombstone reaping. Every server runs them, so
 * a new leader takes over at once; on followers a pass does nothing.
 */
@Configuration(proxyBeanMethods = false)
class LeaderTasksConfiguration {
    /** Consul's tombstone_ttl. */
    static final Duration TOMBSTONE_TTL = Duration.ofMinutes(15);

    @Bean
    SessionExpiry sessionExpiry(BeaconCluster cluster, LocalReplica replica, Replicator replicator,
                                ScheduledExecutorService checkScheduler) {
        SessionExpiry expiry = new SessionExpiry(() -> leading(cluster), replica.store(), replicator::submit,
                System::currentTimeMillis);
        checkScheduler.scheduleWithFixedDelay(expiry::expireLapsed, 1, 1, TimeUnit.SECONDS);
        return expiry;
    }

    @Bean
    TombstoneReaper tombstoneReaper(BeaconCluster cluster, LocalReplica replica, Replicator replicator,
                                    ScheduledExecutorService checkScheduler) {
        TombstoneReaper reaper = new TombstoneReaper(() -> leading(cluster), replica.store(), replicator::submit,
                System::currentTimeMillis, TOMBSTONE_TTL);
        checkScheduler.scheduleWithFixedDelay(reaper::reap, 1, 1, TimeUnit.MINUTES);
        return reaper;
    }

    private static boolean leading(BeaconCluster cluster) {
        return cluster.isReady() && cluster.isLeader();
    }
}
