package dev.beacon.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.CountingReplicator;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.cluster.RaftTls;
import dev.beacon.cluster.atomix.AtomixCluster;
import dev.beacon.cluster.atomix.AtomixReplicator;
import dev.beacon.state.Store;
import dev.beacon.state.ValueLog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BeaconProperties.class)
public class ClusterConfiguration {

    @Bean
    NodeIdentity nodeIdentity(BeaconProperties properties) {
        return NodeIdentity.load(properties);
    }

    @Bean
    ClusterSettings clusterSettings(BeaconProperties properties, NodeIdentity identity) {
        if (!properties.server()) {
            throw new IllegalArgumentException("beacon.server=false (client agents) is not supported yet");
        }
        return ClusterSettings.of(identity.name(), properties.datacenter(), properties.bindAddress(),
                properties.ports().raft(), properties.bootstrapExpect(), properties.retryJoin(),
                properties.dataDir(), properties.raft().segmentSize().toBytes(),
                Math.toIntExact(properties.raft().maxEntrySize().toBytes()),
                new RaftTimeouts(properties.raft().electionTimeout(), properties.raft().heartbeatInterval()));
    }

    /** Answers parked blocking queries, so that request work never runs on the Raft apply thread. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService replicaCompletions() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "beacon-completion-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * This server's copy of the replicated state: the Raft state machine applies to it; local reads read it. Its
     * KV values are kept in files in the data directory, out of the heap.
     */
    @Bean
    Store store(BeaconProperties properties) {
        return new Store(ValueLog.inDirectory(properties.dataDir().resolve("values")));
    }

    /**
     * Starts joining the cluster as soon as the cluster is built rather than once the context is up, so that
     * Atomix's startup (most of it waiting on its own threads) overlaps the rest of the context's. It leaves the
     * cluster last on shutdown: destroy methods run after the HTTP server has stopped taking requests, and
     * after every bean that uses the cluster.
     */
    @Bean(destroyMethod = "stop")
    AtomixCluster atomixCluster(ClusterSettings settings, Store store, BeaconProperties properties) {
        OutOfMemoryExit.warnIfOff();
        UnreachablePeerLog.install();
        BeaconProperties.Tls tls = properties.tls();
        RaftTls raftTls = null;
        if (tls.enabled()) {
            raftTls = TlsStores.forRaft(TlsStores.bundle(tls), settings.dataDir().resolve("tls"));
            TlsHandshakeLog.install();
        }
        AtomixCluster cluster = new AtomixCluster(settings, store, raftTls);
        cluster.start();
        return cluster;
    }

    /** Counted for etcd's proposal metrics ({@code /metrics} on the etcd port). */
    @Bean
    CountingReplicator replicator(AtomixCluster cluster, ExecutorService replicaCompletions) {
        return new CountingReplicator(new AtomixReplicator(cluster, replicaCompletions));
    }
}
