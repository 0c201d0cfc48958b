package dev.beacon.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The key/value table with its tombstones. A deleted key leaves a tombstone at the delete's index, so that the
 * index of a prefix never goes backwards and a watcher of a deleted key wakes up.
 * <p>
 * Reaping a tombstone must not lower any index either. Its index is kept as a floor at the longest prefix the
 * dead key shares with a live key: every prefix of the dead key that still lists live entries is a prefix of that
 * one, and picks the floor up; prefixes of other keys never see it. A prefix with no live key under it reports the
 * KV table index, as Consul does for an empty prefix, which is at least any index it reported before.
 * <p>
 * Values live in a {@link ValueLog}; a row holds where. Reads hand out {@link KvEntry}s with the value copied out,
 * so nothing outside the store's lock ever points into the log.
 */
final class KvTable {
    /** Live entries, weighing their {@link Footprint}. */
    private final JournaledMap<String, Row> entries;
    /** Deleted keys with the index of their delete, weighing their {@link Footprint}. */
    private final JournaledMap<String, Long> tombstones;
    private final JournaledMap<String, Long> reapedFloors;
    /** Keys released by an invalidated session, with the entry time until which nobody may lock them. */
    private final JournaledMap<String, Long> lockDelays;
    /** Keys with a time to live, with the entry time at which they expire (etcd's TTL, Beacon's {@code ?ttl=}). */
    private final JournaledMap<String, Long> expiries;

    private final ValueLog values;

    /** One entry as stored: its value's place in the log instead of the value ({@code valueLength} -1 for none). */
    private record Row(String key, long valueRef, int valueLength, long flags, long createIndex, long modifyIndex,
                       long lockIndex, String session) {
        Row changed(long modifyIndex, long lockIndex, String session) {
            return new Row(key, valueRef, valueLength, flags, createIndex, modifyIndex, lockIndex, session);
        }

        KvEntry withValue(byte[] value) {
            return new KvEntry(key, value, flags, createIndex, modifyIndex, lockIndex, session);
        }

        Row movedTo(long reference) {
            return new Row(key, reference, valueLength, flags, createIndex, modifyIndex, lockIndex, session);
        }
    }

    KvTable(Journal journal, ValueLog values) {
        this.values = values;
        boolean valuesOnHeap = values.onHeapStorage();
        entries = new JournaledMap<>(journal, KeyOrder.CODE_POINTS,
                (key, row) -> Footprint.entry(key, valuesOnHeap ? row.valueLength() : 0));
        tombstones = new JournaledMap<>(journal, KeyOrder.CODE_POINTS, (key, index) -> Footprint.tombstone(key));
        reapedFloors = new JournaledMap<>(journal, KeyOrder.CODE_POINTS, (key, index) -> 0);
        lockDelays = new JournaledMap<>(journal, KeyOrder.CODE_POINTS, (key, until) -> 0);
        expiries = new JournaledMap<>(journal, KeyOrder.CODE_POINTS, (key, at) -> Footprint.tombstone(key));
    }

    KvEntry get(String key) {
        Row row = entries.get(key);
        return row == null ? null : entry(row);
    }

    /** The key's entry with its value left out (null), or null if it does not exist; reads nothing from the log. */
    KvEntry getWithoutValue(String key) {
        Row row = entries.get(key);
        return row == null ? null : row.withValue(null);
    }

    /** The key's ModifyIndex, or 0 if it does not exist (the caller then reports the table index). */
    long keyIndex(String key) {
        Row row = entries.get(key);
        return row == null ? 0 : row.modifyIndex();
    }

    /**
     * The highest index of the live entries, tombstones and reaped floors under a prefix; 0 if no live entry is
     * under it (the caller then reports the table index). Without a live entry, what is left under the prefix
     * may be older than a tombstone reaped away from it, so only the table index is sure not to go backwards.
     */
    long prefixIndex(String prefix) {
        NavigableMap<String, Row> live = under(entries.view(), prefix);
        if (live.isEmpty()) {
            return 0;
        }
        long max = 0;
        for (Row e : live.values()) {
            max = Math.max(max, e.modifyIndex());
        }
        for (long tombstone : under(tombstones.view(), prefix).values()) {
            max = Math.max(max, tombstone);
        }
        for (long floor : under(reapedFloors.view(), prefix).values()) {
            max = Math.max(max, floor);
        }
        return max;
    }

