package dev.beacon.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The replicated state of one server: catalog, KV and sessions. Commands are applied in log order, each at its
 * Raft index and with the leader's entry time; nothing here reads a clock, randomness or the network, so the
 * same log gives the same state on every server.
 * <p>
 * One writer (the Raft apply thread) and many readers share it under a read/write lock; watches are fired after
 * the lock is released, so a parked reader's callback never runs while the store is locked.
 */
public final class Store {
    /** The one-line refusal of a write that adds data while a {@link Alarm#NOSPACE} alarm is raised. */
    public static final String NO_SPACE = "storage quota exceeded (NOSPACE alarm): delete data to free space";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final KvTable kv = new KvTable();
    private final Catalog catalog = new Catalog();
    private final SessionTable sessions = new SessionTable();
    private final EventTable events = new EventTable();
    private final TreeSet<MemberAlarm> alarms = new TreeSet<>(MemberAlarm.ORDER);
    private final Map<Table, Long> tableIndexes = new EnumMap<>(Table.class);
    private final WatchRegistry watches = new WatchRegistry();
    private long lastIndex;

    public Store() {
        for (Table table : Table.values()) {
            tableIndexes.put(table, 0L);
        }
    }

    /**
     * Applies a command at the given Raft index and entry time (milliseconds since the epoch, as the leader
     * stamped it). Indexes must increase; a replayed index is a bug in the caller and is refused loudly.
     */
    public Outcome apply(long index, long time, Command command) {
        Changes changes = new Changes();
        Outcome outcome;
        List<Watch> fired;
        lock.writeLock().lock();
        try {
            if (index <= lastIndex) {
                throw new IllegalStateException("index " + index + " applied after " + lastIndex);
            }
            outcome = hasAlarm(Alarm.NOSPACE) && DataGrowth.adds(command, catalog)
                    ? Outcome.error(index, NO_SPACE)
                    : dispatch(index, time, command, changes);
            if (changes.tables().contains(Table.CHECKS)) {
                invalidateSessionsOfFailedChecks(index, time, changes);
            }
            lastIndex = index;
            for (Table table : changes.tables()) {
                tableIndexes.put(table, index);
            }
            fired = changes.isEmpty() ? List.of() : watches.take(changes, index);
        } finally {
            lock.writeLock().unlock();
        }
        fired.forEach(Watch::fire);
        return outcome;
    }

    private Outcome dispatch(long index, long time, Command command, Changes changes) {
        if (command instanceof Command.KvSet c) {
            return kv.set(index, c, changes);
        } else if (command instanceof Command.KvDelete c) {
            return kv.delete(index, c, changes);
        } else if (command instanceof Command.RegisterNode c) {
            return catalog.registerNode(index, c.node(), changes);
        } else if (command instanceof Command.DeregisterNode c) {
            sessions.onNode(c.name()).forEach(s -> destroySession(index, time, s.id(), changes));
            return catalog.deregisterNode(index, c.name(), changes);
        } else if (command instanceof Command.RegisterService c) {
            return catalog.registerService(index, c.service(), changes);
        } else if (command instanceof Command.DeregisterService c) {
            return catalog.deregisterService(index, c.node(), c.serviceId(), changes);
        } else if (command instanceof Command.RegisterCheck c) {
            return catalog.registerCheck(index, c.check(), changes);
        } else if (command instanceof Command.DeregisterCheck c) {
            return catalog.deregisterCheck(index, c.node(), c.checkId(), changes);
        } else if (command instanceof Command.CreateSession c) {
            return createSession(index, time, c.session(), changes);
        } else if (command instanceof Command.DestroySession c) {
            destroySession(index, time, c.id(), changes);
            return Outcome.ok(index);
        } else if (command instanceof Command.RenewSession c) {
            return renewSession(index, time, c.id());
        } else if (command instanceof Command.ExpireSession c) {
            Session session = sessions.get(c.id());
            if (session != null && session.expiredAt(time)) {
                destroySession(index, time, c.id(), changes);
            }
            return Outcome.ok(index);
        } else if (command instanceof Command.FireEvent c) {
            events.add(c.event().at(index));
            changes.table(Table.EVENTS);
            return Outcome.ok(index);
        } else if (command instanceof Command.SetAlarm c) {
            MemberAlarm alarm = new MemberAlarm(c.member(), c.alarm());
            if (c.active()) {
                alarms.add(alarm);
            } else {
                alarms.remove(alarm);
            }
            return Outcome.ok(index);
        } else if (command instanceof Command.ReapTombstones c) {
            kv.reap(c.upToIndex());
            kv.expireLockDelays(time);
            return Outcome.ok(index);
        } else if (command instanceof Command.KvLock c) {
            if (!sessions.contains(c.session())) {
                return Outcome.error(index, "invalid session \"" + c.session() + "\"");
            }
            return kv.lock(index, time, c, changes);
        } else if (command instanceof Command.KvUnlock c) {
            return kv.unlock(index, c, changes);
        } else if (command instanceof Command.CatalogRegister c) {
            return catalog.register(index, c, changes);
        } else if (command instanceof Command.Txn c) {
            return new TxnApplier(kv, sessions, catalog, (i, op, ch) -> dispatch(i, time, op, ch))
                    .apply(index, time, c.ops(), changes);
        }
        throw new IllegalArgumentException("unknown command " + command.getClass().getName());
    }

