package dev.beacon.config;

import dev.beacon.cluster.ClusterView;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} and its readiness group say whether this server can serve writes and consistent reads:
 * only once it has joined the cluster and knows a leader. A server still joining (or cut off from a majority)
 * answers 503, so a load balancer or orchestrator sends it no traffic meanwhile; liveness does not include this,
 * since a restart would not bring a lost majority back.
 */
@Component("cluster")
class ClusterHealth implements HealthIndicator {
    private final ClusterView cluster;

    ClusterHealth(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public Health health() {
        if (!cluster.isReady()) {
            return Health.outOfService().withDetail("joined", false).build();
        }
        return cluster.leader()
                .map(leader -> Health.up().withDetail("joined", true).withDetail("leader", leader)
                        .withDetail("term", cluster.term()).build())
                .orElseGet(() -> Health.outOfService().withDetail("joined", true).withDetail("leader", "")
                        .build());
    }
}
