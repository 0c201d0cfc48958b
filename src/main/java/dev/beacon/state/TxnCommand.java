package dev.beacon.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

import static dev.beacon.state.Wire.readBytes;
import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeBytes;
import static dev.beacon.state.Wire.writeString;

/**
 * Consul's {@code /v1/txn} as a command: its operations' log format (see {@link TxnApplier} for their effect).
 * A KV operation starts with its verb's code (below 0x80); a catalog operation starts with the kind of row it is
 * on, then its verb's code.
 */
final class TxnCommand {
    private static final int ON_NODE = 0x80;
    private static final int ON_SERVICE = 0x81;
    private static final int ON_CHECK = 0x82;

    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(14, Command.Txn.class,
                    (out, c) -> RecordCodec.writeList(out, c.ops(), TxnCommand::writeOp),
                    in -> new Command.Txn(RecordCodec.readList(in, TxnCommand::readOp)),
                    (c, at) -> new TxnApplier(at).apply(c.ops()))
                    .growing((c, tables) -> c.ops().stream().anyMatch(TxnCommand::mayAdd)));

    private TxnCommand() {
    }

    /** A transaction is refused whole if any operation could add data: its effect is not known in advance. */
    private static boolean mayAdd(TxnOperation operation) {
        if (operation instanceof TxnOp op) {
            return op.verb() == TxnOp.Verb.SET || op.verb() == TxnOp.Verb.CAS || op.verb() == TxnOp.Verb.LOCK;
        }
        CatalogTxnOp op = (CatalogTxnOp) operation;
        return op.verb() == CatalogTxnOp.Verb.SET || op.verb() == CatalogTxnOp.Verb.CAS;
    }

    private static void writeOp(DataOutput out, TxnOperation operation) throws IOException {
        if (operation instanceof TxnOp op) {
            Wire.writeCode(out, op.verb());
            writeString(out, op.key());
            writeBytes(out, op.value());
            out.writeLong(op.flags());
            out.writeLong(op.index());
            writeString(out, op.session());
            return;
        }
        CatalogTxnOp op = (CatalogTxnOp) operation;
        if (op instanceof CatalogTxnOp.OnNode n) {
            out.writeByte(ON_NODE);
            Wire.writeCode(out, op.verb());
            RecordCodec.writeNode(out, n.node());
        } else if (op instanceof CatalogTxnOp.OnService s) {
            out.writeByte(ON_SERVICE);
            Wire.writeCode(out, op.verb());
            RecordCodec.writeService(out, s.service());
        } else if (op instanceof CatalogTxnOp.OnCheck c) {
            out.writeByte(ON_CHECK);
            Wire.writeCode(out, op.verb());
            RecordCodec.writeCheck(out, c.check());
        }
        out.writeLong(op.index());
    }

    private static TxnOperation readOp(DataInput in) throws IOException {
        int kind = in.readUnsignedByte();
        return switch (kind) {
            case ON_NODE -> new CatalogTxnOp.OnNode(catalogVerb(in), RecordCodec.readNode(in), in.readLong());
            case ON_SERVICE -> new CatalogTxnOp.OnService(catalogVerb(in), RecordCodec.readService(in),
                    in.readLong());
            case ON_CHECK -> new CatalogTxnOp.OnCheck(catalogVerb(in), RecordCodec.readCheck(in), in.readLong());
            default -> new TxnOp(WireCode.decode(TxnOp.Verb.class, kind), readString(in), readBytes(in),
                    in.readLong(), in.readLong(), readString(in));
        };
    }

    private static CatalogTxnOp.Verb catalogVerb(DataInput in) throws IOException {
        return Wire.readCode(in, CatalogTxnOp.Verb.class);
    }
}
