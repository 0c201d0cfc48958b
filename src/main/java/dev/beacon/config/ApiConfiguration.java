package dev.beacon.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.beacon.api.BlockingQueries;
import dev.beacon.api.ConsulHeaders;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Store;
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
    BlockingQueries blockingQueries(Store store, Replicator replicator,
                                    ScheduledExecutorService blockingQueryTimer, ExecutorService replicaCompletions) {
        return new BlockingQueries(store, replicator, blockingQueryTimer, replicaCompletions);
    }

    @Bean
    ConsulHeaders consulHeaders(ClusterView cluster) {
        return new ConsulHeaders(cluster);
    }
}
