package dev.beacon.state;

import java.util.List;
import java.util.Objects;

/** An ACL role: a named set of policies that tokens link to instead of listing the policies themselves. */
public record AclRole(String id, String name, String description, List<String> policies, long createIndex,
                      long modifyIndex) {

    public AclRole {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        description = Text.orEmpty(description);
        policies = List.copyOf(policies);
    }

    AclRole at(long createIndex, long modifyIndex) {
        return new AclRole(id, name, description, policies, createIndex, modifyIndex);
    }
}
