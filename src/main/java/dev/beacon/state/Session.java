package dev.beacon.state;

import java.util.List;
import java.util.Objects;

/**
 * A session: a lease that locks in the KV store are bound to. {@code renewedAt} is the Raft entry time of the
 * creation or last renewal, so expiry is decided from replicated time only.
 */
public record Session(String id, String name, String node, long lockDelayMillis, SessionBehavior behavior,
                      long ttlMillis, List<String> checks, long createIndex, long modifyIndex, long renewedAt) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(behavior, "behavior");
        name = Text.orEmpty(name);
        checks = List.copyOf(checks);
    }
}
