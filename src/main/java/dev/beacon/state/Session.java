package dev.beacon.state;

import java.util.List;

/**
 * A session: a lease that locks in the KV store are bound to. {@code renewedAt} is the Raft entry time of the
 * creation or last renewal, so expiry is decided from replicated time only.
 */
public record Session(String id, String name, String node, long lockDelayMillis, SessionBehavior behavior,
                      long ttlMillis, List<String> checks, long createIndex, long modifyIndex, long renewedAt) {

    public Session {
        checks = List.copyOf(checks);
    }
}
