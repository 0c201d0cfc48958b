package dev.beacon.state;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sessions by id. */
final class SessionTable {
    private final TreeMap<String, Session> sessions = new TreeMap<>();
    /** While a transaction runs: each touched session as it was before it (null: none). */
    private Map<String, Session> undo;

    void beginUndo() {
        undo = new HashMap<>();
    }

    void endUndo() {
        undo = null;
    }

    /** Puts every session the transaction touched back as it was. */
    void rollback() {
        undo.forEach((id, session) -> {
            if (session == null) {
                sessions.remove(id);
            } else {
                sessions.put(id, session);
            }
        });
        endUndo();
    }

    private void remember(String id) {
        if (undo != null && !undo.containsKey(id)) {
            undo.put(id, sessions.get(id));
        }
    }

    Session get(String id) {
        return sessions.get(id);
    }

    Collection<Session> all() {
        return sessions.values();
    }

    boolean contains(String id) {
        return sessions.containsKey(id);
    }

    void put(Session session) {
        remember(session.id());
        sessions.put(session.id(), session);
    }

    Session remove(String id) {
        remember(id);
        return sessions.remove(id);
    }

    List<Session> onNode(String node) {
        return sessions.values().stream().filter(s -> s.node().equals(node)).toList();
    }

    void restore(List<Session> restored) {
        sessions.clear();
        restored.forEach(this::put);
    }
}
