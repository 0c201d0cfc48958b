package dev.beacon.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.readStrings;
import static dev.beacon.state.Wire.writeString;
import static dev.beacon.state.Wire.writeStrings;

/** Binary form of the ACL records, shared by commands, snapshots and forwarded reads. */
final class AclCodec {
    private AclCodec() {
    }

    static void writeToken(DataOutput out, AclToken t) throws IOException {
        writeString(out, t.accessorId());
        writeString(out, t.secretId());
        writeString(out, t.description());
        writeStrings(out, t.policies());
        writeStrings(out, t.roles());
        out.writeBoolean(t.local());
        out.writeLong(t.createTime());
        out.writeLong(t.expirationTime());
        out.writeLong(t.createIndex());
        out.writeLong(t.modifyIndex());
    }

    static AclToken readToken(DataInput in) throws IOException {
        return new AclToken(readString(in), readString(in), readString(in), readStrings(in), readStrings(in),
                in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    static void writePolicy(DataOutput out, AclPolicy p) throws IOException {
        writeString(out, p.id());
        writeString(out, p.name());
        writeString(out, p.description());
        writeString(out, p.rules());
        writeStrings(out, p.datacenters());
        out.writeLong(p.createIndex());
        out.writeLong(p.modifyIndex());
    }

    static AclPolicy readPolicy(DataInput in) throws IOException {
        return new AclPolicy(readString(in), readString(in), readString(in), readString(in), readStrings(in),
                in.readLong(), in.readLong());
    }

    static void writeRole(DataOutput out, AclRole r) throws IOException {
        writeString(out, r.id());
        writeString(out, r.name());
        writeString(out, r.description());
        writeStrings(out, r.policies());
        out.writeLong(r.createIndex());
        out.writeLong(r.modifyIndex());
    }

    static AclRole readRole(DataInput in) throws IOException {
        return new AclRole(readString(in), readString(in), readString(in), readStrings(in), in.readLong(),
                in.readLong());
    }

    static void writeTables(DataOutput out, AclTables t) throws IOException {
        RecordCodec.writeList(out, t.tokens(), AclCodec::writeToken);
        RecordCodec.writeList(out, t.policies(), AclCodec::writePolicy);
        RecordCodec.writeList(out, t.roles(), AclCodec::writeRole);
        out.writeLong(t.bootstrapIndex());
    }

    static AclTables readTables(DataInput in) throws IOException {
        return new AclTables(RecordCodec.readList(in, AclCodec::readToken),
                RecordCodec.readList(in, AclCodec::readPolicy), RecordCodec.readList(in, AclCodec::readRole),
                in.readLong());
    }
}
