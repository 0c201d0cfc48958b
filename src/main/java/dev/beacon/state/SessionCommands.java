package dev.beacon.state;

import java.util.ArrayList;
import java.util.List;

import static dev.beacon.state.Wire.readString;
import static dev.beacon.state.Wire.writeString;

/**
 * The session commands, and the session rules other commands share: a destroyed session releases (or deletes)
 * its keys, and a session whose linked check fails is destroyed.
 */
final class SessionCommands {
    static final List<CommandType<?>> TYPES = List.of(
            CommandType.of(9, Command.CreateSession.class,
                    (out, c) -> RecordCodec.writeSession(out, c.session()),
                    in -> new Command.CreateSession(RecordCodec.readSession(in)),
                    (c, at) -> create(c.session(), at))
                    .growing(),
            CommandType.of(10, Command.DestroySession.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.DestroySession(readString(in)),
                    (c, at) -> {
                        destroy(c.id(), at);
                        return Outcome.ok(at.index());
                    }),
            CommandType.of(16, Command.RenewSession.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.RenewSession(readString(in)),
                    (c, at) -> renew(c.id(), at)),
            CommandType.of(17, Command.ExpireSession.class,
                    (out, c) -> writeString(out, c.id()),
                    in -> new Command.ExpireSession(readString(in)),
                    (c, at) -> {
                        Session session = at.sessions().get(c.id());
                        if (session != null && session.expiredAt(at.time())) {
                            destroy(c.id(), at);
                        }
                        return Outcome.ok(at.index());
                    }));

    private SessionCommands() {
    }

    /** As Consul: the node must exist, and every linked check must exist on it and not be critical. */
    private static Outcome create(Session s, Applying at) {
        long index = at.index();
        if (at.sessions().contains(s.id())) {
            return Outcome.error(index, "session " + s.id() + " already exists");
        }
        if (at.catalog().node(s.node()) == null) {
            return Outcome.error(index, "Missing node registration");
        }
        for (String checkId : linkedChecks(s)) {
            HealthCheck check = at.catalog().check(s.node(), checkId);
            if (check == null) {
                return Outcome.error(index, "Missing check '" + checkId + "' registration");
            }
            if (check.status() == CheckStatus.CRITICAL) {
                return Outcome.error(index, "Check '" + checkId + "' is in critical state");
            }
        }
        at.sessions().put(new Session(s.id(), s.name(), s.node(), s.lockDelayMillis(), s.behavior(), s.ttlMillis(),
                s.nodeChecks(), s.serviceChecks(), index, index, at.time()));
        at.changes().table(Table.SESSIONS);
        return Outcome.ok(index);
    }

    private static List<String> linkedChecks(Session s) {
        List<String> all = new ArrayList<>(s.nodeChecks());
        all.addAll(s.serviceChecks());
        return all;
    }

    /**
     * A renewal moves only the session's TTL start: no index changes, so nobody blocked on the sessions table
     * wakes for a heartbeat (Consul keeps renewals off its indexes too).
     */
    private static Outcome renew(String id, Applying at) {
        Session session = at.sessions().get(id);
        if (session == null) {
            return Outcome.error(at.index(), "Session id '" + id + "' not found");
        }
        at.sessions().put(session.renewedAt(at.time()));
        return Outcome.ok(at.index());
    }

    /**
     * Destroys a session: its locks are released (or its keys deleted, with Behavior delete) and kept from being
     * locked again for the session's lock delay; the prepared queries bound to it are deleted.
     */
    static void destroy(String id, Applying at) {
        Session removed = at.sessions().remove(id);
        if (removed != null) {
            at.changes().table(Table.SESSIONS);
            long lockDelayUntil = removed.lockDelayMillis() > 0 ? at.time() + removed.lockDelayMillis() : 0;
            at.kv().invalidateSession(id, removed.behavior(), at.index(), lockDelayUntil, at.changes());
            PreparedQueryCommands.deleteBoundTo(id, at);
        }
    }

    /** A session is bound to its checks: one that went critical or away invalidates it. */
    static void invalidateSessionsOfFailedChecks(Applying at) {
        List<String> failed = new ArrayList<>();
        for (Session s : at.sessions().all()) {
            for (String checkId : linkedChecks(s)) {
                HealthCheck check = at.catalog().check(s.node(), checkId);
                if (check == null || check.status() == CheckStatus.CRITICAL) {
                    failed.add(s.id());
                    break;
                }
            }
        }
        failed.forEach(id -> destroy(id, at));
    }
}
