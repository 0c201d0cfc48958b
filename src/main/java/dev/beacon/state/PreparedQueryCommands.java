package dev.beacon.state;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.readStringMap;
import static dev.beacon.state.Wire.readStrings;
import static dev.beacon.state.Wire.writeString;
import static dev.beacon.state.Wire.writeStringMap;
import static dev.beacon.state.Wire.writeStrings;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * The prepared query commands, and the binary form of a query (commands, snapshots, forwarded reads). Names stay
 * unique here, so two creations racing through different servers cannot both take one; refusals carry Consul's
 * messages.
 */
final class PreparedQueryCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(37, Command.PreparedQuerySet.class,
                    (out, c) -> {
                        writeQuery(out, c.query());
                        out.writeBoolean(c.create());
                    },
                    in -> new Command.PreparedQuerySet(readQuery(in), in.readBoolean()),
                    (c, at) -> set(c.query(), c.create(), at)).growing(),
            CommandType.of(38, Command.PreparedQueryDelete.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.PreparedQueryDelete(readString(in)),
                    (c, at) -> {
                        if (at.preparedQueries().remove(c.id()) != null) {
                            at.changes().table(Table.PREPARED_QUERIES);
                        }
                        return Outcome.ok(at.index());
                    }));

    private PreparedQueryCommands() {
    }

    private static Outcome set(PreparedQuery query, boolean create, Applying at) {
        PreparedQueryTable table = at.preparedQueries();
        PreparedQuery existing = table.get(query.id());
        if (create && existing != null) {
            return Outcome.error(at.index(), "prepared query ID " + query.id() + " is already in use");
        }
        if (!create && existing == null) {
            return Outcome.error(at.index(), "Cannot modify non-existent prepared query: '" + query.id() + "'");
        }
        PreparedQuery sameName = table.byName(query.name());
        if (sameName != null && !sameName.id().equals(query.id())) {
            return Outcome.error(at.index(), "name \"" + query.name() + "\" aliases an existing query name");
        }
        if (!query.name().isEmpty() && !query.name().equals(query.id()) && table.get(query.name()) != null) {
            return Outcome.error(at.index(), "name \"" + query.name() + "\" aliases an existing query ID");
        }
        if (query.name().isEmpty() && query.template() != null) {
            PreparedQuery catchAll = table.catchAllTemplate();
            if (catchAll != null && !catchAll.id().equals(query.id())) {
                return Outcome.error(at.index(), "a query template with an empty name already exists");
            }
        }
        if (!query.session().isEmpty() && at.sessions().get(query.session()) == null) {
            return Outcome.error(at.index(), "invalid session \"" + query.session() + "\"");
        }
        table.put(query.at(existing == null ? at.index() : existing.createIndex(), at.index()));
        at.changes().table(Table.PREPARED_QUERIES);
        return Outcome.ok(at.index());
    }

    /** A destroyed session takes the queries bound to it along, as Consul's do. */
    static void deleteBoundTo(String session, Applying at) {
        List<String> bound = at.preparedQueries().boundTo(session);
        bound.forEach(id -> at.preparedQueries().remove(id));
        if (!bound.isEmpty()) {
            at.changes().table(Table.PREPARED_QUERIES);
        }
    }

    static void writeQuery(DataOutput out, PreparedQuery q) throws IOException {
        writeString(out, q.id());
        writeString(out, q.name());
        writeString(out, q.session());
        writeString(out, q.token());
        PreparedQuery.ServiceQuery s = q.service();
        writeString(out, s.service());
        out.writeInt(s.nearestN());
        writeStrings(out, s.datacenters());
        out.writeBoolean(s.onlyPassing());
        writeStrings(out, s.ignoreCheckIds());
        writeString(out, s.near());
        writeStrings(out, s.tags());
        writeStringMap(out, s.nodeMeta());
        writeStringMap(out, s.serviceMeta());
        writeString(out, q.dnsTtl());
        out.writeBoolean(q.template() != null);
        if (q.template() != null) {
            writeString(out, q.template().type());
            writeString(out, q.template().regexp());
            out.writeBoolean(q.template().removeEmptyTags());
        }
        out.writeLong(q.createIndex());
        out.writeLong(q.modifyIndex());
    }

    static PreparedQuery readQuery(DataInput in) throws IOException {
        String id = readString(in);
        String name = readString(in);
        String session = readString(in);
        String token = readString(in);
        PreparedQuery.ServiceQuery service = new PreparedQuery.ServiceQuery(readString(in), in.readInt(),
                readStrings(in), in.readBoolean(), readStrings(in), readString(in), readStrings(in),
                readStringMap(in), readStringMap(in));
        String dnsTtl = readString(in);
        PreparedQuery.Template template = in.readBoolean()
                ? new PreparedQuery.Template(readString(in), readString(in), in.readBoolean()) : null;
        return new PreparedQuery(id, name, session, token, service, dnsTtl, template, in.readLong(), in.readLong());
    }
}
