package dev.beacon.config;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.beacon.api.AnswerWarmUp;
import dev.beacon.api.ApiMetrics;
import dev.beacon.api.ApiPipeline;
import dev.beacon.api.ApiRenderer;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.ApiServerRoute;
import dev.beacon.api.Authorizer;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.DatacenterRouting;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Store;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

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
    BlockingQueries blockingQueries(Store store, Replicator replicator, ClusterView cluster,
                                    ScheduledExecutorService blockingQueryTimer, ExecutorService replicaCompletions) {
        return new BlockingQueries(store, replicator, cluster, blockingQueryTimer, replicaCompletions);
    }


    /** One route table from every feature's routes; a path claimed twice fails the start. */
    @Bean
    ApiPipeline apiPipeline(List<ApiRoutes> features, DatacenterRouting datacenters, Authorizer authorizer,
                            ClusterView cluster) {
        RouteTable.Builder routes = RouteTable.builder();
        features.forEach(feature -> feature.register(routes));
        return new ApiPipeline(routes.build(), datacenters, authorizer, cluster.settings().datacenter());
    }

    @Bean
    ApiRenderer apiRenderer(JsonMapper json, ClusterView cluster) {
        return new ApiRenderer(json, cluster);
    }

    /** Serves /v1 on the HTTP server's connections ahead of Spring's web stack, straight onto the pipeline. */
    @Bean
    ApiServerRoute apiServerRoute(ApiPipeline pipeline, ApiRenderer renderer, ApiMetrics metrics) {
        return new ApiServerRoute(pipeline, renderer, metrics);
    }

    /**
     * Warms the answer path up once the main server listens and this server has joined. Only over plain HTTP: with
     * {@code ports.http=-1} the main server speaks HTTPS, and the warm-up is skipped.
     */
    @Bean
    ApplicationListener<WebServerInitializedEvent> answerWarmUp(BeaconProperties properties, ClusterView cluster,
                                                                ApiMetrics metrics) {
        return event -> {
            boolean mainServer = event.getApplicationContext().getServerNamespace() == null;
            if (mainServer && properties.warmsUp() && properties.ports().httpOn()) {
                AnswerWarmUp warmUp = new AnswerWarmUp(properties.clientAddress(), event.getWebServer().getPort(),
                        metrics::answered);
                cluster.whenReady().thenRun(warmUp::startInBackground);
            }
        };
    }

    @Bean
    ApiMetrics apiMetrics(MeterRegistry registry) {
        return new ApiMetrics(registry);
    }
}
