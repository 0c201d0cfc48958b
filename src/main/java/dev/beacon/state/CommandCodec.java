package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/**
 * Turns commands and outcomes into bytes and back. This is the replicated log's format: a command's tag byte, then
 * its fields, both as its {@link CommandType} in the {@link CommandRegistry} defines them.
 */
public final class CommandCodec {
    /** Tags of transaction results in an encoded outcome. */
    private static final int RESULT_KV = 1;
    private static final int RESULT_NODE = 2;
    private static final int RESULT_SERVICE = 3;
    private static final int RESULT_CHECK = 4;
    private static final int RESULT_KV_EVENT = 5;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            write(out, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static Command decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Command command = read(in);
            requireFullyRead(in);
            return command;
        } catch (IOException | RuntimeException e) {
            // A null where a record forbids one surfaces as a RuntimeException: still a corrupt command.
            throw new UncheckedIOException("corrupt command", e instanceof IOException io ? io : new IOException(e));
        }
    }

    public static byte[] encode(Outcome outcome) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeLong(outcome.index());
            out.writeBoolean(outcome.success());
            writeString(out, outcome.error());
            RecordCodec.writeList(out, outcome.results(), CommandCodec::writeResult);
            out.writeInt(outcome.txnErrors().size());
            for (TxnError e : outcome.txnErrors()) {
                out.writeInt(e.opIndex());
                writeString(out, e.what());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static Outcome decodeOutcome(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long index = in.readLong();
            boolean success = in.readBoolean();
            String error = readString(in);
            List<TxnResult> results = RecordCodec.readList(in, CommandCodec::readResult);
            List<TxnError> errors = new ArrayList<>();
            for (int i = Wire.readCount(in); i > 0; i--) {
                errors.add(new TxnError(in.readInt(), readString(in)));
            }
            Outcome outcome = new Outcome(index, success, error, results, errors);
            requireFullyRead(in);
            return outcome;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("corrupt outcome", e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static void writeResult(DataOutput out, TxnResult result) throws IOException {
        if (result instanceof KvEntry e) {
            out.writeByte(RESULT_KV);
            RecordCodec.writeKv(out, e);
        } else if (result instanceof Node n) {
            out.writeByte(RESULT_NODE);
            RecordCodec.writeNode(out, n);
        } else if (result instanceof ServiceInstance s) {
            out.writeByte(RESULT_SERVICE);
            RecordCodec.writeService(out, s);
        } else if (result instanceof HealthCheck c) {
            out.writeByte(RESULT_CHECK);
            RecordCodec.writeCheck(out, c);
        } else if (result instanceof KvEvent e) {
            out.writeByte(RESULT_KV_EVENT);
            RecordCodec.writeKvEvent(out, e);
        } else {
            throw new IOException("no encoding for result " + result.getClass().getName());
        }
    }

    private static TxnResult readResult(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case RESULT_KV -> RecordCodec.readKv(in);
            case RESULT_NODE -> RecordCodec.readNode(in);
            case RESULT_SERVICE -> RecordCodec.readService(in);
            case RESULT_CHECK -> RecordCodec.readCheck(in);
            case RESULT_KV_EVENT -> RecordCodec.readKvEvent(in);
            default -> throw new IOException("unknown result tag " + tag);
        };
    }

    private static void requireFullyRead(DataInputStream in) throws IOException {
        if (in.available() > 0) {
            throw new IOException(in.available() + " stray bytes after the end");
        }
    }

    private static void write(DataOutputStream out, Command command) throws IOException {
        CommandType<?> type = CommandRegistry.COMMANDS.forCommand(command);
        out.writeByte(type.tag());
        type.write(out, command);
    }

    private static Command read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        CommandType<?> type = CommandRegistry.COMMANDS.forTag(tag);
        if (type == null) {
            throw new IOException("unknown command tag " + tag);
        }
        return type.reader().read(in);
    }
}
