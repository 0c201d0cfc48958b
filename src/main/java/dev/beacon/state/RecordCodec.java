package dev.beacon.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.beacon.state.Wire.readBytes;
import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.readStringMap;
import static dev.beacon.state.Wire.readStrings;
import static dev.beacon.state.Wire.writeBytes;
import static dev.beacon.state.Wire.writeString;
import static dev.beacon.state.Wire.writeStringMap;
import static dev.beacon.state.Wire.writeStrings;

/** Binary form of the domain records, shared by commands and snapshots. */
final class RecordCodec {
    private RecordCodec() {
    }

    static void writeKv(DataOutput out, KvEntry e) throws IOException {
        writeString(out, e.key());
        writeBytes(out, e.value());
        out.writeLong(e.flags());
        out.writeLong(e.createIndex());
        out.writeLong(e.modifyIndex());
        out.writeLong(e.lockIndex());
        writeString(out, e.session());
    }

    static KvEntry readKv(DataInput in) throws IOException {
        return new KvEntry(readString(in), readBytes(in), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                readString(in));
    }

    /** A KV event: its action and index, the key after and before (absent if it did not exist), expiries. */
    static void writeKvEvent(DataOutput out, KvEvent e) throws IOException {
        writeString(out, e.action());
        out.writeLong(e.index());
        writeKv(out, e.node());
        out.writeBoolean(e.prevNode() != null);
        if (e.prevNode() != null) {
            writeKv(out, e.prevNode());
        }
        out.writeLong(e.expiry());
        out.writeLong(e.prevExpiry());
    }

    static KvEvent readKvEvent(DataInput in) throws IOException {
        String action = readString(in);
        long index = in.readLong();
        KvEntry node = readKv(in);
        KvEntry prev = in.readBoolean() ? readKv(in) : null;
        return new KvEvent(action, index, node, prev, in.readLong(), in.readLong());
    }

    static void writeNode(DataOutput out, Node n) throws IOException {
        writeString(out, n.name());
        writeString(out, n.id());
        writeString(out, n.address());
        writeString(out, n.datacenter());
        writeStringMap(out, n.taggedAddresses());
        writeStringMap(out, n.meta());
        out.writeLong(n.createIndex());
        out.writeLong(n.modifyIndex());
    }

    static Node readNode(DataInput in) throws IOException {
        return new Node(readString(in), readString(in), readString(in), readString(in), readStringMap(in),
                readStringMap(in), in.readLong(), in.readLong());
    }

    /**
     * Marks a service or check record written with fields added since the first format. A record otherwise starts
     * with its node's name, whose length is never negative, so a reader tells the two apart by the first int; a
     * record that has nothing new is written in the first format, so the bytes of existing logs and of commands
     * that use no new field stay the same.
     */
    private static final int EXTENDED = -2;

    static void writeService(DataOutput out, ServiceInstance s) throws IOException {
        boolean extended = !s.extras().equals(ServiceExtras.NONE);
        if (extended) {
            out.writeInt(EXTENDED);
        }
        writeString(out, s.node());
        writeString(out, s.id());
        writeString(out, s.service());
        writeStrings(out, s.tags());
        writeString(out, s.address());
        out.writeInt(s.port());
        writeStringMap(out, s.meta());
        out.writeBoolean(s.enableTagOverride());
        out.writeLong(s.createIndex());
        out.writeLong(s.modifyIndex());
        if (extended) {
            writeExtras(out, s.extras());
        }
    }

    static ServiceInstance readService(DataInput in) throws IOException {
        int first = in.readInt();
        boolean extended = first == EXTENDED;
        String node = extended ? readString(in) : Wire.readString(in, first);
        String id = readString(in);
        String service = readString(in);
        List<String> tags = readStrings(in);
        String address = readString(in);
        int port = in.readInt();
        Map<String, String> meta = readStringMap(in);
        boolean enableTagOverride = in.readBoolean();
        long createIndex = in.readLong();
        long modifyIndex = in.readLong();
        return new ServiceInstance(node, id, service, tags, address, port, meta, enableTagOverride,
                extended ? readExtras(in) : ServiceExtras.NONE, createIndex, modifyIndex);
    }

