package dev.beacon.state;

import java.util.List;
import java.util.Objects;

/**
 * A session: a lease that locks in the KV store are bound to. {@code nodeChecks} and {@code serviceChecks} are
 * ids of checks on the session's node; if one goes critical or disappears, the session is invalidated.
 * {@code renewedAt} is the Raft entry time of the creation or last renewal, so expiry is decided from replicated
 * time only. A {@code ttlMillis} of 0 means the session never expires by itself.
 */
public record Session(String id, String name, String node, long lockDelayMillis, SessionBehavior behavior,
                      long ttlMillis, List<String> nodeChecks, List<String> serviceChecks, long createIndex,
                      long modifyIndex, long renewedAt) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(behavior, "behavior");
        name = Text.orEmpty(name);
        nodeChecks = List.copyOf(nodeChecks);
        serviceChecks = List.copyOf(serviceChecks);
    }

    /** True once {@code time} is past the TTL counted from the last renewal. */
    boolean expiredAt(long time) {
        return ttlMillis > 0 && time >= renewedAt + ttlMillis;
    }

    Session renewedAt(long time) {
        return new Session(id, name, node, lockDelayMillis, behavior, ttlMillis, nodeChecks, serviceChecks,
                createIndex, modifyIndex, time);
    }
}
