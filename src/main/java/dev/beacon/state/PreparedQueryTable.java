package dev.beacon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The prepared queries by id. Few enough to look one up by name or session by walking them all. */
final class PreparedQueryTable {
    private final JournaledMap<String, PreparedQuery> byId;

    PreparedQueryTable(Journal journal) {
        byId = JournaledMap.of(journal);
    }

    PreparedQuery get(String id) {
        return byId.get(id);
    }

    /** The query named {@code name} (never a nameless one), or null. */
    PreparedQuery byName(String name) {
        if (name.isEmpty()) {
            return null;
        }
        for (PreparedQuery query : byId.view().values()) {
            if (query.name().equals(name)) {
                return query;
            }
        }
        return null;
    }

    /** The nameless template (which serves every name no other query has), or null. */
    PreparedQuery catchAllTemplate() {
        for (PreparedQuery query : byId.view().values()) {
            if (query.name().isEmpty() && query.template() != null) {
                return query;
            }
        }
        return null;
    }

    List<String> boundTo(String session) {
        List<String> ids = new ArrayList<>();
        byId.view().values().forEach(q -> {
            if (q.session().equals(session)) {
                ids.add(q.id());
            }
        });
        return ids;
    }

    void put(PreparedQuery query) {
        byId.put(query.id(), query);
    }

    PreparedQuery remove(String id) {
        return byId.remove(id);
    }

    /** Every query, by id. */
    Collection<PreparedQuery> all() {
        return byId.view().values();
    }

    void restore(List<PreparedQuery> restored) {
        byId.clear();
        restored.forEach(this::put);
    }
}
