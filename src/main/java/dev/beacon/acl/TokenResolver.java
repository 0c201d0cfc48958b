package dev.beacon.acl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclToken;
import dev.beacon.state.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a token's secret to what it may do: its policies, its roles' policies, those that apply in this
 * datacenter, compiled over the default policy. Resolved tokens are kept until the ACL data changes, so a request
 * pays a map lookup; a secret that names no token is not kept (anyone can send many).
 */
public final class TokenResolver {
    private static final Logger log = LoggerFactory.getLogger(TokenResolver.class);

    private final Store store;
    private final String datacenter;
    private final Permissions defaultPolicy;
    private final LongSupplier clock;
    private volatile Cache cache = new Cache(-1, Map.of());

    /** What a secret resolved to; {@code token} is null for a request without one before ACLs were initialized. */
    public record Resolution(AclToken token, Permissions permissions) {
    }

    private record Cache(long aclIndex, Map<String, Resolution> bySecret) {
    }

    /**
     * @param defaultPolicy what no rule covers decides: {@link Permissions#ALLOW_ALL} or {@link Permissions#DENY_ALL}
     * @param clock         milliseconds since the epoch, against which tokens expire
     */
    public TokenResolver(Store store, String datacenter, Permissions defaultPolicy, LongSupplier clock) {
        this.store = store;
        this.datacenter = datacenter;
        this.defaultPolicy = defaultPolicy;
        this.clock = clock;
    }

    /**
     * The token with this secret and its permissions; an empty secret is the anonymous token's.
     *
     * @return null if no token has this secret, or it has expired
     */
    public Resolution resolve(String secret) {
        String key = secret.isEmpty() ? AclToken.ANONYMOUS_SECRET_ID : secret;
        Cache current = current();
        Resolution resolved = current.bySecret().get(key);
        if (resolved == null) {
            AclToken token = store.aclTokenBySecret(key);
            if (token == null) {
                return secret.isEmpty() ? new Resolution(null, defaultPolicy) : null;
            }
            resolved = new Resolution(token, compile(token));
            current.bySecret().put(key, resolved);
        }
        if (resolved.token() != null && resolved.token().expiredAt(clock.getAsLong())) {
            return null;
        }
        return resolved;
    }

    /** The default policy: what a request gets where ACLs leave a decision to it. */
    public Permissions defaultPolicy() {
        return defaultPolicy;
    }

    private Cache current() {
        long index = store.aclIndex();
        Cache current = cache;
        if (current.aclIndex() != index) {
            current = new Cache(index, new ConcurrentHashMap<>());
            cache = current;
        }
        return current;
    }

    private Permissions compile(AclToken token) {
        Set<String> policyIds = new LinkedHashSet<>(token.policies());
        for (String roleId : token.roles()) {
            AclRole role = store.aclRole(roleId);
            if (role != null) {
                policyIds.addAll(role.policies());
            }
        }
        List<Rules> rules = new ArrayList<>();
        for (String policyId : policyIds) {
            AclPolicy policy = store.aclPolicy(policyId);
            if (policy == null || !appliesHere(policy)) {
                continue;
            }
            if (policy.id().equals(AclPolicy.GLOBAL_MANAGEMENT_ID)) {
                return Permissions.MANAGEMENT;
            }
            try {
                rules.add(Rules.parse(policy.rules()));
            } catch (RulesException e) {
                // Rules are checked before they are stored; only rules stored by a version with other checks get here.
                log.warn("ACL policy {} ({}) has rules that do not parse, and grants nothing: {}", policy.name(),
                        policy.id(), e.getMessage());
            }
        }
        return Permissions.compile(rules, defaultPolicy);
    }

    private boolean appliesHere(AclPolicy policy) {
        return policy.datacenters().isEmpty() || policy.datacenters().contains(datacenter);
    }
}
