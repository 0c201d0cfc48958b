package dev.beacon.state;

import java.util.List;
import java.util.Objects;

/**
 * An ACL token. The {@code accessorId} names it (safe to log and show); the {@code secretId} is what a client sends,
 * and is never logged. {@code policies} and {@code roles} are ids; a link to one since deleted is ignored.
 * {@code createTime} and {@code expirationTime} are Raft entry times in milliseconds; an expiration of 0 means the
 * token does not expire.
 */
public record AclToken(String accessorId, String secretId, String description, List<String> policies,
                       List<String> roles, boolean local, long createTime, long expirationTime, long createIndex,
                       long modifyIndex) {
    /** The token of requests that carry none, with Consul's fixed ids. */
    public static final String ANONYMOUS_ACCESSOR_ID = "00000000-0000-0000-0000-000000000002";
    public static final String ANONYMOUS_SECRET_ID = "anonymous";

    public AclToken {
        Objects.requireNonNull(accessorId, "accessorId");
        Objects.requireNonNull(secretId, "secretId");
        description = Text.orEmpty(description);
        policies = List.copyOf(policies);
        roles = List.copyOf(roles);
    }

    static AclToken anonymous(long index, long time) {
        return new AclToken(ANONYMOUS_ACCESSOR_ID, ANONYMOUS_SECRET_ID, "Anonymous Token", List.of(), List.of(),
                false, time, 0, index, index);
    }

    /** Whether it has expired at {@code time} (milliseconds since the epoch). */
    public boolean expiredAt(long time) {
        return expirationTime > 0 && time >= expirationTime;
    }

    AclToken at(long createTime, long expirationTime, long createIndex, long modifyIndex) {
        return new AclToken(accessorId, secretId, description, policies, roles, local, createTime, expirationTime,
                createIndex, modifyIndex);
    }

    /** Secrets are never logged: this is what a log or an error message may show. */
    @Override
    public String toString() {
        return "AclToken[" + accessorId + "]";
    }
}
