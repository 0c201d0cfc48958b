package dev.beacon.config;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.beacon.acl.AclInitializer;
import dev.beacon.acl.ConfiguredTokens;
import dev.beacon.acl.Permissions;
import dev.beacon.acl.TokenReaper;
import dev.beacon.acl.TokenResolver;
import dev.beacon.agent.SyncAccess;
import dev.beacon.api.AllowAll;
import dev.beacon.api.Authorizer;
import dev.beacon.api.BlockingQueries;
import dev.beacon.api.acl.AclAuthorizer;
import dev.beacon.api.acl.AclRoutes;
import dev.beacon.api.acl.AgentSyncAccess;
import dev.beacon.api.acl.AgentTokenRoutes;
import dev.beacon.api.acl.Callers;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Store;
import dev.beacon.ui.UiAccess;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** ACLs: the authorize stage, the token resolver behind it, the ACL endpoints, and the leader's ACL duties. */
@Configuration(proxyBeanMethods = false)
class AclConfiguration {

    @Bean
    TokenResolver tokenResolver(Store store, BeaconProperties properties) {
        Permissions defaultPolicy = properties.acl().defaultPolicy().equals("deny") ? Permissions.DENY_ALL
                : Permissions.ALLOW_ALL;
        return new TokenResolver(store, properties.datacenter(), defaultPolicy, System::currentTimeMillis);
    }

    @Bean
    ConfiguredTokens configuredTokens(BeaconProperties properties) {
        BeaconProperties.AclTokens tokens = properties.acl().tokens();
        return new ConfiguredTokens(tokens.defaultToken(), tokens.agent(), tokens.dns());
    }

    @Bean
    Callers callers(TokenResolver resolver, ConfiguredTokens tokens) {
        return new Callers(resolver, tokens);
    }

    /** With ACLs on, the agent's own catalog writes act as their registration's token, or the agent token. */
    @Bean
    SyncAccess syncAccess(BeaconProperties properties, Callers callers, ConfiguredTokens tokens, ClusterView cluster,
                          MeterRegistry registry) {
        return properties.acl().enabled()
                ? new AgentSyncAccess(callers, tokens, cluster.settings().nodeName(), registry) : SyncAccess.OPEN;
    }

    @Bean
    Authorizer authorizer(BeaconProperties properties, Callers callers, ClusterView cluster,
                          MeterRegistry registry) {
        return properties.acl().enabled() ? new AclAuthorizer(callers, cluster.settings().nodeName())
                : new AllowAll(registry);
    }

    /** The UI resolves the token a visitor set on its token page as the API resolves a request's. */
    @Bean
    UiAccess uiAccess(BeaconProperties properties, Callers callers) {
        return properties.acl().enabled() ? UiAccess.with(callers::of) : UiAccess.off();
    }

    @Bean
    AclRoutes aclRoutes(BeaconProperties properties, Replicator replicator, BlockingQueries queries,
                        JsonMapper json) {
        return new AclRoutes(properties.acl().enabled(), replicator, queries, json, System::currentTimeMillis);
    }

    @Bean
    AgentTokenRoutes agentTokenRoutes(BeaconProperties properties, ConfiguredTokens tokens, JsonMapper json) {
        return new AgentTokenRoutes(properties.acl().enabled(), tokens, json);
    }

    /** With ACLs on, the leader keeps the builtin policy, the anonymous token and the initial management token. */
    @Bean
    AclInitializer aclInitializer(BeaconProperties properties, ClusterView cluster, Store store,
                                  Replicator replicator, ScheduledExecutorService checkScheduler) {
        AclInitializer initializer = new AclInitializer(() -> cluster.isReady() && cluster.isLeader(), store,
                replicator::submit, properties.acl().tokens().initialManagement());
        if (properties.acl().enabled()) {
            checkScheduler.scheduleWithFixedDelay(initializer::ensure, 1, 1, TimeUnit.SECONDS);
        }
        return initializer;
    }

    /** With ACLs on, the leader deletes tokens once they have expired. */
    @Bean
    TokenReaper tokenReaper(BeaconProperties properties, ClusterView cluster, Store store, Replicator replicator,
                            ScheduledExecutorService checkScheduler) {
        TokenReaper reaper = new TokenReaper(() -> cluster.isReady() && cluster.isLeader(), store,
                replicator::submit, System::currentTimeMillis);
        if (properties.acl().enabled()) {
            checkScheduler.scheduleWithFixedDelay(reaper::reap, 5, 5, TimeUnit.SECONDS);
        }
        return reaper;
    }
}
