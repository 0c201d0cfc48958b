package dev.beacon.state;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/** Sessions by id. */
final class SessionTable {
    private final TreeMap<String, Session> sessions = new TreeMap<>();

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
        sessions.put(session.id(), session);
    }

    Session remove(String id) {
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