    private boolean hasAlarm(Alarm kind) {
        for (MemberAlarm alarm : alarms) {
            if (alarm.alarm() == kind) {
                return true;
            }
        }
        return false;
    }

    /** As Consul: the node must exist, and every linked check must exist on it and not be critical. */
    private Outcome createSession(long index, long time, Session s, Changes changes) {
        if (sessions.contains(s.id())) {
            return Outcome.error(index, "session " + s.id() + " already exists");
        }
        if (catalog.node(s.node()) == null) {
            return Outcome.error(index, "Missing node registration");
        }
        for (String checkId : linkedChecks(s)) {
            HealthCheck check = catalog.check(s.node(), checkId);
            if (check == null) {
                return Outcome.error(index, "Missing check '" + checkId + "' registration");
            }
            if (check.status() == CheckStatus.CRITICAL) {
                return Outcome.error(index, "Check '" + checkId + "' is in critical state");
            }
        }
        sessions.put(new Session(s.id(), s.name(), s.node(), s.lockDelayMillis(), s.behavior(), s.ttlMillis(),
                s.nodeChecks(), s.serviceChecks(), index, index, time));
        changes.table(Table.SESSIONS);
        return Outcome.ok(index);
    }

    private static List<String> linkedChecks(Session s) {
        List<String> all = new ArrayList<>(s.nodeChecks());
        all.addAll(s.serviceChecks());
        return all;
    }

    /**
     * A renewal moves only the session's TTL start: no index changes, so nobody blocked on the sessions table
     * wakes for a heartbeat (Consul keeps renewals off its indexes too).
     */
    private Outcome renewSession(long index, long time, String id) {
        Session session = sessions.get(id);
        if (session == null) {
            return Outcome.error(index, "Session id '" + id + "' not found");
        }
        sessions.put(session.renewedAt(time));
        return Outcome.ok(index);
    }

    /**
     * Destroys a session: its locks are released (or its keys deleted, with Behavior delete) and kept from being
     * locked again for the session's lock delay.
     */
    private void destroySession(long index, long time, String id, Changes changes) {
        Session removed = sessions.remove(id);
        if (removed != null) {
            changes.table(Table.SESSIONS);
            long lockDelayUntil = removed.lockDelayMillis() > 0 ? time + removed.lockDelayMillis() : 0;
            kv.invalidateSession(id, removed.behavior(), index, lockDelayUntil, changes);
        }
    }

    /** A session is bound to its checks: one that went critical or away invalidates it. */
    private void invalidateSessionsOfFailedChecks(long index, long time, Changes changes) {
        List<String> failed = new ArrayList<>();
        for (Session s : sessions.all()) {
            for (String checkId : linkedChecks(s)) {
                HealthCheck check = catalog.check(s.node(), checkId);
                if (check == null || check.status() == CheckStatus.CRITICAL) {
                    failed.add(s.id());
                    break;
                }
            }
        }
        failed.forEach(id -> destroySession(index, time, id, changes));
    }

    // ---- reads: each runs under the read lock and sees one consistent state ----

    public long lastIndex() {
        return read(() -> lastIndex);
    }