    List<KvEntry> list(String prefix) {
        List<KvEntry> list = new ArrayList<>();
        for (Row row : under(entries.view(), prefix).values()) {
            list.add(entry(row));
        }
        return list;
    }

    List<String> keys(String prefix) {
        return new ArrayList<>(under(entries.view(), prefix).keySet());
    }

    /**
     * The entries as they are now, readable with their values from any thread until closed while commands go on:
     * what a snapshot is written from. Only the rows are copied; their values stay where they are, pinned.
     */
    Frozen freeze() {
        return new Frozen(entries.view().values().toArray(new Row[0]), values.pin());
    }

    /** See {@link #freeze}. */
    static final class Frozen implements AutoCloseable {
        private final Row[] rows;
        private final ValueLog.Pin values;

        private Frozen(Row[] rows, ValueLog.Pin values) {
            this.rows = rows;
            this.values = values;
        }

        int size() {
            return rows.length;
        }

        /** Every entry in key order, each value read as the iteration reaches it. */
        Iterable<KvEntry> entries() {
            return () -> Arrays.stream(rows).map(row -> row.withValue(values.read(row.valueRef(), row.valueLength())))
                    .iterator();
        }

        @Override
        public void close() {
            values.close();
        }
    }

    /** Sets a key (honouring cas); {@code expiry} is when it expires (entry time), 0 for never. */
    Outcome set(long index, Command.KvSet c, Changes changes, long expiry) {
        Row existing = entries.get(c.key());
        if (!casMatches(existing, c.cas())) {
            return Outcome.refused(index);
        }
        return setRow(index, c.key(), c.value(), c.flags(), c.cas(), existing, changes, expiry);
    }

    /** As {@link #set} with no time to live, but a write that would change nothing succeeds and writes nothing. */
    Outcome setIfChanged(long index, Command.KvSetIfChanged c, Changes changes) {
        Row existing = entries.get(c.key());
        if (!casMatches(existing, c.cas())) {
            return Outcome.refused(index);
        }
        if (existing != null && existing.flags() == c.flags() && expiry(c.key()) == 0
                && sameValue(existing, c.value())) {
            return Outcome.ok(index);
        }
        return setRow(index, c.key(), c.value(), c.flags(), c.cas(), existing, changes, 0);
    }

    private boolean sameValue(Row row, byte[] value) {
        int length = value == null ? -1 : value.length;
        return row.valueLength() == length
                && (length <= 0 || Arrays.equals(values.read(row.valueRef(), row.valueLength()), value));
    }

    /** Writes the key over {@code existing} (null: a new key), keeping its lock and session. */
    private Outcome setRow(long index, String key, byte[] value, long flags, long cas, Row existing, Changes changes,
                           long expiry) {
        long created = existing == null ? index : existing.createIndex();
        long lockIndex = existing == null ? 0 : existing.lockIndex();
        String session = existing == null ? null : existing.session();
        String action = cas == Command.NO_CAS ? KvEvent.SET : cas == 0 ? KvEvent.CREATE : KvEvent.COMPARE_AND_SWAP;
        put(row(key, value, flags, created, index, lockIndex, session), value, changes, action, expiry);
        return Outcome.ok(index);
    }

