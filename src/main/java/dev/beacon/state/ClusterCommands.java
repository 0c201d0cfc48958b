package dev.beacon.state;

import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/** Commands about the cluster rather than its data: user events, alarms, and restoring a snapshot. */
final class ClusterCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(18, Command.FireEvent.class,
                    (out, c) -> RecordCodec.writeEvent(out, c.event()),
                    in -> new Command.FireEvent(RecordCodec.readEvent(in)),
                    (c, at) -> {
                        at.tables().events().add(c.event().at(at.index()));
                        at.changes().table(Table.EVENTS);
                        return Outcome.ok(at.index());
                    })
                    .growing(),
            CommandType.of(19, Command.SetAlarm.class,
                    (out, c) -> {
                        writeString(out, c.member());
                        Wire.writeCode(out, c.alarm());
                        out.writeBoolean(c.active());
                    },
                    in -> new Command.SetAlarm(readString(in), Wire.readCode(in, Alarm.class), in.readBoolean()),
                    (c, at) -> {
                        MemberAlarm alarm = new MemberAlarm(c.member(), c.alarm());
                        if (c.active()) {
                            at.tables().raise(alarm);
                        } else {
                            at.tables().clear(alarm);
                        }
                        return Outcome.ok(at.index());
                    }),
            CommandType.of(20, Command.RestoreState.class,
                    (out, c) -> Wire.writeBytes(out, c.snapshot()),
                    in -> new Command.RestoreState(Wire.readBytes(in)),
                    (c, at) -> {
                        // Store.apply restores before any command runs in a journal scope: it replaces every table
                        // (and is not refused under a NOSPACE alarm: it replaces the data, it does not add to it).
                        throw new IllegalStateException("a restore is applied by the store itself");
                    }),
            CommandType.of(21, Command.AdvanceIndex.class,
                    (out, c) -> {
                    },
                    in -> new Command.AdvanceIndex(),
                    (c, at) -> Outcome.ok(at.index())),
            CommandType.of(35, Command.RestoreStage.class,
                    (out, c) -> {
                        Wire.writeString(out, c.restoreId());
                        out.writeInt(c.part());
                        Wire.writeBytes(out, c.bytes());
                    },
                    in -> new Command.RestoreStage(Wire.readString(in), in.readInt(), Wire.readBytes(in)),
                    (c, at) -> {
                        // Not refused under a NOSPACE alarm, as a restore is not: it replaces the data.
                        String refused = at.tables().staging().add(c);
                        return refused == null ? Outcome.ok(at.index()) : Outcome.error(at.index(), refused);
                    }),
            CommandType.of(36, Command.RestoreCommit.class,
                    (out, c) -> {
                        Wire.writeString(out, c.restoreId());
                        out.writeInt(c.parts());
                        out.writeLong(c.length());
                    },
                    in -> new Command.RestoreCommit(Wire.readString(in), in.readInt(), in.readLong()),
                    (c, at) -> {
                        throw new IllegalStateException("a restore is applied by the store itself");
                    }));

    private ClusterCommands() {
    }
}
