package dev.beacon.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.cluster.BeaconCluster;
import dev.beacon.cluster.LocalReplica;
import dev.beacon.cluster.Replicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    /** Times out parked blocking queries; cancelled timers are dropped at once, not left to expire. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService blockingQueryTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "beacon-blocking-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Bean
    BlockingQueries blockingQueries(LocalReplica replica, Replicator replicator,
                                    ScheduledExecutorService blockingQueryTimer, ExecutorService replicaCompletions) {
        return new BlockingQueries(replica.store(), replicator, blockingQueryTimer, replicaCompletions);
    }

    @Bean
    ConsulHeaders consulHeaders(BeaconCluster cluster) {
        return new ConsulHeaders(cluster);
    }
}