    /**
     * Takes the key's lock for a session that exists (the caller checks); a new holder bumps LockIndex. Refused
     * while another session holds it, or while the key is in its lock delay at entry time {@code time}.
     */
    Outcome lock(long index, long time, Command.KvLock c, Changes changes) {
        Row existing = entries.get(c.key());
        if (existing != null && existing.session() != null && !existing.session().equals(c.session())) {
            return Outcome.refused(index);
        }
        Long delayedUntil = lockDelays.get(c.key());
        if (delayedUntil != null) {
            if (time < delayedUntil) {
                return Outcome.refused(index);
            }
            lockDelays.remove(c.key());
        }
        boolean newHolder = existing == null || !c.session().equals(existing.session());
        long created = existing == null ? index : existing.createIndex();
        long lockIndex = (existing == null ? 0 : existing.lockIndex()) + (newHolder ? 1 : 0);
        put(row(c.key(), c.value(), c.flags(), created, index, lockIndex, c.session()), c.value(), changes,
                KvEvent.SET, expiry(c.key()));
        return Outcome.ok(index);
    }

    /** Releases the key's lock if the session holds it, setting its value as it goes. */
    Outcome unlock(long index, Command.KvUnlock c, Changes changes) {
        Row existing = entries.get(c.key());
        if (existing == null || !c.session().equals(existing.session())) {
            return Outcome.refused(index);
        }
        put(row(c.key(), c.value(), c.flags(), existing.createIndex(), index, existing.lockIndex(), null), c.value(),
                changes,
                KvEvent.SET, expiry(c.key()));
        return Outcome.ok(index);
    }

    /**
     * Writes a key for etcd's tree, keeping its lock index and session if it exists, and its create index unless
     * {@code anew} (etcd's set replaces a key, which then counts as created by this write), recording
     * {@code action}; {@code expiry} 0 for none.
     */
    void write(String key, byte[] value, long index, long expiry, String action, boolean anew, Changes changes) {
        Row existing = entries.get(key);
        long created = existing == null || anew ? index : existing.createIndex();
        long flags = existing == null ? 0 : existing.flags();
        long lockIndex = existing == null ? 0 : existing.lockIndex();
        String session = existing == null ? null : existing.session();
        put(row(key, value, flags, created, index, lockIndex, session), value, changes, action, expiry);
    }

    /** Deletes one key, recording {@code action}; nothing if it does not exist. */
    void removeKey(String key, long index, String action, Changes changes) {
        if (entries.containsKey(key)) {
            remove(key, index, changes, action);
        }
    }

    boolean exists(String key) {
        return entries.containsKey(key);
    }

