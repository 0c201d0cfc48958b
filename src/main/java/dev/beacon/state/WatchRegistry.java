package dev.beacon.state;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parked readers by the resource they cover: a key, a prefix, a service, a node or tables. After each applied
 * command the store asks for the watches its changes touch; each is removed as it is taken, so a watch fires once.
 * A prefix watch is found by looking up every prefix of each changed key, so the cost of a write does not grow
 * with the number of parked readers.
 */
final class WatchRegistry {
    private final Map<String, Set<Watch>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> byPrefix = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> byService = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> byNode = new ConcurrentHashMap<>();
    private final Map<Table, Set<Watch>> byTable = new EnumMap<>(Table.class);

    WatchRegistry() {
        for (Table table : Table.values()) {
            byTable.put(table, ConcurrentHashMap.newKeySet());
        }
    }

    void onKey(String key, Watch watch) {
        add(byKey, key, watch);
    }

    void onPrefix(String prefix, Watch watch) {
        add(byPrefix, prefix, watch);
    }

    /** A slice of one service: woken by changes to its instances, their checks and their nodes only. */
    void onService(String name, Watch watch) {
        add(byService, name, watch);
    }

    /** A slice of one node: woken by changes to the node, its services and its checks only. */
    void onNode(String name, Watch watch) {
        add(byNode, name, watch);
    }

    void onTable(Table table, Watch watch) {
        onTables(Set.of(table), watch);
    }

    /** One watch on several tables: the first change to any of them fires it, and it leaves them all. */
    void onTables(Set<Table> tables, Watch watch) {
        watch.unregisterWith(() -> tables.forEach(t -> byTable.get(t).remove(watch)));
        tables.forEach(t -> byTable.get(t).add(watch));
    }

    /**
     * Removes and returns the watches that a change at {@code index} touches and that have not seen it yet. A
     * watch whose reader already holds a later index (read from a server further ahead) stays registered.
     */
    List<Watch> take(Changes changes, long index) {
        if (changes.isEmpty()) {
            return List.of();
        }
        List<Watch> fired = new ArrayList<>();
        for (Table table : changes.tables()) {
            Set<Watch> set = byTable.get(table);
            for (Watch watch : set) {
                if (watch.index() < index && set.remove(watch)) {
                    fired.add(watch);
                }
            }
        }
        for (String service : changes.services()) {
            takeDue(byService, service, index, fired);
        }
        for (String node : changes.nodes()) {
            takeDue(byNode, node, index, fired);
        }
        for (String key : changes.keys()) {
            takeDue(byKey, key, index, fired);
            if (!byPrefix.isEmpty()) {
                for (int end = 0; end <= key.length(); end++) {
                    takeDue(byPrefix, key.substring(0, end), index, fired);
                }
            }
        }
        return fired;
    }

    List<Watch> takeEverything() {
        List<Watch> fired = new ArrayList<>();
        for (Set<Watch> set : byTable.values()) {
            fired.addAll(set);
            set.clear();
        }
        for (Map<String, Set<Watch>> byName : List.of(byKey, byPrefix, byService, byNode)) {
            byName.values().forEach(fired::addAll);
            byName.clear();
        }
        return fired;
    }

    int size() {
        int size = 0;
        for (Set<Watch> set : byTable.values()) {
            size += set.size();
        }
        for (Map<String, Set<Watch>> byName : List.of(byKey, byPrefix, byService, byNode)) {
            for (Set<Watch> set : byName.values()) {
                size += set.size();
            }
        }
        return size;
    }

    private static <K> void add(Map<K, Set<Watch>> map, K name, Watch watch) {
        watch.unregisterWith(() -> map.computeIfPresent(name, (k, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        }));
        map.compute(name, (k, set) -> {
            Set<Watch> watches = set == null ? ConcurrentHashMap.newKeySet() : set;
            watches.add(watch);
            return watches;
        });
    }

    private static void takeDue(Map<String, Set<Watch>> map, String name, long index, List<Watch> into) {
        map.computeIfPresent(name, (k, set) -> {
            set.removeIf(watch -> watch.index() < index && into.add(watch));
            return set.isEmpty() ? null : set;
        });
    }
}
