package dev.beacon.state;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The snapshot format: a magic number, a version, the indexes, then each table in key order. Version 4 added the
 * alarms at the end, version 5 the per-service and per-node indexes after them, version 6 the records with fields
 * added since ({@link RecordCodec}: a check's status change time, a service's Consul extras), which an older server
 * must not misread, version 7 the ACL tables (three more table indexes, and the ACL data at the end), version 8 the
 * keys' times to live, the KV event history (etcd's) and a restore's staged parts after them, version 9 the
 * prepared queries (one more table index, and the queries at the end); versions 3 to 8 are still read.
 */
final class SnapshotCodec {
    private static final int MAGIC = 0x42434e53; // "BCNS"
    private static final int VERSION = 9;
    private static final int VERSION_WITHOUT_PREPARED_QUERIES = 8;
    /** The tables before version 9 added the prepared queries. */
    private static final int TABLES_WITHOUT_PREPARED_QUERIES = 9;
    private static final int VERSION_WITHOUT_EXPIRIES = 7;
    private static final int VERSION_WITHOUT_ACL = 6;
    /** The tables before version 7 added the ACL ones. */
    private static final int TABLES_WITHOUT_ACL = 6;
    private static final int VERSION_WITHOUT_EXTENDED_RECORDS = 5;
    private static final int VERSION_WITHOUT_NAME_INDEXES = 4;
    private static final int VERSION_WITHOUT_ALARMS = 3;

    /** Everything a snapshot holds but the KV entries, which {@link #read} hands over one by one. */
    record Contents(long lastIndex, Map<Table, Long> tableIndexes, Map<String, Long> tombstones,
                    Map<String, Long> reapedFloors, Map<String, Long> lockDelays, List<Node> nodes,
                    List<ServiceInstance> services, List<HealthCheck> checks, List<Session> sessions,
                    List<Event> events, List<MemberAlarm> alarms, Map<String, Long> serviceIndexes,
                    Map<String, Long> nodeIndexes, AclTables acl, Map<String, Long> expiries,
                    List<KvEvent> kvHistory, long kvHistoryClearedThrough, List<RestoreStaging.Staged> staging,
                    List<PreparedQuery> preparedQueries) {
        static final Contents EMPTY = new Contents(0, Map.of(), Map.of(), Map.of(), Map.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), AclTables.EMPTY,
                Map.of(), List.of(), 0, List.of(), List.of());

