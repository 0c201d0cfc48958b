package dev.beacon.state;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

import static dev.beacon.state.Wire.readBytes;
import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeBytes;
import static dev.beacon.state.Wire.writeString;

/** The KV commands: their log format and their effect on the KV table. */
final class KvCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(1, Command.KvSet.class,
                    (out, c) -> writeSetFields(out, c.key(), c.value(), c.flags(), c.cas()),
                    in -> new Command.KvSet(readString(in), readBytes(in), in.readLong(), in.readLong()),
                    (c, at) -> at.kv().set(at.index(), c, at.changes(), 0))
                    .growing(),
            CommandType.of(39, Command.KvSetIfChanged.class,
                    (out, c) -> writeSetFields(out, c.key(), c.value(), c.flags(), c.cas()),
                    in -> new Command.KvSetIfChanged(readString(in), readBytes(in), in.readLong(), in.readLong()),
                    (c, at) -> at.kv().setIfChanged(at.index(), c, at.changes()))
                    .growing(),
            CommandType.of(2, Command.KvDelete.class,
                    (out, c) -> {
                        writeString(out, c.key());
                        out.writeBoolean(c.recurse());
                        out.writeLong(c.cas());
                    },
                    in -> new Command.KvDelete(readString(in), in.readBoolean(), in.readLong()),
                    (c, at) -> at.kv().delete(at.index(), c, at.changes())),
            CommandType.of(34, Command.KvSetExpiring.class,
                    (out, c) -> {
                        writeString(out, c.key());
                        writeBytes(out, c.value());
                        out.writeLong(c.flags());
                        out.writeLong(c.cas());
                        out.writeLong(c.ttlMillis());
                    },
                    in -> new Command.KvSetExpiring(readString(in), readBytes(in), in.readLong(), in.readLong(),
                            in.readLong()),
                    (c, at) -> at.kv().set(at.index(), new Command.KvSet(c.key(), c.value(), c.flags(), c.cas()),
                            at.changes(), at.time() + c.ttlMillis()))
                    .growing(),
            CommandType.of(11, Command.ReapTombstones.class,
                    (out, c) -> out.writeLong(c.upToIndex()),
                    in -> new Command.ReapTombstones(in.readLong()),
                    (c, at) -> {
                        at.kv().reap(c.upToIndex());
                        at.kv().expireLockDelays(at.time());
                        return Outcome.ok(at.index());
                    }),
            CommandType.of(12, Command.KvLock.class,
                    (out, c) -> writeLockFields(out, c.key(), c.value(), c.flags(), c.session()),
                    in -> new Command.KvLock(readString(in), readBytes(in), in.readLong(), readString(in)),
                    (c, at) -> at.sessions().contains(c.session())
                            ? at.kv().lock(at.index(), at.time(), c, at.changes())
                            : Outcome.error(at.index(), "invalid session \"" + c.session() + "\""))
                    .growing(),
            CommandType.of(13, Command.KvUnlock.class,
                    (out, c) -> writeLockFields(out, c.key(), c.value(), c.flags(), c.session()),
                    in -> new Command.KvUnlock(readString(in), readBytes(in), in.readLong(), readString(in)),
                    (c, at) -> at.kv().unlock(at.index(), c, at.changes())));

    private KvCommands() {
    }

    private static void writeSetFields(DataOutput out, String key, byte[] value, long flags, long cas)
            throws IOException {
        writeString(out, key);
        writeBytes(out, value);
        out.writeLong(flags);
        out.writeLong(cas);
    }

    private static void writeLockFields(DataOutput out, String key, byte[] value, long flags, String session)
            throws IOException {
        writeString(out, key);
        writeBytes(out, value);
        out.writeLong(flags);
        writeString(out, session);
    }
}
