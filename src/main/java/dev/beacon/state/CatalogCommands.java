package dev.beacon.state;

import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/** The catalog commands: their log format, their effect on the catalog, and which of them add rows. */
final class CatalogCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(3, Command.RegisterNode.class,
                    (out, c) -> RecordCodec.writeNode(out, c.node()),
                    in -> new Command.RegisterNode(RecordCodec.readNode(in)),
                    (c, at) -> at.catalog().registerNode(at.index(), c.node(), at.changes()))
                    .growing((c, tables) -> addsNode(c.node(), tables)),
            CommandType.of(4, Command.DeregisterNode.class,
                    (out, c) -> writeString(out, c.name()),
                    in -> new Command.DeregisterNode(readString(in)),
                    (c, at) -> {
                        at.sessions().onNode(c.name()).forEach(s -> SessionCommands.destroy(s.id(), at));
                        return at.catalog().deregisterNode(at.index(), c.name(), at.changes());
                    }),
            CommandType.of(5, Command.RegisterService.class,
                    (out, c) -> RecordCodec.writeService(out, c.service()),
                    in -> new Command.RegisterService(RecordCodec.readService(in)),
                    (c, at) -> at.catalog().registerService(at.index(), c.service(), at.changes()))
                    .growing((c, tables) -> addsService(c.service(), tables)),
            CommandType.of(6, Command.DeregisterService.class,
                    (out, c) -> {
                        writeString(out, c.node());
                        writeString(out, c.serviceId());
                    },
                    in -> new Command.DeregisterService(readString(in), readString(in)),
                    (c, at) -> at.catalog().deregisterService(at.index(), c.node(), c.serviceId(), at.changes())),
            CommandType.of(7, Command.RegisterCheck.class,
                    (out, c) -> RecordCodec.writeCheck(out, c.check()),
                    in -> new Command.RegisterCheck(RecordCodec.readCheck(in)),
                    (c, at) -> at.catalog().registerCheck(at.index(), at.time(), c.check(), at.changes()))
                    .growing((c, tables) -> addsCheck(c.check(), tables)),
            CommandType.of(8, Command.DeregisterCheck.class,
                    (out, c) -> {
                        writeString(out, c.node());
                        writeString(out, c.checkId());
                    },
                    in -> new Command.DeregisterCheck(readString(in), readString(in)),
                    (c, at) -> at.catalog().deregisterCheck(at.index(), c.node(), c.checkId(), at.changes())),
            CommandType.of(15, Command.CatalogRegister.class,
                    (out, c) -> {
                        RecordCodec.writeNode(out, c.node());
                        out.writeBoolean(c.service() != null);
                        if (c.service() != null) {
                            RecordCodec.writeService(out, c.service());
                        }
                        RecordCodec.writeList(out, c.checks(), RecordCodec::writeCheck);
                    },
                    in -> new Command.CatalogRegister(RecordCodec.readNode(in),
                            in.readBoolean() ? RecordCodec.readService(in) : null,
                            RecordCodec.readList(in, RecordCodec::readCheck)),
                    (c, at) -> at.catalog().register(at.index(), at.time(), c, at.changes()))
                    .growing((c, tables) -> addsNode(c.node(), tables)
                            || (c.service() != null && addsService(c.service(), tables))
                            || c.checks().stream().anyMatch(check -> addsCheck(check, tables))));

    private CatalogCommands() {
    }

    private static boolean addsNode(Node node, StoreTables tables) {
        return tables.catalog().node(node.name()) == null;
    }

    private static boolean addsService(ServiceInstance service, StoreTables tables) {
        return tables.catalog().service(service.node(), service.id()) == null;
    }

    private static boolean addsCheck(HealthCheck check, StoreTables tables) {
        return tables.catalog().check(check.node(), check.checkId()) == null;
    }
}
