package dev.beacon.state;

import java.util.List;
import java.util.Map;

/**
 * A key of etcd's tree with everything below it: the key itself as a file ({@code self}, null if it is not one),
 * else the entries under {@code path/}, sorted (a file hides a directory of its name, so they are not read then),
 * and the times to live among them (entry time in milliseconds, by key).
 *
 * @param absence where etcd's walk down to the key stops when there is nothing at it; null when there is
 */
public record KvSubtree(KvEntry self, List<KvEntry> under, Map<String, Long> expiries, Absence absence) {
    public KvSubtree {
        under = List.copyOf(under);
        expiries = Map.copyOf(expiries);
    }

    public long expiry(String key) {
        return expiries.getOrDefault(key, 0L);
    }

    /**
     * Where etcd's walk down a path stops: at a file on the way ({@code throughFile}: etcd's "Not a directory"), or
     * at the first key on the way that does not exist ("Key not found"); {@code key} without etcd's leading slash.
     */
    public record Absence(String key, boolean throughFile) {
    }
}