        /**
         * The same contents installed at another last index, with other alarms. The KV event history starts
         * afresh there, and no restore is staged: both describe the snapshot's cluster, not the writes that led here.
         */
        Contents at(long index, List<MemberAlarm> keptAlarms) {
            return new Contents(index, tableIndexes, tombstones, reapedFloors, lockDelays, nodes, services, checks,
                    sessions, events, keptAlarms, serviceIndexes, nodeIndexes, acl, expiries, List.of(), index,
                    List.of(), preparedQueries);
        }
    }

    private SnapshotCodec() {
    }

    /**
     * Copies the state out of the live tables, so that {@link #write} can run on another thread while commands go
     * on: the KV rows are copied and their values pinned where they are; everything else is copied whole (immutable
     * records, and maps copied in the order they are written).
     */
    static StoreImage capture(long lastIndex, long lineage, Indexes indexes, StoreTables tables, KvHistory history) {
        KvTable kv = tables.kv();
        Catalog catalog = tables.catalog();
        Map<Table, Long> tableIndexes = new EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            tableIndexes.put(table, indexes.table(table));
        }
        Contents rest = new Contents(lastIndex, tableIndexes, inOrder(kv.tombstones()), inOrder(kv.reapedFloors()),
                inOrder(kv.lockDelays()), List.copyOf(catalog.nodes()), catalog.services(), catalog.checks(),
                List.copyOf(tables.sessions().all()), tables.events().all(), List.copyOf(tables.alarms()),
                inOrder(indexes.services()), inOrder(indexes.nodes()), tables.acl().snapshot(),
                inOrder(kv.expiries()), history.all(), history.clearedThrough(), tables.staging().snapshot(),
                List.copyOf(tables.preparedQueries().all()));
        return new StoreImage(rest, kv.freeze(), lineage);
    }

    /** A copy of a map that iterates in the same order (a sorted map's own order is not always the natural one). */
    private static Map<String, Long> inOrder(Map<String, Long> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Writes a captured state: everything but the KV entries from {@code rest}, the entries from {@code kv}. */
    static void write(OutputStream target, Contents rest, KvTable.Frozen kv) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(rest.lastIndex());
        out.writeInt(Table.values().length);
        for (int code = 0; code < Table.values().length; code++) {
            out.writeLong(rest.tableIndexes().get(WireCode.decode(Table.class, code)));
        }
        out.writeInt(kv.size());
        for (KvEntry entry : kv.entries()) {
            RecordCodec.writeKv(out, entry);
        }
        writeIndexMap(out, rest.tombstones());
        writeIndexMap(out, rest.reapedFloors());
        writeIndexMap(out, rest.lockDelays());
        RecordCodec.writeList(out, rest.nodes(), RecordCodec::writeNode);
        RecordCodec.writeList(out, rest.services(), RecordCodec::writeService);
        RecordCodec.writeList(out, rest.checks(), RecordCodec::writeCheck);
        RecordCodec.writeList(out, rest.sessions(), RecordCodec::writeSession);
        RecordCodec.writeList(out, rest.events(), RecordCodec::writeEvent);
        RecordCodec.writeList(out, rest.alarms(), SnapshotCodec::writeAlarm);
        writeIndexMap(out, rest.serviceIndexes());
        writeIndexMap(out, rest.nodeIndexes());
        AclCodec.writeTables(out, rest.acl());
        writeIndexMap(out, rest.expiries());
        RecordCodec.writeList(out, rest.kvHistory(), RecordCodec::writeKvEvent);
        out.writeLong(rest.kvHistoryClearedThrough());
        RecordCodec.writeList(out, rest.staging(), SnapshotCodec::writeStaged);
        RecordCodec.writeList(out, rest.preparedQueries(), PreparedQueryCommands::writeQuery);
        out.flush();
    }

    /** Reads a snapshot, handing each KV entry to {@code kv} as it is read. */
    static Contents read(InputStream source, Consumer<KvEntry> kv) throws IOException {
        try {
            return readContents(new DataInputStream(new BufferedInputStream(source)), kv);
        } catch (RuntimeException e) {
            // A null where a record forbids one: the stream is corrupt, not the program.
            throw new IOException("corrupt snapshot", e);
        }
    }

    private static Contents readContents(DataInputStream in, Consumer<KvEntry> kv) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Beacon snapshot");
        }
        int version = in.readInt();
        if (version != VERSION && version != VERSION_WITHOUT_PREPARED_QUERIES && version != VERSION_WITHOUT_EXPIRIES
                && version != VERSION_WITHOUT_ACL
                && version != VERSION_WITHOUT_EXTENDED_RECORDS
                && version != VERSION_WITHOUT_NAME_INDEXES && version != VERSION_WITHOUT_ALARMS) {
            throw new IOException("unsupported snapshot version " + version);
        }
        long lastIndex = in.readLong();
        int tableCount = Wire.readCount(in);
        int expectedTables = version < VERSION_WITHOUT_EXPIRIES ? TABLES_WITHOUT_ACL
                : version < VERSION ? TABLES_WITHOUT_PREPARED_QUERIES : Table.values().length;
        if (tableCount != expectedTables) {
            throw new IOException("snapshot has " + tableCount + " tables, expected " + expectedTables);
        }
        Map<Table, Long> tableIndexes = new EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            tableIndexes.put(table, 0L);
        }
        for (int code = 0; code < tableCount; code++) {
            tableIndexes.put(WireCode.decode(Table.class, code), in.readLong());
        }
        for (int i = Wire.readCount(in); i > 0; i--) {
            kv.accept(RecordCodec.readKv(in));
        }
        Map<String, Long> tombstones = readIndexMap(in);
        Map<String, Long> reapedFloors = readIndexMap(in);
        Map<String, Long> lockDelays = readIndexMap(in);
        List<Node> nodes = RecordCodec.readList(in, RecordCodec::readNode);
        List<ServiceInstance> services = RecordCodec.readList(in, RecordCodec::readService);
        List<HealthCheck> checks = RecordCodec.readList(in, RecordCodec::readCheck);
        List<Session> sessions = RecordCodec.readList(in, RecordCodec::readSession);
        List<Event> events = RecordCodec.readList(in, RecordCodec::readEvent);
        List<MemberAlarm> alarms = version == VERSION_WITHOUT_ALARMS
                ? List.of() : RecordCodec.readList(in, SnapshotCodec::readAlarm);
        if (version < VERSION_WITHOUT_EXTENDED_RECORDS) {
            long catalogIndex = Math.max(tableIndexes.get(Table.NODES),
                    Math.max(tableIndexes.get(Table.SERVICES), tableIndexes.get(Table.CHECKS)));
            return new Contents(lastIndex, tableIndexes, tombstones, reapedFloors, lockDelays, nodes, services,
                    checks, sessions, events, alarms, atIndex(services.stream().map(ServiceInstance::service),
                    catalogIndex), atIndex(nodes.stream().map(Node::name), catalogIndex), AclTables.EMPTY, Map.of(),
                    List.of(), lastIndex, List.of(), List.of());
        }
        Map<String, Long> serviceIndexes = readIndexMap(in);
        Map<String, Long> nodeIndexes = readIndexMap(in);
        AclTables acl = version < VERSION_WITHOUT_EXPIRIES ? AclTables.EMPTY : AclCodec.readTables(in);
        if (version < VERSION_WITHOUT_PREPARED_QUERIES) {
            // No event history before version 8: events up to the snapshot are gone, as after etcd's own restart.
            return new Contents(lastIndex, tableIndexes, tombstones, reapedFloors, lockDelays, nodes, services,
                    checks, sessions, events, alarms, serviceIndexes, nodeIndexes, acl, Map.of(), List.of(),
                    lastIndex, List.of(), List.of());
        }
        Map<String, Long> expiries = readIndexMap(in);
        List<KvEvent> history = RecordCodec.readList(in, RecordCodec::readKvEvent);
        long clearedThrough = in.readLong();
        List<RestoreStaging.Staged> staging = RecordCodec.readList(in, SnapshotCodec::readStaged);
        List<PreparedQuery> preparedQueries = version < VERSION ? List.of()
                : RecordCodec.readList(in, PreparedQueryCommands::readQuery);
        return new Contents(lastIndex, tableIndexes, tombstones, reapedFloors, lockDelays, nodes, services,
                checks, sessions, events, alarms, serviceIndexes, nodeIndexes, acl, expiries, history,
                clearedThrough, staging, preparedQueries);
    }

    /**
     * Before version 5 a slice was indexed by its tables: giving every name the catalog tables' index keeps each
     * slice's index from going backwards across the upgrade. Names deleted before it fall back to that index too.
     */
    private static Map<String, Long> atIndex(Stream<String> names, long index) {
        Map<String, Long> indexes = new TreeMap<>();
        names.forEach(name -> indexes.put(name, index));
        return indexes;
    }

    private static void writeStaged(DataOutput out, RestoreStaging.Staged staged) throws IOException {
        Wire.writeString(out, staged.restoreId());
        out.writeInt(staged.parts());
        Wire.writeBytes(out, staged.bytes());
    }

    private static RestoreStaging.Staged readStaged(DataInput in) throws IOException {
        return new RestoreStaging.Staged(Wire.readString(in), in.readInt(), Wire.readBytes(in));
    }

    private static void writeAlarm(DataOutput out, MemberAlarm alarm) throws IOException {
        Wire.writeString(out, alarm.member());
        Wire.writeCode(out, alarm.alarm());
    }

    private static MemberAlarm readAlarm(DataInput in) throws IOException {
        return new MemberAlarm(Wire.readString(in), Wire.readCode(in, Alarm.class));
    }

    private static void writeIndexMap(DataOutputStream out, Map<String, Long> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, Long> e : map.entrySet()) {
            Wire.writeString(out, e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Map<String, Long> readIndexMap(DataInputStream in) throws IOException {
        Map<String, Long> map = new TreeMap<>(KeyOrder.CODE_POINTS);
        for (int i = Wire.readCount(in); i > 0; i--) {
            map.put(Wire.readString(in), in.readLong());
        }
        return map;
    }
}
