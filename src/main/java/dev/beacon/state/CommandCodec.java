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

import static dev.beacon.state.Wire.readBytes;
import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeBytes;
import static dev.beacon.state.Wire.writeString;

/**
 * Turns commands and outcomes into bytes and back. This is the replicated log's format: a tag byte per command
 * type, then its fields. Tags are part of the on-disk format, so they are never renumbered.
 */
public final class CommandCodec {
    private static final int KV_SET = 1;
    private static final int KV_DELETE = 2;
    private static final int REGISTER_NODE = 3;
    private static final int DEREGISTER_NODE = 4;
    private static final int REGISTER_SERVICE = 5;
    private static final int DEREGISTER_SERVICE = 6;
    private static final int REGISTER_CHECK = 7;
    private static final int DEREGISTER_CHECK = 8;
    private static final int CREATE_SESSION = 9;
    private static final int DESTROY_SESSION = 10;
    private static final int REAP_TOMBSTONES = 11;
    private static final int KV_LOCK = 12;
    private static final int KV_UNLOCK = 13;
    private static final int TXN = 14;
    private static final int CATALOG_REGISTER = 15;
    private static final int RENEW_SESSION = 16;
    private static final int EXPIRE_SESSION = 17;
    private static final int FIRE_EVENT = 18;
    private static final int SET_ALARM = 19;
    /**
     * Inside a transaction a KV operation starts with its verb's ordinal (below 0x80); a catalog operation starts
     * with one of these, then its verb's ordinal.
     */
    private static final int TXN_NODE = 0x80;
    private static final int TXN_SERVICE = 0x81;
    private static final int TXN_CHECK = 0x82;
    /** Tags of transaction results in an encoded outcome. */
    private static final int RESULT_KV = 1;
    private static final int RESULT_NODE = 2;
    private static final int RESULT_SERVICE = 3;
    private static final int RESULT_CHECK = 4;

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
        }
    }

    private static TxnResult readResult(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case RESULT_KV -> RecordCodec.readKv(in);
            case RESULT_NODE -> RecordCodec.readNode(in);
            case RESULT_SERVICE -> RecordCodec.readService(in);
            case RESULT_CHECK -> RecordCodec.readCheck(in);
            default -> throw new IOException("unknown result tag " + tag);
        };
    }

    private static void requireFullyRead(DataInputStream in) throws IOException {
        if (in.available() > 0) {
            throw new IOException(in.available() + " stray bytes after the end");
        }
    }

    private static void write(DataOutputStream out, Command command) throws IOException {
        if (command instanceof Command.KvSet c) {
            out.writeByte(KV_SET);
            writeString(out, c.key());
            writeBytes(out, c.value());
            out.writeLong(c.flags());
            out.writeLong(c.cas());
        } else if (command instanceof Command.KvDelete c) {
            out.writeByte(KV_DELETE);
            writeString(out, c.key());
            out.writeBoolean(c.recurse());
            out.writeLong(c.cas());
        } else if (command instanceof Command.RegisterNode c) {
            out.writeByte(REGISTER_NODE);
            RecordCodec.writeNode(out, c.node());
        } else if (command instanceof Command.DeregisterNode c) {
            out.writeByte(DEREGISTER_NODE);
            writeString(out, c.name());
        } else if (command instanceof Command.RegisterService c) {
            out.writeByte(REGISTER_SERVICE);
            RecordCodec.writeService(out, c.service());
        } else if (command instanceof Command.DeregisterService c) {
            out.writeByte(DEREGISTER_SERVICE);
            writeString(out, c.node());
            writeString(out, c.serviceId());
        } else if (command instanceof Command.RegisterCheck c) {
            out.writeByte(REGISTER_CHECK);
            RecordCodec.writeCheck(out, c.check());
        } else if (command instanceof Command.DeregisterCheck c) {
            out.writeByte(DEREGISTER_CHECK);
            writeString(out, c.node());
            writeString(out, c.checkId());
        } else if (command instanceof Command.CreateSession c) {
            out.writeByte(CREATE_SESSION);
            RecordCodec.writeSession(out, c.session());
        } else if (command instanceof Command.DestroySession c) {
            out.writeByte(DESTROY_SESSION);
            writeString(out, c.id());
        } else if (command instanceof Command.RenewSession c) {
            out.writeByte(RENEW_SESSION);
            writeString(out, c.id());
        } else if (command instanceof Command.ExpireSession c) {
            out.writeByte(EXPIRE_SESSION);
            writeString(out, c.id());
        } else if (command instanceof Command.FireEvent c) {
            out.writeByte(FIRE_EVENT);
            RecordCodec.writeEvent(out, c.event());
        } else if (command instanceof Command.SetAlarm c) {
            out.writeByte(SET_ALARM);
            writeString(out, c.member());
            out.writeByte(c.alarm().code());
            out.writeBoolean(c.active());
        } else if (command instanceof Command.ReapTombstones c) {
            out.writeByte(REAP_TOMBSTONES);
            out.writeLong(c.upToIndex());
        } else if (command instanceof Command.KvLock c) {
            out.writeByte(KV_LOCK);
            writeLockFields(out, c.key(), c.value(), c.flags(), c.session());
        } else if (command instanceof Command.KvUnlock c) {
            out.writeByte(KV_UNLOCK);
            writeLockFields(out, c.key(), c.value(), c.flags(), c.session());
        } else if (command instanceof Command.CatalogRegister c) {
            out.writeByte(CATALOG_REGISTER);
            RecordCodec.writeNode(out, c.node());
            out.writeBoolean(c.service() != null);
            if (c.service() != null) {
                RecordCodec.writeService(out, c.service());
            }
            RecordCodec.writeList(out, c.checks(), RecordCodec::writeCheck);
        } else if (command instanceof Command.Txn c) {
            out.writeByte(TXN);
            out.writeInt(c.ops().size());
            for (TxnOperation op : c.ops()) {
                writeTxnOp(out, op);
            }
        } else {
            throw new IllegalArgumentException("no encoding for " + command.getClass().getName());
        }
    }

    static Alarm readAlarm(DataInput in) throws IOException {
        int code = in.readUnsignedByte();
        Alarm alarm = Alarm.ofCode(code);
        if (alarm == null) {
            throw new IOException("unknown alarm code " + code);
        }
        return alarm;
    }

    private static Command.CatalogRegister readCatalogRegister(DataInputStream in) throws IOException {
        Node node = RecordCodec.readNode(in);
        ServiceInstance service = in.readBoolean() ? RecordCodec.readService(in) : null;
        return new Command.CatalogRegister(node, service, RecordCodec.readList(in, RecordCodec::readCheck));
    }

    private static void writeTxnOp(DataOutputStream out, TxnOperation operation) throws IOException {
        if (operation instanceof TxnOp op) {
            out.writeByte(op.verb().ordinal());
            writeString(out, op.key());
            writeBytes(out, op.value());
            out.writeLong(op.flags());
            out.writeLong(op.index());
            writeString(out, op.session());
            return;
        }
        CatalogTxnOp op = (CatalogTxnOp) operation;
        if (op instanceof CatalogTxnOp.OnNode n) {
            out.writeByte(TXN_NODE);
            out.writeByte(op.verb().ordinal());
            RecordCodec.writeNode(out, n.node());
        } else if (op instanceof CatalogTxnOp.OnService s) {
            out.writeByte(TXN_SERVICE);
            out.writeByte(op.verb().ordinal());
            RecordCodec.writeService(out, s.service());
        } else if (op instanceof CatalogTxnOp.OnCheck c) {
            out.writeByte(TXN_CHECK);
            out.writeByte(op.verb().ordinal());
            RecordCodec.writeCheck(out, c.check());
        }
        out.writeLong(op.index());
    }

    private static Command.Txn readTxn(DataInputStream in) throws IOException {
        int count = Wire.readCount(in);
        List<TxnOperation> ops = new ArrayList<>(Math.min(count, 128));
        for (int i = 0; i < count; i++) {
            int kind = in.readUnsignedByte();
            ops.add(switch (kind) {
                case TXN_NODE -> new CatalogTxnOp.OnNode(catalogVerb(in), RecordCodec.readNode(in), in.readLong());
                case TXN_SERVICE -> new CatalogTxnOp.OnService(catalogVerb(in), RecordCodec.readService(in),
                        in.readLong());
                case TXN_CHECK -> new CatalogTxnOp.OnCheck(catalogVerb(in), RecordCodec.readCheck(in), in.readLong());
                default -> {
                    if (kind >= TxnOp.Verb.values().length) {
                        throw new IOException("unknown txn verb " + kind);
                    }
                    yield new TxnOp(TxnOp.Verb.values()[kind], readString(in), readBytes(in), in.readLong(),
                            in.readLong(), readString(in));
                }
            });
        }
        return new Command.Txn(ops);
    }

    private static CatalogTxnOp.Verb catalogVerb(DataInputStream in) throws IOException {
        int verb = in.readUnsignedByte();
        if (verb >= CatalogTxnOp.Verb.values().length) {
            throw new IOException("unknown catalog txn verb " + verb);
        }
        return CatalogTxnOp.Verb.values()[verb];
    }

    private static void writeLockFields(DataOutputStream out, String key, byte[] value, long flags, String session)
            throws IOException {
        writeString(out, key);
        writeBytes(out, value);
        out.writeLong(flags);
        writeString(out, session);
    }

    private static Command read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case KV_SET -> new Command.KvSet(readString(in), readBytes(in), in.readLong(), in.readLong());
            case KV_DELETE -> new Command.KvDelete(readString(in), in.readBoolean(), in.readLong());
            case REGISTER_NODE -> new Command.RegisterNode(RecordCodec.readNode(in));
            case DEREGISTER_NODE -> new Command.DeregisterNode(readString(in));
            case REGISTER_SERVICE -> new Command.RegisterService(RecordCodec.readService(in));
            case DEREGISTER_SERVICE -> new Command.DeregisterService(readString(in), readString(in));
            case REGISTER_CHECK -> new Command.RegisterCheck(RecordCodec.readCheck(in));
            case DEREGISTER_CHECK -> new Command.DeregisterCheck(readString(in), readString(in));
            case CREATE_SESSION -> new Command.CreateSession(RecordCodec.readSession(in));
            case DESTROY_SESSION -> new Command.DestroySession(readString(in));
            case REAP_TOMBSTONES -> new Command.ReapTombstones(in.readLong());
            case KV_LOCK -> new Command.KvLock(readString(in), readBytes(in), in.readLong(), readString(in));
            case KV_UNLOCK -> new Command.KvUnlock(readString(in), readBytes(in), in.readLong(), readString(in));
            case TXN -> readTxn(in);
            case CATALOG_REGISTER -> readCatalogRegister(in);
            case RENEW_SESSION -> new Command.RenewSession(readString(in));
            case EXPIRE_SESSION -> new Command.ExpireSession(readString(in));
            case FIRE_EVENT -> new Command.FireEvent(RecordCodec.readEvent(in));
            case SET_ALARM -> new Command.SetAlarm(readString(in), readAlarm(in), in.readBoolean());
            default -> throw new IOException("unknown command tag " + tag);
        };
    }
}