    public long tableIndex(Table table) {
        return read(() -> atLeastOne(tableIndexes.get(table)));
    }

    /** The key's entry (or null) with its index: its ModifyIndex, or the KV table index if it is missing. */
    public Indexed<KvEntry> kvGet(String key) {
        return read(() -> new Indexed<>(kv.get(key), keyIndex(key)));
    }

    /**
     * Entries under a prefix, sorted by key (as UTF-8 bytes), with the highest index among them, their
     * tombstones and reaped floors; the KV table index if there is nothing under the prefix.
     */
    public Indexed<List<KvEntry>> kvList(String prefix) {
        return read(() -> new Indexed<>(kv.list(prefix), prefixIndex(prefix)));
    }

    /** Answers a query from this replica. */
    @SuppressWarnings("unchecked")
    public <R> Indexed<R> query(Query<R> query) {
        if (query instanceof Query.KvGet q) {
            return (Indexed<R>) kvGet(q.key());
        } else if (query instanceof Query.KvList q) {
            return (Indexed<R>) kvList(q.prefix());
        } else if (query instanceof Query.CatalogSlice q) {
            return (Indexed<R>) read(() -> new Indexed<>(catalog.slice(q.node(), q.service()), maxIndex(q.tables())));
        } else if (query instanceof Query.Sessions q) {
            return (Indexed<R>) read(() -> new Indexed<>(selectSessions(q), tableIndexOrOne(Table.SESSIONS)));
        } else if (query instanceof Query.Events) {
            return (Indexed<R>) read(() -> new Indexed<>(events.all(), tableIndexOrOne(Table.EVENTS)));
        }
        throw new IllegalArgumentException("unknown query " + query.getClass().getName());
    }

    private long tableIndexOrOne(Table table) {
        return atLeastOne(tableIndexes.get(table));
    }

    private List<Session> selectSessions(Query.Sessions q) {
        if (q.id() != null) {
            Session s = sessions.get(q.id());
            return s == null ? List.of() : List.of(s);
        }
        return q.node() == null ? List.copyOf(sessions.all()) : sessions.onNode(q.node());
    }

    private long maxIndex(Set<Table> tables) {
        long max = 0;
        for (Table table : tables) {
            max = Math.max(max, tableIndexes.get(table));
        }
        return atLeastOne(max);
    }

    /** Registers a watch on exactly what a query reads; see {@link #watchKey} and {@link #watchPrefix}. */
    public Watch watch(Query<?> query, long index, Runnable onChange) {
        if (query instanceof Query.KvGet q) {
            return watchKey(q.key(), index, onChange);
        } else if (query instanceof Query.KvList q) {
            return watchPrefix(q.prefix(), index, onChange);
        } else if (query instanceof Query.CatalogSlice q) {
            return watch(() -> maxIndex(q.tables()), index, onChange, w -> watches.onTables(q.tables(), w));
        } else if (query instanceof Query.Sessions) {
            return watchTable(Table.SESSIONS, index, onChange);
        } else if (query instanceof Query.Events) {
            return watchTable(Table.EVENTS, index, onChange);
        }
        throw new IllegalArgumentException("unknown query " + query.getClass().getName());
    }

    private long keyIndex(String key) {
        return orKvTable(kv.keyIndex(key));
    }

    private long prefixIndex(String prefix) {
        return orKvTable(kv.prefixIndex(prefix));
    }

    private long orKvTable(long index) {
        return atLeastOne(index == 0 ? tableIndexes.get(Table.KV) : index);
    }

    public Indexed<List<Node>> nodes() {
        return read(() -> new Indexed<>(List.copyOf(catalog.nodes()), atLeastOne(tableIndexes.get(Table.NODES))));
    }

    public Node node(String name) {
        return read(() -> catalog.node(name));
    }

    public Indexed<List<ServiceInstance>> services() {
        return read(() -> new Indexed<>(catalog.services(), atLeastOne(tableIndexes.get(Table.SERVICES))));
    }

    public Indexed<List<HealthCheck>> checks() {
        return read(() -> new Indexed<>(catalog.checks(), atLeastOne(tableIndexes.get(Table.CHECKS))));
    }

    public Indexed<List<Session>> sessions() {
        return read(() -> new Indexed<>(List.copyOf(sessions.all()), atLeastOne(tableIndexes.get(Table.SESSIONS))));
    }

