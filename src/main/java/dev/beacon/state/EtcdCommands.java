package dev.beacon.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

import static dev.beacon.state.Wire.readBytes;
import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeBytes;
import static dev.beacon.state.Wire.writeString;

/** The writes of etcd's key tree, and key expiry: their log format and their effect ({@link EtcdTree}). */
final class EtcdCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(31, Command.KvPut.class,
                    (out, c) -> {
                        writeString(out, c.path());
                        writeBytes(out, c.value());
                        out.writeBoolean(c.dir());
                        out.writeLong(c.ttlMillis());
                        out.writeBoolean(c.refresh());
                        writeCondition(out, c.prevExist());
                        writeBytes(out, c.prevValue());
                        out.writeLong(c.prevIndex());
                        out.writeBoolean(c.inOrder());
                    },
                    in -> new Command.KvPut(readString(in), readBytes(in), in.readBoolean(), in.readLong(),
                            in.readBoolean(), readCondition(in), readBytes(in), in.readLong(), in.readBoolean()),
                    (c, at) -> EtcdTree.put(c, at))
                    .growing(),
            CommandType.of(32, Command.KvRemove.class,
                    (out, c) -> {
                        writeString(out, c.path());
                        out.writeBoolean(c.dir());
                        out.writeBoolean(c.recursive());
                        writeBytes(out, c.prevValue());
                        out.writeLong(c.prevIndex());
                    },
                    in -> new Command.KvRemove(readString(in), in.readBoolean(), in.readBoolean(), readBytes(in),
                            in.readLong()),
                    (c, at) -> EtcdTree.remove(c, at)),
            CommandType.of(33, Command.KvExpire.class,
                    (out, c) -> {
                        writeString(out, c.key());
                        out.writeLong(c.expiry());
                    },
                    in -> new Command.KvExpire(readString(in), in.readLong()),
                    (c, at) -> EtcdTree.expire(c, at)));

    private EtcdCommands() {
    }

    private static void writeCondition(DataOutput out, Boolean condition) throws IOException {
        out.writeByte(condition == null ? -1 : condition ? 1 : 0);
    }

    private static Boolean readCondition(DataInput in) throws IOException {
        byte b = in.readByte();
        return b < 0 ? null : b == 1;
    }
}
