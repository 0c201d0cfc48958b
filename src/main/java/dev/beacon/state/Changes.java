package dev.beacon.state;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one command touched: the tables, KV keys, service names and node names whose index moves to this entry's
 * index. A catalog write names every service and node whose slice it changes, so that readers of another one are
 * neither woken nor shown a new index.
 */
final class Changes {
    private final Set<Table> tables = EnumSet.noneOf(Table.class);
    private final List<String> keys = new ArrayList<>();
    private final Set<String> services = new TreeSet<>();
    private final Set<String> nodes = new TreeSet<>();
    private final List<KvEvent> kvEvents = new ArrayList<>();
    private boolean refreshOnly;

    void table(Table table) {
        tables.add(table);
    }

    void key(String key) {
        tables.add(Table.KV);
        keys.add(key);
    }

    /** A KV change as etcd's event history records it; a key change also goes through {@link #key}. */
    void kvEvent(KvEvent event) {
        kvEvents.add(event);
    }

    /**
     * The write only refreshed a key's time to live (etcd's {@code refresh=true}): as etcd does, its event answers
     * the write but no watcher sees it, so it stays out of the event history.
     */
    void refreshOnly() {
        refreshOnly = true;
    }

    boolean isRefreshOnly() {
        return refreshOnly;
    }

    void service(String name) {
        services.add(name);
    }

    void node(String name) {
        nodes.add(name);
    }

    void addAll(Changes other) {
        tables.addAll(other.tables);
        keys.addAll(other.keys);
        services.addAll(other.services);
        nodes.addAll(other.nodes);
        kvEvents.addAll(other.kvEvents);
    }

    Set<Table> tables() {
        return tables;
    }

    List<String> keys() {
        return keys;
    }

    Set<String> services() {
        return services;
    }

    List<KvEvent> kvEvents() {
        return kvEvents;
    }

    Set<String> nodes() {
        return nodes;
    }

    boolean isEmpty() {
        return tables.isEmpty();
    }
}
