package dev.beacon.config;

import dev.beacon.agent.SelfRegistration;
import dev.beacon.cluster.BeaconCluster;
import dev.beacon.cluster.Replicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AgentConfiguration {

    @Bean(initMethod = "start")
    SelfRegistration selfRegistration(BeaconCluster cluster, Replicator replicator, NodeIdentity identity,
                                      BeaconProperties properties) {
        return new SelfRegistration(cluster, replicator, identity.id(), properties.bindAddress());
    }
}
