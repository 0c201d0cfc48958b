package dev.beacon.state;

import java.util.List;

/**
 * A consistent copy of the ACL data: what snapshots hold and what ACL reads answer with. Tokens are in accessor
 * order, policies and roles in id order. {@code bootstrapIndex} is 0 until ACLs are bootstrapped.
 */
public record AclTables(List<AclToken> tokens, List<AclPolicy> policies, List<AclRole> roles, long bootstrapIndex) {
    public static final AclTables EMPTY = new AclTables(List.of(), List.of(), List.of(), 0);

    public AclTables {
        tokens = List.copyOf(tokens);
        policies = List.copyOf(policies);
        roles = List.copyOf(roles);
    }
}
