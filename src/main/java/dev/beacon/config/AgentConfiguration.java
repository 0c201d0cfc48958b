package dev.beacon.config;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.beacon.agent.AgentStateFiles;
import dev.beacon.agent.CheckRunners;
import dev.beacon.agent.LocalAgent;
import dev.beacon.agent.MembershipHealth;
import dev.beacon.agent.SelfRegistration;
import dev.beacon.agent.SyncAccess;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Node;
import dev.beacon.state.Store;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class AgentConfiguration {

    /**
     * This node as the catalog knows it; the agent registers everything under it. Tagged addresses and meta as a
     * Consul server gives its own node (the WAN address defaults to the advertised one): clients such as
     * consul-client refuse a node without {@code wan}.
     */
    @Bean
    Node agentNode(NodeIdentity identity, BeaconProperties properties) {
        String address = properties.bindAddress();
        String family = address.contains(":") ? "_ipv6" : "_ipv4";
        return new Node(identity.name(), identity.id(), address, properties.datacenter(),
                Map.of("lan", address, "lan" + family, address, "wan", address, "wan" + family, address),
                Map.of("consul-network-segment", ""), 0, 0);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    SelfRegistration selfRegistration(ClusterView cluster, Replicator replicator, Node agentNode,
                                      BeaconProperties properties) {
        return new SelfRegistration(cluster, replicator, agentNode, properties.ports().raft());
    }

    /** Runs check probes and TTL timers; probes block (TCP connects), so a few threads. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService checkScheduler() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(4, r -> {
            Thread thread = new Thread(r, "beacon-check-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    @Bean
    IdleMemory idleMemory(ScheduledExecutorService checkScheduler, BeaconProperties properties) {
        return IdleMemory.start(checkScheduler, properties.singleServer());
    }

    @Bean
    MembershipHealth membershipHealth(ClusterView cluster, Store store, Replicator replicator,
                                      ScheduledExecutorService checkScheduler) {
        MembershipHealth health = new MembershipHealth(cluster, store, replicator);
        checkScheduler.scheduleWithFixedDelay(health::reconcile, 1, 1, TimeUnit.SECONDS);
        return health;
    }

    @Bean
    LocalAgent localAgent(Replicator replicator, SyncAccess syncAccess, Node agentNode, ScheduledExecutorService checkScheduler,
                          ClusterView cluster, Store store, BeaconProperties properties,
                          JsonMapper json, SelfRegistration selfRegistration) {
        AgentStateFiles stateFile = new AgentStateFiles(properties.dataDir().resolve("agent"), json);
        LocalAgent agent = new LocalAgent(replicator, syncAccess, agentNode, stateFile,
                self -> new CheckRunners(checkScheduler, self::report));
        cluster.whenReady().thenRun(() -> restoreWhenWritable(agent, checkScheduler));
        checkScheduler.scheduleWithFixedDelay(agent::reapCriticalServices, 1, 1, TimeUnit.SECONDS);
        long sync = properties.agent().syncInterval().toMillis();
        checkScheduler.scheduleWithFixedDelay(() -> {
            if (cluster.isReady() && cluster.leader().isPresent()) {
                selfRegistration.reconcile(store);
                agent.syncCatalog(store);
            }
        }, sync, sync, TimeUnit.MILLISECONDS);
        return agent;
    }

    /** Right after joining, a leader may not be known yet: retry the restore until it goes through. */
    private static void restoreWhenWritable(LocalAgent agent, ScheduledExecutorService scheduler) {
        agent.restore().whenComplete((v, error) -> {
            if (error != null) {
                scheduler.schedule(() -> restoreWhenWritable(agent, scheduler), 1, TimeUnit.SECONDS);
            }
        });
    }
}
