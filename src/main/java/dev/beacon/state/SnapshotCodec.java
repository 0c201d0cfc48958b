package dev.beacon.state;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The snapshot format: a magic number, a version, the indexes, then each table in key order. */
final class SnapshotCodec {
    private static final int MAGIC = 0x42434e53; // "BCNS"
    private static final int VERSION = 1;

    record Contents(long lastIndex, Map<Table, Long> tableIndexes, List<KvEntry> kv, Map<String, Long> tombstones,
                    long reapedFloor, List<Node> nodes, List<ServiceInstance> services, List<HealthCheck> checks,
                    List<Session> sessions) {
        static final Contents EMPTY = new Contents(0, Map.of(), List.of(), Map.of(), 0, List.of(), List.of(),
                List.of(), List.of());
    }

    private SnapshotCodec() {
    }

    static void write(OutputStream target, long lastIndex, Map<Table, Long> tableIndexes, KvTable kv,
                      Catalog catalog, SessionTable sessions) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(lastIndex);
        out.writeInt(Table.values().length);
        for (Table table : Table.values()) {
            out.writeLong(tableIndexes.get(table));
        }
        out.writeLong(kv.reapedFloor());
        out.writeInt(kv.entries().size());
        for (KvEntry e : kv.entries().values()) {
            RecordCodec.writeKv(out, e);
        }
        out.writeInt(kv.tombstones().size());
        for (Map.Entry<String, Long> t : kv.tombstones().entrySet()) {
            Wire.writeString(out, t.getKey());
            out.writeLong(t.getValue());
        }
        out.writeInt(catalog.nodes().size());
        for (Node n : catalog.nodes()) {
            RecordCodec.writeNode(out, n);
        }
        List<ServiceInstance> services = catalog.services();
        out.writeInt(services.size());
        for (ServiceInstance s : services) {
            RecordCodec.writeService(out, s);
        }
        List<HealthCheck> checks = catalog.checks();
        out.writeInt(checks.size());
        for (HealthCheck c : checks) {
            RecordCodec.writeCheck(out, c);
        }
        out.writeInt(sessions.all().size());
        for (Session s : sessions.all()) {
            RecordCodec.writeSession(out, s);
        }
        out.flush();
    }

    static Contents read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(source));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Beacon snapshot");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported snapshot version " + version);
        }
        long lastIndex = in.readLong();
        int tableCount = Wire.readCount(in);
        if (tableCount != Table.values().length) {
            throw new IOException("snapshot has " + tableCount + " tables, expected " + Table.values().length);
        }
        Map<Table, Long> tableIndexes = new EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            tableIndexes.put(table, in.readLong());
        }
        long reapedFloor = in.readLong();
        List<KvEntry> kv = new ArrayList<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            kv.add(RecordCodec.readKv(in));
        }
        Map<String, Long> tombstones = new TreeMap<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            tombstones.put(Wire.readString(in), in.readLong());
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            nodes.add(RecordCodec.readNode(in));
        }
        List<ServiceInstance> services = new ArrayList<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            services.add(RecordCodec.readService(in));
        }
        List<HealthCheck> checks = new ArrayList<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            checks.add(RecordCodec.readCheck(in));
        }
        List<Session> sessions = new ArrayList<>();
        for (int i = Wire.readCount(in); i > 0; i--) {
            sessions.add(RecordCodec.readSession(in));
        }
        return new Contents(lastIndex, tableIndexes, kv, tombstones, reapedFloor, nodes, services, checks, sessions);
    }
}
