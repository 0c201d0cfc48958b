package dev.beacon.state;

import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/** Commands about the cluster rather than its data: user events and alarms. */
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
                    }));

    private ClusterCommands() {
    }
}
