package dev.beacon.state;

import java.util.Collection;
import java.util.List;

/**
 * ACL tokens, policies and roles, with the lookups the API and authorization need: a token by its secret, a
 * policy or role by its name. Names and secrets are unique; {@link AclCommands} keeps them so.
 */
final class AclTable {
    private static final String BOOTSTRAP = "bootstrap";

    private final KeyedTwice<AclToken> tokens;
    private final KeyedTwice<AclPolicy> policies;
    private final KeyedTwice<AclRole> roles;
    /** The index ACLs were bootstrapped at, under one key; absent until then. */
    private final JournaledMap<String, Long> bootstrapped;

    AclTable(Journal journal) {
        tokens = new KeyedTwice<>(journal, AclToken::accessorId, AclToken::secretId);
        policies = new KeyedTwice<>(journal, AclPolicy::id, AclPolicy::name);
        roles = new KeyedTwice<>(journal, AclRole::id, AclRole::name);
        bootstrapped = JournaledMap.of(journal);
    }

    AclToken token(String accessorId) {
        return tokens.get(accessorId);
    }

    AclToken tokenBySecret(String secretId) {
        return tokens.bySecondKey(secretId);
    }

    Collection<AclToken> tokens() {
        return tokens.all();
    }

    void putToken(AclToken token) {
        tokens.put(token);
    }

    void removeToken(String accessorId) {
        tokens.remove(accessorId);
    }

    AclPolicy policy(String id) {
        return policies.get(id);
    }

    AclPolicy policyByName(String name) {
        return policies.bySecondKey(name);
    }

    void putPolicy(AclPolicy policy) {
        policies.put(policy);
    }

    void removePolicy(String id) {
        policies.remove(id);
    }

    AclRole role(String id) {
        return roles.get(id);
    }

    AclRole roleByName(String name) {
        return roles.bySecondKey(name);
    }

    void putRole(AclRole role) {
        roles.put(role);
    }

    void removeRole(String id) {
        roles.remove(id);
    }

    /** The index of the bootstrap, or 0 if ACLs were never bootstrapped. */
    long bootstrapIndex() {
        Long index = bootstrapped.get(BOOTSTRAP);
        return index == null ? 0 : index;
    }

    void markBootstrapped(long index) {
        bootstrapped.put(BOOTSTRAP, index);
    }

    void restore(AclTables restored) {
        tokens.clear();
        policies.clear();
        roles.clear();
        bootstrapped.clear();
        restored.tokens().forEach(tokens::put);
        restored.policies().forEach(policies::put);
        restored.roles().forEach(roles::put);
        if (restored.bootstrapIndex() > 0) {
            markBootstrapped(restored.bootstrapIndex());
        }
    }

    AclTables snapshot() {
        return new AclTables(List.copyOf(tokens.all()), List.copyOf(policies.all()), List.copyOf(roles.all()),
                bootstrapIndex());
    }
}
