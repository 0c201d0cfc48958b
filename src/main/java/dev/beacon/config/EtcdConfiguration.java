package dev.beacon.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.beacon.acl.Permissions;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.Caller;
import dev.beacon.api.acl.Callers;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.CountingReplicator;
import dev.beacon.cluster.Replicator;
import dev.beacon.cluster.atomix.AtomixCluster;
import dev.beacon.cluster.atomix.FollowerProbe;
import dev.beacon.etcd.EtcdClusterInfo;
import dev.beacon.etcd.EtcdHttpServer;
import dev.beacon.etcd.EtcdMetrics;
import dev.beacon.etcd.EtcdRoutes;
import dev.beacon.etcd.EtcdStoreCounters;
import dev.beacon.etcd.FollowerLatencies;
import dev.beacon.state.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The etcd v2 front door on {@code beacon.ports.etcd} (2379; -1 turns it off), over the same store as the Consul
 * API, on the HTTP server's event loops. Whether it is on is decided here when the server starts, not by a bean
 * condition: the packaged server's bean definitions are fixed at build time (Spring AOT), its settings are not.
 */
@Configuration(proxyBeanMethods = false)
class EtcdConfiguration {

    @Bean
    EtcdStoreCounters etcdStoreCounters() {
        return new EtcdStoreCounters();
    }

    /** Follower round trips, sampled on the leader for {@code /v2/stats/leader}. */
    @Bean
    FollowerLatencies followerLatencies(AtomixCluster atomix, BeaconProperties properties) {
        FollowerLatencies latencies = new FollowerLatencies();
        if (properties.ports().etcdOn()) {
            new FollowerProbe(atomix, latencies::success, latencies::failure).start();
        }
        return latencies;
    }

    @Bean
    EtcdClusterInfo etcdClusterInfo(ClusterView cluster, BeaconProperties properties,
                                    ScheduledExecutorService checkScheduler) {
        EtcdClusterInfo info = new EtcdClusterInfo(cluster, properties.ports().etcd());
        if (properties.ports().etcdOn()) {
            // So that leaderInfo.startTime is when this server saw the leader, not when stats were first asked for.
            checkScheduler.scheduleWithFixedDelay(info::observeLeader, 1, 1, TimeUnit.SECONDS);
        }
        return info;
    }

    /** etcd's metrics under etcd's names, then this server's own (none if Prometheus export is off). */
    @Bean
    EtcdMetrics etcdMetrics(ClusterView cluster, EtcdClusterInfo info, EtcdStoreCounters counters,
                            CountingReplicator proposals, Store store,
                            ObjectProvider<PrometheusMeterRegistry> prometheus) {
        return new EtcdMetrics(cluster, info, counters, proposals, store::lastIndex, store::expiredKeys, () -> {
            PrometheusMeterRegistry registry = prometheus.getIfAvailable();
            return registry == null ? "" : registry.scrape();
        });
    }

    @Bean
    EtcdRoutes etcdRoutes(Store store, Replicator replicator, BlockingQueries queries, ClusterView cluster,
                          EtcdClusterInfo info, EtcdStoreCounters counters, FollowerLatencies latencies,
                          EtcdMetrics metrics, BeaconProperties properties, Callers callers,
                          ExecutorService replicaCompletions) {
        return EtcdRoutes.over(store, replicator, queries, cluster, info, counters, latencies, metrics,
                permissions(properties, callers), replicaCompletions);
    }

    /** No server (a null bean) with the port off. */
    @Bean
    @Nullable
    EtcdHttpServer etcdHttpServer(BeaconProperties properties, EtcdRoutes routes, JsonMapper json,
                                  ReactorResourceFactory resources) {
        if (!properties.ports().etcdOn()) {
            return null;
        }
        return new EtcdHttpServer(properties.clientAddress(), properties.ports().etcd(), routes, json,
                resources.getLoopResources());
    }

    /**
     * With ACLs on, an etcd request acts as its {@code X-Consul-Token} (or the default or anonymous token) under
     * Consul's key rules; a token that does not resolve may do nothing.
     */
    private static Function<String, Permissions> permissions(BeaconProperties properties, Callers callers) {
        if (!properties.acl().enabled()) {
            return token -> Permissions.MANAGEMENT;
        }
        return token -> {
            Caller caller = callers.of(token);
            return caller == null ? Permissions.DENY_ALL : caller.permissions();
        };
    }
}
