package dev.beacon.api.acl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclTables;
import dev.beacon.state.AclToken;

/** One read of the ACL tables, with the lookups an ACL request needs (by id, name, accessor or secret). */
final class AclItems {
    private final AclTables tables;
    private final Map<String, AclToken> tokens = new HashMap<>();
    private final Map<String, AclToken> tokensBySecret = new HashMap<>();
    private final Map<String, AclPolicy> policies = new HashMap<>();
    private final Map<String, AclPolicy> policiesByName = new HashMap<>();
    private final Map<String, AclRole> roles = new HashMap<>();
    private final Map<String, AclRole> rolesByName = new HashMap<>();

    AclItems(AclTables tables) {
        this.tables = tables;
        for (AclToken t : tables.tokens()) {
            tokens.put(t.accessorId(), t);
            tokensBySecret.put(t.secretId(), t);
        }
        for (AclPolicy p : tables.policies()) {
            policies.put(p.id(), p);
            policiesByName.put(p.name(), p);
        }
        for (AclRole r : tables.roles()) {
            roles.put(r.id(), r);
            rolesByName.put(r.name(), r);
        }
    }

    List<AclToken> tokens() {
        return tables.tokens();
    }

    List<AclPolicy> policies() {
        return tables.policies();
    }

    List<AclRole> roles() {
        return tables.roles();
    }

    long bootstrapIndex() {
        return tables.bootstrapIndex();
    }

    Optional<AclToken> token(String accessorId) {
        return Optional.ofNullable(tokens.get(accessorId));
    }

    Optional<AclToken> tokenBySecret(String secretId) {
        return Optional.ofNullable(tokensBySecret.get(secretId));
    }

    Optional<AclPolicy> policy(String id) {
        return Optional.ofNullable(policies.get(id));
    }

    Optional<AclPolicy> policyByName(String name) {
        return Optional.ofNullable(policiesByName.get(name));
    }

    Optional<AclRole> role(String id) {
        return Optional.ofNullable(roles.get(id));
    }

    Optional<AclRole> roleByName(String name) {
        return Optional.ofNullable(rolesByName.get(name));
    }
}
