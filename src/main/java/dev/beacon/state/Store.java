package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
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
    private final StoreTables tables;
    private final KvTable kv;
    private final Catalog catalog;
    private final SessionTable sessions;
    private final EventTable events;
    private final AclTable acl;
    /**
     * The index of the last change to any ACL data, kept outside the lock: every request with ACLs on reads it to
     * know whether its resolved token is still valid.
     */
    private volatile long aclIndex = 1;
    private final Indexes indexes = new Indexes();
    private final WatchRegistry watches = new WatchRegistry();
    private final KvHistory kvHistory = new KvHistory();
    private long lastIndex;
    /** Keys this server has seen expire since it started (etcd's per-server expireCount; not part of the state). */
    private long expiredKeys;
    /**
     * Counts the times the state was replaced other than by a command (emptied, or read from a snapshot file): the
     * commands applied after such a replacement continue the new state, not an {@link #image} taken before it.
     */
    private long lineage;

    /** A store whose KV values are kept in {@code values}. */
    public Store(ValueLog values) {
        tables = new StoreTables(values);
        kv = tables.kv();
        catalog = tables.catalog();
        sessions = tables.sessions();
        events = tables.events();
        acl = tables.acl();
    }

    /** A store that keeps everything on the heap. */
    public Store() {
        this(ValueLog.onHeap());
    }

    /**
     * Applies a command at the given Raft index and entry time (milliseconds since the epoch, as the leader
     * stamped it). Indexes must increase; a replayed index is a bug in the caller and is refused loudly.
     */
    public Outcome apply(long index, long time, Command command) {
        if (command instanceof Command.RestoreState restore) {
            return restoreAt(index, restore.snapshot());
        }
        if (command instanceof Command.RestoreCommit commit) {
            return commitRestoreAt(index, commit);
        }
        Changes changes = new Changes();
        Outcome outcome;
        List<Watch> fired;
        lock.writeLock().lock();
        try {
            if (index <= lastIndex) {
                throw new IllegalStateException("index " + index + " applied after " + lastIndex);
            }
            // A command that throws half way leaves no trace: the scope undoes its writes when it closes.
            try (Journal.Scope scope = tables.journal().begin()) {
                Applying at = new Applying(tables, index, time, changes);
                outcome = tables.hasAlarm(Alarm.NOSPACE) && CommandRegistry.COMMANDS.adds(command, tables)
                        ? Outcome.error(index, NO_SPACE)
                        : CommandRegistry.COMMANDS.apply(command, at);
                if (changes.tables().contains(Table.CHECKS)) {
                    SessionCommands.invalidateSessionsOfFailedChecks(at);
                }
                scope.commit();
            }
            kv.reclaimValues();
            if (!changes.kvEvents().isEmpty() && !changes.isRefreshOnly()) {
                kvHistory.add(changes.kvEvents());
                for (KvEvent event : changes.kvEvents()) {
                    if (event.action().equals(KvEvent.EXPIRE)) {
                        expiredKeys++;
                    }
                }
            }
            lastIndex = index;
            indexes.advance(changes, index);
            aclIndex = maxIndex(Query.Acl.TABLES);
            fired = watches.take(changes, index);
        } finally {
            lock.writeLock().unlock();
        }
        fired.forEach(Watch::fire);
        return outcome;
    }

    // ---- reads: each runs under the read lock and sees one consistent state ----

    public long lastIndex() {
        return read(() -> lastIndex);
    }

    /** Keys (and etcd directories) that expired in the commands this server applied since it started. */
    public long expiredKeys() {
        return read(() -> expiredKeys);
    }

    /** Changes whenever the state is replaced other than by a command; {@link StoreImage#lineage} is its value then. */
    public long lineage() {
        return read(() -> lineage);
    }

    public long tableIndex(Table table) {
        return read(() -> atLeastOne(indexes.table(table)));
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

    /**
     * The first KV event at or after {@code fromIndex} that {@code matches} (etcd's {@code waitIndex}), or null if
     * there is none yet.
     *
     * @throws HistoryClearedException if events from that index are no longer kept
     */
    public KvEvent kvEventSince(long fromIndex, Predicate<KvEvent> matches) {
        return read(() -> {
            try {
                return kvHistory.first(fromIndex, matches);
            } catch (IllegalStateException e) {
                throw new HistoryClearedException(kvHistory.oldestKept(), fromIndex);
            }
        });
    }

    /** Keys whose time to live has passed at {@code time} (the leader's clock), with their expiry. */
    public Map<String, Long> kvExpiredAt(long time) {
        return read(() -> kv.expiredAt(time));
    }

    /** Answers a query from this replica. */
    @SuppressWarnings("unchecked")
    public <R> Indexed<R> query(Query<R> query) {
        if (query instanceof Query.KvGet q) {
            return (Indexed<R>) kvGet(q.key());
        } else if (query instanceof Query.KvList q) {
            return (Indexed<R>) kvList(q.prefix());
        } else if (query instanceof Query.KvKeys q) {
            return (Indexed<R>) read(() -> new Indexed<>(kv.keys(q.prefix()), prefixIndex(q.prefix())));
        } else if (query instanceof Query.CatalogSlice q) {
            return (Indexed<R>) read(() -> new Indexed<>(catalog.slice(q.node(), q.service()), sliceIndex(q)));
        } else if (query instanceof Query.Sessions q) {
            return (Indexed<R>) read(() -> new Indexed<>(selectSessions(q), tableIndexOrOne(Table.SESSIONS)));
        } else if (query instanceof Query.Events) {
            return (Indexed<R>) read(() -> new Indexed<>(events.all(), tableIndexOrOne(Table.EVENTS)));
        } else if (query instanceof Query.KvSubtree q) {
            return (Indexed<R>) read(() -> new Indexed<>(subtree(q.path()), atLeastOne(indexes.table(Table.KV))));
        } else if (query instanceof Query.Acl) {
            return (Indexed<R>) read(() -> new Indexed<>(acl.snapshot(), maxIndex(Query.Acl.TABLES)));
        } else if (query instanceof Query.PreparedQueries) {
            return (Indexed<R>) read(() -> new Indexed<>(List.copyOf(tables.preparedQueries().all()),
                    tableIndexOrOne(Table.PREPARED_QUERIES)));
        }
        throw new IllegalArgumentException("unknown query " + query.getClass().getName());
    }

    private long tableIndexOrOne(Table table) {
        return atLeastOne(indexes.table(table));
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
            max = Math.max(max, indexes.table(table));
        }
        return atLeastOne(max);
    }

    /**
     * A slice of one service (or, without a service, of one node) has that name's own index, so a change elsewhere
     * neither moves it nor wakes its readers. A name never registered falls back to the tables' index, as Consul
     * does: that is never 0, and its registration, at a later index, moves it forward.
     */
    private long sliceIndex(Query.CatalogSlice q) {
        long own = q.service() != null ? indexes.service(q.service())
                : q.node() != null ? indexes.node(q.node()) : 0;
        return own == 0 ? maxIndex(q.tables()) : own;
    }

    /** Where a slice's watch waits: under its service or node name, else on the tables it names. */
    private void register(Query.CatalogSlice q, Watch watch) {
        if (q.service() != null) {
            watches.onService(q.service(), watch);
        } else if (q.node() != null) {
            watches.onNode(q.node(), watch);
        } else {
            watches.onTables(q.tables(), watch);
        }
    }

    /** Registers a watch on exactly what a query reads; see {@link #watchKey} and {@link #watchPrefix}. */
    public Watch watch(Query<?> query, long index, Runnable onChange) {
        if (query instanceof Query.KvGet q) {
            return watchKey(q.key(), index, onChange);
        } else if (query instanceof Query.KvList q) {
            return watchPrefix(q.prefix(), index, onChange);
        } else if (query instanceof Query.KvKeys q) {
            return watchPrefix(q.prefix(), index, onChange);
        } else if (query instanceof Query.CatalogSlice q) {
            return watch(() -> sliceIndex(q), index, onChange, w -> register(q, w));
        } else if (query instanceof Query.Sessions) {
            return watchTable(Table.SESSIONS, index, onChange);
        } else if (query instanceof Query.Events) {
            return watchTable(Table.EVENTS, index, onChange);
        } else if (query instanceof Query.KvSubtree q) {
            return watchPrefix(q.path(), index, onChange);
        } else if (query instanceof Query.Acl) {
            return watch(() -> maxIndex(Query.Acl.TABLES), index, onChange,
                    w -> watches.onTables(Query.Acl.TABLES, w));
        } else if (query instanceof Query.PreparedQueries) {
            return watchTable(Table.PREPARED_QUERIES, index, onChange);
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
        return atLeastOne(index == 0 ? indexes.table(Table.KV) : index);
    }

    public Indexed<List<Node>> nodes() {
        return read(() -> new Indexed<>(List.copyOf(catalog.nodes()), atLeastOne(indexes.table(Table.NODES))));
    }

    public Node node(String name) {
        return read(() -> catalog.node(name));
    }

    public Indexed<List<ServiceInstance>> services() {
        return read(() -> new Indexed<>(catalog.services(), atLeastOne(indexes.table(Table.SERVICES))));
    }

    public Indexed<List<HealthCheck>> checks() {
        return read(() -> new Indexed<>(catalog.checks(), atLeastOne(indexes.table(Table.CHECKS))));
    }

    public Indexed<List<Session>> sessions() {
        return read(() -> new Indexed<>(List.copyOf(sessions.all()), atLeastOne(indexes.table(Table.SESSIONS))));
    }

    public Session session(String id) {
        return read(() -> sessions.get(id));
    }

    /** The token with this secret, or null: what authorizing a request starts from. */
    public AclToken aclTokenBySecret(String secretId) {
        return read(() -> acl.tokenBySecret(secretId));
    }

    public AclPolicy aclPolicy(String id) {
        return read(() -> acl.policy(id));
    }

    public AclRole aclRole(String id) {
        return read(() -> acl.role(id));
    }

    /** The index of the last change to any ACL data; what a cache of resolved tokens is valid for. */
    public long aclIndex() {
        return aclIndex;
    }

    /** The lowest index among KV tombstones, or 0 if there are none; tells the reaper whether to propose. */
    public long oldestTombstoneIndex() {
        return read(() -> kv.tombstones().values().stream().mapToLong(Long::longValue).min().orElse(0));
    }

    /** What the data costs and which alarms are raised, for the storage quota and its status. */
    public StorageUsage usage() {
        return read(() -> new StorageUsage(kv.footprint() + catalog.footprint() + indexes.footprint()
                + (long) sessions.all().size() * Footprint.SESSION, kv.size(), List.copyOf(tables.alarms()),
                kv.valueFileBytes()));
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
        return watch(() -> atLeastOne(indexes.table(table)), index, onChange, w -> watches.onTable(table, w));
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

    /**
     * Writes the whole state; equal states write equal bytes. Returns the index it was written at. Commands go on
     * being applied while it writes (see {@link #image}).
     */
    public long writeSnapshot(OutputStream out) throws IOException {
        try (StoreImage image = image()) {
            image.writeTo(out);
            return image.index();
        }
    }

    /**
     * The state as it is now, to be written while commands go on being applied; close it when written. Taking it
     * copies references to the KV rows and the other tables, nothing more.
     */
    public StoreImage image() {
        return read(() -> SnapshotCodec.capture(lastIndex, lineage, indexes, tables, kvHistory));
    }

    /**
     * Replaces the whole state with a snapshot's; every parked reader is woken to re-read. The old state is
     * dropped before the snapshot is read, so that the heap never holds both, and KV entries go into the table as
     * they are read; readers wait for the new state. A snapshot that fails to read leaves the store empty.
     */
    public void restoreSnapshot(InputStream in) throws IOException {
        List<Watch> fired = List.of();
        try {
            lock.writeLock().lock();
            try {
                empty();
                lineage++;
                fired = new ArrayList<>(watches.takeEverything());
                try {
                    install(SnapshotCodec.read(in, kv::restoreEntry));
                } catch (IOException | RuntimeException e) {
                    empty();
                    throw e;
                }
            } finally {
                lock.writeLock().unlock();
            }
        } finally {
            fired.forEach(Watch::fire);
        }
    }

    /**
     * The index a snapshot was taken at, once all of it has been read: a whole, valid snapshot of this or an
     * earlier format.
     *
     * @throws IOException if it is not one
     */
    public static long snapshotIndex(byte[] snapshot) throws IOException {
        return SnapshotCodec.read(new ByteArrayInputStream(snapshot), entry -> {
        }).lastIndex();
    }

    /**
     * {@link Command.RestoreState} at {@code index}: every table becomes the snapshot's, with the snapshot's own
     * indexes, and every parked reader is woken. The raised alarms stay this cluster's: they name its servers. A
     * snapshot that does not read, or was taken at this index or later (its indexes would run ahead of the log's),
     * changes nothing: the snapshot is read whole before anything is replaced.
     */
    private Outcome restoreAt(long index, byte[] snapshot) {
        List<KvEntry> entries = new ArrayList<>();
        SnapshotCodec.Contents contents;
        String refused = null;
        try {
            contents = SnapshotCodec.read(new ByteArrayInputStream(snapshot), entries::add);
            if (contents.lastIndex() >= index) {
                refused = "the snapshot was taken at index " + contents.lastIndex() + ", not below this entry's "
                        + index;
            }
        } catch (IOException e) {
            contents = null;
            refused = "not a Beacon snapshot: " + e.getMessage();
        }
        List<Watch> fired = List.of();
        lock.writeLock().lock();
        try {
            if (index <= lastIndex) {
                throw new IllegalStateException("index " + index + " applied after " + lastIndex);
            }
            if (refused == null) {
                List<MemberAlarm> alarms = List.copyOf(tables.alarms());
                empty();
                fired = new ArrayList<>(watches.takeEverything());
                entries.forEach(kv::restoreEntry);
                install(contents.at(index, alarms));
            }
            lastIndex = index;
        } finally {
            lock.writeLock().unlock();
        }
        fired.forEach(Watch::fire);
        return refused == null ? Outcome.ok(index) : Outcome.error(index, refused);
    }

    /**
     * {@link Command.RestoreCommit} at {@code index}: the staged parts, taken from the staging whatever becomes of
     * them, restored as {@link Command.RestoreState} restores one entry's snapshot.
     */
    private Outcome commitRestoreAt(long index, Command.RestoreCommit commit) {
        byte[] whole;
        lock.writeLock().lock();
        try {
            if (index <= lastIndex) {
                throw new IllegalStateException("index " + index + " applied after " + lastIndex);
            }
            whole = tables.staging().take(commit);
            if (whole == null) {
                lastIndex = index;
                return Outcome.error(index, "restore " + commit.restoreId() + " is not staged whole (" + commit.parts()
                        + " parts, " + commit.length() + " bytes): it was replaced by another restore, or a part is "
                        + "missing");
            }
        } finally {
            lock.writeLock().unlock();
        }
        return restoreAt(index, whole);
    }

    /** Empties the store, as before the first log entry (a replica that replays its log from the start). */
    public void clear() {
        List<Watch> fired;
        lock.writeLock().lock();
        try {
            empty();
            lineage++;
            fired = new ArrayList<>(watches.takeEverything());
        } finally {
            lock.writeLock().unlock();
        }
        fired.forEach(Watch::fire);
    }

    /** Empties every table, KV values included. */
    private void empty() {
        kv.clear();
        install(SnapshotCodec.Contents.EMPTY);
    }

    /** Sets everything a snapshot holds but the KV entries, which went into the emptied table as they were read. */
    private void install(SnapshotCodec.Contents contents) {
        lastIndex = contents.lastIndex();
        indexes.restore(contents.tableIndexes(), contents.serviceIndexes(), contents.nodeIndexes());
        aclIndex = maxIndex(Query.Acl.TABLES);
        kv.restoreMarks(contents.tombstones(), contents.reapedFloors(), contents.lockDelays(), contents.expiries());
        kvHistory.restore(contents.kvHistory(), contents.kvHistoryClearedThrough());
        tables.staging().restore(contents.staging());
        catalog.restore(contents.nodes(), contents.services(), contents.checks());
        sessions.restore(contents.sessions());
        events.restore(contents.events());
        acl.restore(contents.acl());
        tables.preparedQueries().restore(contents.preparedQueries());
        tables.restoreAlarms(contents.alarms());
    }

    private KvSubtree subtree(String path) {
        KvEntry self = path.isEmpty() ? null : kv.get(path);
        if (self != null) {
            long expiry = kv.expiry(path);
            return new KvSubtree(self, List.of(), expiry > 0 ? Map.of(path, expiry) : Map.of(), null);
        }
        String dir = path.isEmpty() ? "" : path + "/";
        Map<String, Long> expiries = new TreeMap<>(KeyOrder.CODE_POINTS);
        expiries.putAll(kv.expiriesUnder(dir));
        long selfExpiry = path.isEmpty() ? 0 : kv.expiry(path);
        if (selfExpiry > 0) {
            expiries.put(path, selfExpiry);
        }
        List<KvEntry> under = kv.list(dir);
        return new KvSubtree(null, under, expiries,
                under.isEmpty() && !path.isEmpty() ? EtcdTree.absence(kv, path) : null);
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
