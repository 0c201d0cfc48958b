package dev.beacon.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The key/value table with its tombstones. A deleted key leaves a tombstone at the delete's index so that the
 * index of a prefix never goes backwards and a watcher of a deleted key wakes up. Reaped tombstones raise
 * {@code reapedFloor}, which stands in for them from then on, for the same reason.
 */
final class KvTable {
    private final TreeMap<String, KvEntry> entries = new TreeMap<>();
    private final TreeMap<String, Long> tombstones = new TreeMap<>();
    private long reapedFloor;

    KvEntry get(String key) {
        return entries.get(key);
    }

    long keyIndex(String key) {
        KvEntry entry = entries.get(key);
        if (entry != null) {
            return entry.modifyIndex();
        }
        return Math.max(tombstones.getOrDefault(key, 0L), reapedFloor);
    }

    long prefixIndex(String prefix) {
        long max = reapedFloor;
        for (KvEntry e : under(entries, prefix).values()) {
            max = Math.max(max, e.modifyIndex());
        }
        for (long tombstone : under(tombstones, prefix).values()) {
            max = Math.max(max, tombstone);
        }
        return max;
    }

    List<KvEntry> list(String prefix) {
        return new ArrayList<>(under(entries, prefix).values());
    }

    Outcome set(long index, Command.KvSet c, Changes changes) {
        KvEntry existing = entries.get(c.key());
        if (!casMatches(existing, c.cas())) {
            return Outcome.refused(index);
        }
        long created = existing == null ? index : existing.createIndex();
        long lockIndex = existing == null ? 0 : existing.lockIndex();
        String session = existing == null ? null : existing.session();
        put(new KvEntry(c.key(), c.value(), c.flags(), created, index, lockIndex, session), changes);
        return Outcome.ok(index);
    }

    Outcome delete(long index, Command.KvDelete c, Changes changes) {
        if (c.recurse()) {
            for (String key : new ArrayList<>(under(entries, c.key()).keySet())) {
                remove(key, index, changes);
            }
            return Outcome.ok(index);
        }
        KvEntry existing = entries.get(c.key());
        if (existing == null) {
            return Outcome.ok(index);
        }
        if (c.cas() != Command.NO_CAS && existing.modifyIndex() != c.cas()) {
            return Outcome.refused(index);
        }
        remove(c.key(), index, changes);
        return Outcome.ok(index);
    }

    /** Releases, or deletes, every key locked by the session. */
    void invalidateSession(String sessionId, SessionBehavior behavior, long index, Changes changes) {
        List<KvEntry> held = entries.values().stream().filter(e -> sessionId.equals(e.session())).toList();
        for (KvEntry e : held) {
            if (behavior == SessionBehavior.DELETE) {
                remove(e.key(), index, changes);
            } else {
                put(new KvEntry(e.key(), e.value(), e.flags(), e.createIndex(), index, e.lockIndex(), null),
                        changes);
            }
        }
    }

    void reap(long upToIndex) {
        tombstones.values().removeIf(tombstone -> {
            if (tombstone <= upToIndex) {
                reapedFloor = Math.max(reapedFloor, tombstone);
                return true;
            }
            return false;
        });
    }

    private static boolean casMatches(KvEntry existing, long cas) {
        if (cas == Command.NO_CAS) {
            return true;
        }
        return cas == 0 ? existing == null : existing != null && existing.modifyIndex() == cas;
    }

    private void put(KvEntry entry, Changes changes) {
        entries.put(entry.key(), entry);
        tombstones.remove(entry.key());
        changes.key(entry.key());
    }

    private void remove(String key, long index, Changes changes) {
        entries.remove(key);
        tombstones.put(key, index);
        changes.key(key);
    }

    private static <V> NavigableMap<String, V> under(NavigableMap<String, V> map, String prefix) {
        String end = prefixEnd(prefix);
        return end == null ? map.tailMap(prefix, true) : map.subMap(prefix, true, end, false);
    }

    /** The smallest string greater than every string that starts with prefix, or null if there is none. */
    static String prefixEnd(String prefix) {
        StringBuilder end = new StringBuilder(prefix);
        while (end.length() > 0) {
            char last = end.charAt(end.length() - 1);
            if (last != Character.MAX_VALUE) {
                end.setCharAt(end.length() - 1, (char) (last + 1));
                return end.toString();
            }
            end.setLength(end.length() - 1);
        }
        return null;
    }

    Map<String, KvEntry> entries() {
        return entries;
    }

    Map<String, Long> tombstones() {
        return tombstones;
    }

    long reapedFloor() {
        return reapedFloor;
    }

    void restore(List<KvEntry> restoredEntries, Map<String, Long> restoredTombstones, long restoredFloor) {
        entries.clear();
        tombstones.clear();
        restoredEntries.forEach(e -> entries.put(e.key(), e));
        tombstones.putAll(restoredTombstones);
        reapedFloor = restoredFloor;
    }
}
