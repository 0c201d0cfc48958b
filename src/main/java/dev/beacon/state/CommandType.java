package dev.beacon.state;

import java.io.DataOutput;
import java.io.IOException;

/**
 * Everything the store knows about one command type, in one place: its tag byte in the log (part of the on-disk
 * format: never renumbered or reused), how its fields are written and read, what applying it does, and whether it
 * adds data. {@link CommandRegistry} holds one per type; the codec and the apply dispatch both go through it.
 */
record CommandType<C extends Command>(int tag, Class<C> type, RecordCodec.Writer<C> writer,
                                      RecordCodec.Reader<C> reader, Effect<C> effect, Growth<C> growth) {

    /** What applying the command does to the store, at the entry {@code at} describes. */
    interface Effect<C> {
        Outcome apply(C command, Applying at);
    }

    /**
     * Whether the command would add data, so is refused while a {@link Alarm#NOSPACE} alarm is raised (etcd
     * refuses puts, and allows deletes, in the same state). Deletes, releases, session renewals and destruction,
     * tombstone reaping and updates of catalog rows that exist (a check changing status) must keep working, so
     * that a full server can still be emptied and its health still reported.
     */
    interface Growth<C> {
        boolean adds(C command, StoreTables tables);
    }

    /** A command that never adds data; see {@link #growing}. */
    static <C extends Command> CommandType<C> of(int tag, Class<C> type, RecordCodec.Writer<C> writer,
                                                 RecordCodec.Reader<C> reader, Effect<C> effect) {
        return new CommandType<>(tag, type, writer, reader, effect, (command, tables) -> false);
    }

    /** This type, adding data when {@code when} says so. */
    CommandType<C> growing(Growth<C> when) {
        return new CommandType<>(tag, type, writer, reader, effect, when);
    }

    /** This type, always adding data. */
    CommandType<C> growing() {
        return growing((command, tables) -> true);
    }

    void write(DataOutput out, Command command) throws IOException {
        writer.write(out, type.cast(command));
    }

    Outcome apply(Command command, Applying at) {
        return effect.apply(type.cast(command), at);
    }

    boolean adds(Command command, StoreTables tables) {
        return growth.adds(type.cast(command), tables);
    }
}