    public Session session(String id) {
        return read(() -> sessions.get(id));
    }

    /** The lowest index among KV tombstones, or 0 if there are none; tells the reaper whether to propose. */
    public long oldestTombstoneIndex() {
        return read(() -> kv.tombstones().values().stream().mapToLong(Long::longValue).min().orElse(0));
    }

    /** What the data costs and which alarms are raised, for the storage quota and its status. */
    public StorageUsage usage() {
        return read(() -> new StorageUsage(kv.footprint() + catalog.footprint()
                + (long) sessions.all().size() * Footprint.SESSION, kv.size(), List.copyOf(alarms)));
    }

    /** Number of parked watches; for metrics and tests. */
    public int watchCount() {
        return watches.size();
    }

    // ---- watches: registered under the read lock, so no change can slip between the index check and the add ----

    /**
     * Runs {@code onChange} once the key changes at an index above {@code index}: at once if its index already
     * exceeds it. Writes to other keys never run it.
     */
    public Watch watchKey(String key, long index, Runnable onChange) {
        return watch(() -> keyIndex(key), index, onChange, w -> watches.onKey(key, w));
    }

    /** Runs {@code onChange} once something under the prefix changes at an index above {@code index}. */
    public Watch watchPrefix(String prefix, long index, Runnable onChange) {
        return watch(() -> prefixIndex(prefix), index, onChange, w -> watches.onPrefix(prefix, w));
    }

    /** Runs {@code onChange} once the table changes at an index above {@code index}. */
    public Watch watchTable(Table table, long index, Runnable onChange) {
        return watch(() -> atLeastOne(tableIndexes.get(table)), index, onChange, w -> watches.onTable(table, w));
    }

    private Watch watch(LongSupplier current, long index, Runnable onChange, Consumer<Watch> register) {
        Watch watch = new Watch(index, onChange);
        boolean alreadyChanged;
        lock.readLock().lock();
        try {
            alreadyChanged = current.getAsLong() > index;
            if (!alreadyChanged) {
                register.accept(watch);
            }
        } finally {
            lock.readLock().unlock();
        }
        if (alreadyChanged) {
            watch.fire();
        }
        return watch;
    }

    // ---- snapshots ----

    /** Writes the whole state; equal states write equal bytes. */
    public void writeSnapshot(OutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            SnapshotCodec.write(out, lastIndex, tableIndexes, kv, catalog, sessions, events, alarms);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces the whole state with a snapshot's; every parked reader is woken to re-read. The old state is
     * dropped before the snapshot is read, so that the heap never holds both; readers wait for the new one. A
     * snapshot that fails to read leaves the store empty.
     */
    public void restoreSnapshot(InputStream in) throws IOException {
        List<Watch> fired = List.of();
        try {
            lock.writeLock().lock();
            try {
                install(SnapshotCodec.Contents.EMPTY);
                fired = new ArrayList<>(watches.takeEverything());
                install(SnapshotCodec.read(in));
            } finally {
                lock.writeLock().unlock();
            }
        } finally {
            fired.forEach(Watch::fire);
        }
    }

    /** Empties the store, as before the first log entry (a replica that replays its log from the start). */
    public void clear() {
        List<Watch> fired;
        lock.writeLock().lock();
        try {
            install(SnapshotCodec.Contents.EMPTY);
            fired = new ArrayList<>(watches.takeEverything());
        } finally {
            lock.writeLock().unlock();
        }
        fired.forEach(Watch::fire);
    }

    private void install(SnapshotCodec.Contents contents) {
        lastIndex = contents.lastIndex();
        for (Table table : Table.values()) {
            tableIndexes.put(table, contents.tableIndexes().getOrDefault(table, 0L));
        }
        kv.restore(contents.kv(), contents.tombstones(), contents.reapedFloors(), contents.lockDelays());
        catalog.restore(contents.nodes(), contents.services(), contents.checks());
        sessions.restore(contents.sessions());
        events.restore(contents.events());
        alarms.clear();
        alarms.addAll(contents.alarms());
    }

    private <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Consul clients reject an index of 0, so an untouched resource reports 1. */
    private static long atLeastOne(long index) {
        return Math.max(index, 1);
    }
}