    /** Whether some live key starts with {@code prefix}. */
    boolean anyUnder(String prefix) {
        String next = entries.view().ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /** Whether some live key other than {@code prefix} itself starts with it. */
    boolean anyBelow(String prefix) {
        String next = entries.view().higherKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /** The keys whose time to live has passed at entry time {@code time}, with their expiry, in key order. */
    Map<String, Long> expiredAt(long time) {
        Map<String, Long> due = new java.util.TreeMap<>(KeyOrder.CODE_POINTS);
        expiries.view().forEach((key, at) -> {
            if (at <= time) {
                due.put(key, at);
            }
        });
        return due;
    }

    /** Every expiry under a prefix. */
    Map<String, Long> expiriesUnder(String prefix) {
        return under(expiries.view(), prefix);
    }

    /** Deletes a key (honouring cas) or, with recurse, every key under the prefix (cas does not apply). */
    Outcome delete(long index, Command.KvDelete c, Changes changes) {
        if (c.recurse()) {
            removeTree(c.key(), index, changes, KvEvent.DELETE);
            return Outcome.ok(index);
        }
        Row existing = entries.get(c.key());
        if (existing == null) {
            return Outcome.ok(index);
        }
        if (c.cas() != Command.NO_CAS && existing.modifyIndex() != c.cas()) {
            return Outcome.refused(index);
        }
        remove(c.key(), index, changes, c.cas() == Command.NO_CAS ? KvEvent.DELETE : KvEvent.COMPARE_AND_DELETE);
        return Outcome.ok(index);
    }

    /**
     * Releases, or deletes, every key locked by the session; with a {@code lockDelayUntil} above 0 no session can
     * lock those keys again before that entry time.
     */
    void invalidateSession(String sessionId, SessionBehavior behavior, long index, long lockDelayUntil,
                           Changes changes) {
        List<Row> held = entries.view().values().stream().filter(e -> sessionId.equals(e.session())).toList();
        for (Row e : held) {
            if (lockDelayUntil > 0) {
                lockDelays.put(e.key(), lockDelayUntil);
            }
            if (behavior == SessionBehavior.DELETE) {
                remove(e.key(), index, changes, KvEvent.DELETE);
            } else {
                put(e.changed(index, e.lockIndex(), null), entry(e).value(), changes, KvEvent.SET, expiry(e.key()));
            }
        }
    }

    /** Forgets tombstones at or below {@code upToIndex}, keeping their indexes as floors (see class comment). */
    void reap(long upToIndex) {
        // Copied out first: a TreeMap entry may be reused for its successor once removed.
        List<Map.Entry<String, Long>> due = tombstones.view().entrySet().stream()
                .filter(tombstone -> tombstone.getValue() <= upToIndex)
                .map(tombstone -> Map.entry(tombstone.getKey(), tombstone.getValue())).toList();
        for (Map.Entry<String, Long> tombstone : due) {
            String floorAt = longestLivePrefix(tombstone.getKey());
            Long floor = reapedFloors.get(floorAt);
            if (floor == null || floor < tombstone.getValue()) {
                reapedFloors.put(floorAt, tombstone.getValue());
            }
            tombstones.remove(tombstone.getKey());
        }
    }

    /** The longest prefix of {@code key} that some live key also starts with; never splits a surrogate pair. */
    private String longestLivePrefix(String key) {
        int shared = Math.max(commonPrefix(key, entries.view().lowerKey(key)),
                commonPrefix(key, entries.view().higherKey(key)));
        if (shared > 0 && Character.isHighSurrogate(key.charAt(shared - 1))) {
            shared--;
        }
        return key.substring(0, shared);
    }

    private static int commonPrefix(String a, String b) {
        if (b == null) {
            return 0;
        }
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static boolean casMatches(Row existing, long cas) {
        if (cas == Command.NO_CAS) {
            return true;
        }
        return cas == 0 ? existing == null : existing != null && existing.modifyIndex() == cas;
    }

    private Row row(String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex,
                    String session) {
        return new Row(key, values.append(value), value == null ? -1 : value.length, flags, createIndex,
                modifyIndex, lockIndex, session);
    }

    private KvEntry entry(Row row) {
        return row.withValue(values.read(row.valueRef(), row.valueLength()));
    }

    /**
     * Writes a row, recording the change as an event of {@code action}.
     *
     * @param value  the row's value, which the event holds (so that it need not be read back from the log)
     * @param expiry when the key expires (entry time), 0 for never
     */
    private void put(Row row, byte[] value, Changes changes, String action, long expiry) {
        long previousExpiry = expiry(row.key());
        Row previous = entries.put(row.key(), row);
        tombstones.remove(row.key());
        setExpiry(row.key(), expiry);
        changes.key(row.key());
        changes.kvEvent(new KvEvent(action, row.modifyIndex(), row.withValue(value),
                previous == null ? null : entry(previous),
                expiry, previousExpiry));
    }

    private void setExpiry(String key, long expiry) {
        if (expiry > 0) {
            expiries.put(key, expiry);
        } else {
            expiries.remove(key);
        }
    }

    /** When the key expires (entry time in milliseconds), or 0 if it has no time to live. */
    long expiry(String key) {
        Long at = expiries.get(key);
        return at == null ? 0 : at;
    }

    /**
     * Takes back the room of overwritten and deleted values once enough has piled up. Runs between commands,
     * never inside one: an undo may still point at a value a command replaced.
     */
    void reclaimValues() {
        if (!values.reclaimDue()) {
            return;
        }
        ValueLog.Reclaim reclaim = values.reclaim();
        for (Row row : entries.view().values()) {
            reclaim.live(row.valueRef(), row.valueLength());
        }
        List<Row> moved = new ArrayList<>();
        for (Row row : entries.view().values()) {
            if (reclaim.isMoving(row.valueRef(), row.valueLength())) {
                moved.add(row.movedTo(reclaim.move(row.valueRef(), row.valueLength())));
            }
        }
        moved.forEach(row -> entries.put(row.key(), row));
        reclaim.finish();
    }

    private void remove(String key, long index, Changes changes, String action) {
        Row previous = entries.remove(key);
        long previousExpiry = expiry(key);
        tombstones.put(key, index);
        expiries.remove(key);
        changes.key(key);
        if (previous != null) {
            changes.kvEvent(new KvEvent(action, index, new KvEntry(key, null, previous.flags(),
                    previous.createIndex(), index, previous.lockIndex(), null), entry(previous), 0, previousExpiry));
        }
    }

    /**
     * Removes every key under a prefix (and the prefix itself as a key, which is always under it) as one event on
     * the prefix, as etcd records a recursive delete of a directory.
     */
    void removeTree(String prefix, long index, Changes changes, String action) {
        Row top = entries.get(prefix);
        long topExpiry = expiry(prefix);
        List<String> doomed = new ArrayList<>(under(entries.view(), prefix).keySet());
        if (doomed.isEmpty()) {
            return;
        }
        // A directory with no folder key of its own is as old as its oldest key, as etcd's listings show it.
        long oldest = Long.MAX_VALUE;
        for (String key : doomed) {
            oldest = Math.min(oldest, entries.get(key).createIndex());
            entries.remove(key);
            tombstones.put(key, index);
            expiries.remove(key);
            changes.key(key);
        }
        long created = top == null ? oldest : top.createIndex();
        KvEntry before = top == null ? new KvEntry(prefix, null, 0, oldest, oldest, 0, null) : entry(top);
        changes.kvEvent(new KvEvent(action, index, new KvEntry(prefix, null, 0, created, index, 0, null),
                before, 0, topExpiry));
    }

    /** Estimated heap held by this table's entries and tombstones, in bytes. */
    long footprint() {
        return entries.weight() + tombstones.weight();
    }

    int size() {
        return entries.size();
    }

    /** What the value log holds outside the heap, dead values included; 0 when it keeps them on the heap. */
    long valueFileBytes() {
        return values.onHeapStorage() ? 0 : values.totalBytes();
    }

    /**
     * The entries whose key starts with prefix. In code-point order they follow the prefix without a gap, so
     * the range ends at the first key that does not start with it.
     */
    private static <V> NavigableMap<String, V> under(NavigableMap<String, V> map, String prefix) {
        NavigableMap<String, V> tail = map.tailMap(prefix, true);
        for (String key : tail.keySet()) {
            if (!key.startsWith(prefix)) {
                return tail.headMap(key, false);
            }
        }
        return tail;
    }

    Map<String, Long> tombstones() {
        return tombstones.view();
    }

    Map<String, Long> reapedFloors() {
        return reapedFloors.view();
    }

    Map<String, Long> lockDelays() {
        return lockDelays.view();
    }

    Map<String, Long> expiries() {
        return expiries.view();
    }

    /** Forgets lock delays that ended before {@code time}; they can no longer refuse anything. */
    void expireLockDelays(long time) {
        lockDelays.removeIf((key, until) -> until <= time);
    }

    /** Empties the table and its values (a restore replaces the whole state). */
    void clear() {
        entries.clear();
        tombstones.clear();
        reapedFloors.clear();
        lockDelays.clear();
        expiries.clear();
        values.clear();
    }

    /** Adds an entry read from a snapshot, into a table being restored. */
    void restoreEntry(KvEntry e) {
        entries.put(e.key(), row(e.key(), e.value(), e.flags(), e.createIndex(), e.modifyIndex(), e.lockIndex(),
                e.session()));
    }

    /** Sets the tombstones, floors and lock delays read from a snapshot, into a table being restored. */
    void restoreMarks(Map<String, Long> restoredTombstones, Map<String, Long> restoredFloors,
                      Map<String, Long> restoredLockDelays, Map<String, Long> restoredExpiries) {
        restoredTombstones.forEach(tombstones::put);
        restoredFloors.forEach(reapedFloors::put);
        restoredLockDelays.forEach(lockDelays::put);
        restoredExpiries.forEach(expiries::put);
    }
}
