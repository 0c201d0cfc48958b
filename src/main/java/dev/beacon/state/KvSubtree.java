package dev.beacon.state;

import java.util.List;
import java.util.Map;

/**
 * A key of etcd's tree with everything below it: the key itself as a file ({@code self}, null if it is not one),
 * else the entries under {@code path/}, sorted (a file hides a directory of its name, so they are not read then),
 * and the times to live among them (entry time in milliseconds, by key).
 */
public record KvSubtree(KvEntry self, List<KvEntry> under, Map<String, Long> expiries) {
    public KvSubtree {
        under = List.copyOf(under);
        expiries = Map.copyOf(expiries);
    }

    public long expiry(String key) {
        return expiries.getOrDefault(key, 0L);
    }
}