    private static void writeExtras(DataOutput out, ServiceExtras e) throws IOException {
        writeString(out, e.kind());
        out.writeInt(e.passingWeight());
        out.writeInt(e.warningWeight());
        out.writeInt(e.taggedAddresses().size());
        for (Map.Entry<String, ServiceExtras.ServiceAddress> a : new TreeMap<>(e.taggedAddresses()).entrySet()) {
            writeString(out, a.getKey());
            writeString(out, a.getValue().address());
            out.writeInt(a.getValue().port());
        }
        writeString(out, e.socketPath());
        writeString(out, e.proxyJson());
        writeString(out, e.connectJson());
    }

    private static ServiceExtras readExtras(DataInput in) throws IOException {
        String kind = readString(in);
        int passing = in.readInt();
        int warning = in.readInt();
        int addresses = Wire.readCount(in);
        Map<String, ServiceExtras.ServiceAddress> tagged = new TreeMap<>();
        for (int i = 0; i < addresses; i++) {
            tagged.put(readString(in), new ServiceExtras.ServiceAddress(readString(in), in.readInt()));
        }
        return new ServiceExtras(kind, passing, warning, tagged, readString(in), readString(in), readString(in));
    }

    static void writeCheck(DataOutput out, HealthCheck c) throws IOException {
        boolean extended = c.statusChangedAt() != 0;
        if (extended) {
            out.writeInt(EXTENDED);
        }
        writeString(out, c.node());
        writeString(out, c.checkId());
        writeString(out, c.name());
        Wire.writeCode(out, c.status());
        writeString(out, c.notes());
        writeString(out, c.output());
        writeString(out, c.serviceId());
        writeString(out, c.serviceName());
        writeString(out, c.type());
        out.writeLong(c.createIndex());
        out.writeLong(c.modifyIndex());
        if (extended) {
            out.writeLong(c.statusChangedAt());
        }
    }

    static HealthCheck readCheck(DataInput in) throws IOException {
        int first = in.readInt();
        boolean extended = first == EXTENDED;
        String node = extended ? readString(in) : Wire.readString(in, first);
        return new HealthCheck(node, readString(in), readString(in), Wire.readCode(in, CheckStatus.class),
                readString(in), readString(in), readString(in), readString(in), readString(in), in.readLong(),
                in.readLong(), extended ? in.readLong() : 0);
    }

    static void writeSession(DataOutput out, Session s) throws IOException {
        writeString(out, s.id());
        writeString(out, s.name());
        writeString(out, s.node());
        out.writeLong(s.lockDelayMillis());
        Wire.writeCode(out, s.behavior());
        out.writeLong(s.ttlMillis());
        writeStrings(out, s.nodeChecks());
        writeStrings(out, s.serviceChecks());
        out.writeLong(s.createIndex());
        out.writeLong(s.modifyIndex());
        out.writeLong(s.renewedAt());
    }

    static Session readSession(DataInput in) throws IOException {
        return new Session(readString(in), readString(in), readString(in), in.readLong(),
                Wire.readCode(in, SessionBehavior.class), in.readLong(), readStrings(in), readStrings(in),
                in.readLong(), in.readLong(), in.readLong());
    }

    static void writeEvent(DataOutput out, Event e) throws IOException {
        writeString(out, e.id());
        writeString(out, e.name());
        writeBytes(out, e.payload());
        writeString(out, e.nodeFilter());
        writeString(out, e.serviceFilter());
        writeString(out, e.tagFilter());
        out.writeLong(e.lTime());
    }

    static Event readEvent(DataInput in) throws IOException {
        return new Event(readString(in), readString(in), readBytes(in), readString(in), readString(in),
                readString(in), in.readLong());
    }

    /** Writes one record; how a list of them is written. */
    interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    /** Reads one record; how a list of them is read. */
    interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    static <T> void writeList(DataOutput out, List<T> list, Writer<T> writer) throws IOException {
        out.writeInt(list.size());
        for (T value : list) {
            writer.write(out, value);
        }
    }

    static <T> List<T> readList(DataInput in, Reader<T> reader) throws IOException {
        int count = Wire.readCount(in);
        List<T> list = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            list.add(reader.read(in));
        }
        return list;
    }
}
