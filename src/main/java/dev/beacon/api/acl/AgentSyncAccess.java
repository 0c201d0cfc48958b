package dev.beacon.api.acl;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.beacon.acl.ConfiguredTokens;
import dev.beacon.agent.SyncAccess;
import dev.beacon.api.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With ACLs on, the agent's own catalog writes act as the token their registration carried, as Consul's agents
 * sync, or else the agent token ({@code beacon.acl.tokens.agent}, then the default token): when the registration
 * carried none, and (unlike Consul, whose sync then stays blocked until the service is registered again) when its
 * token has since been deleted or has expired. A refused write is counted ({@code beacon.agent.sync.blocked}) and
 * logged once until that service or node may be written again.
 */
public final class AgentSyncAccess implements SyncAccess {
    private static final Logger log = LoggerFactory.getLogger(AgentSyncAccess.class);

    private final Callers callers;
    private final ConfiguredTokens tokens;
    private final String nodeName;
    private final Counter blocked;
    private final Set<String> blockedSubjects = ConcurrentHashMap.newKeySet();

    public AgentSyncAccess(Callers callers, ConfiguredTokens tokens, String nodeName, MeterRegistry registry) {
        this.callers = callers;
        this.tokens = tokens;
        this.nodeName = nodeName;
        this.blocked = Counter.builder("beacon.agent.sync.blocked")
                .description("catalog writes of the agent's own that its token may not make").register(registry);
    }

    @Override
    public boolean mayWriteService(String token, String service) {
        Caller caller = actingAs(token);
        return outcome(caller != null && caller.permissions().serviceWrite(service), "service \"" + service + "\"",
                "service:write");
    }

    @Override
    public boolean mayWriteNode(String token) {
        Caller caller = actingAs(token);
        return outcome(caller != null && caller.permissions().nodeWrite(nodeName), "node \"" + nodeName + "\"",
                "node:write");
    }

    private Caller actingAs(String registrationToken) {
        Caller registrant = registrationToken.isEmpty() ? null : callers.of(registrationToken);
        return registrant != null ? registrant : callers.of(tokens.agent());
    }

    private boolean outcome(boolean allowed, String subject, String permission) {
        if (allowed) {
            if (blockedSubjects.remove(subject)) {
                log.info("Catalog sync of {} is allowed again", subject);
            }
            return true;
        }
        blocked.increment();
        if (blockedSubjects.add(subject)) {
            log.warn("Catalog sync of {} blocked by ACLs: its registration's token (or the agent token) lacks {}",
                    subject, permission);
        }
        return false;
    }
}
