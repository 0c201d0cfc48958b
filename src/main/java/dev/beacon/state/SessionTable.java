package dev.beacon.state;

import java.util.Collection;
import java.util.List;

/** Sessions by id. */
final class SessionTable {
    private final JournaledMap<String, Session> sessions;

    SessionTable(Journal journal) {
        sessions = JournaledMap.of(journal);
    }

    Session get(String id) {
        return sessions.get(id);
    }

    Collection<Session> all() {
        return sessions.view().values();
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
        return sessions.view().values().stream().filter(s -> s.node().equals(node)).toList();
    }

    void restore(List<Session> restored) {
        sessions.clear();
        restored.forEach(this::put);
    }
}
