package dev.beacon.state;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parked readers by the resource they cover. After each applied command the store asks for the watches its
 * changes touch; each is removed as it is taken, so a watch fires once. A prefix watch is found by looking up
 * every prefix of each changed key, so the cost of a write does not grow with the number of parked readers.
 */
final class WatchRegistry {
    private final Map<String, Set<Watch>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Set<Watch>> byPrefix = new ConcurrentHashMap<>();
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

    void onTable(Table table, Watch watch) {
        Set<Watch> set = byTable.get(table);
        watch.unregisterWith(() -> set.remove(watch));
        set.add(watch);
    }

    List<Watch> take(Changes changes) {
        List<Watch> fired = new ArrayList<>();
        for (Table table : changes.tables()) {
            drain(byTable.get(table), fired);
        }
        for (String key : changes.keys()) {
            takeAll(byKey, key, fired);
            if (!byPrefix.isEmpty()) {
                for (int end = 0; end <= key.length(); end++) {
                    takeAll(byPrefix, key.substring(0, end), fired);
                }
            }
        }
        return fired;
    }

    List<Watch> takeEverything() {
        List<Watch> fired = new ArrayList<>();
        byTable.values().forEach(set -> drain(set, fired));
        byKey.values().forEach(fired::addAll);
        byKey.clear();
        byPrefix.values().forEach(fired::addAll);
        byPrefix.clear();
        return fired;
    }

    int size() {
        int size = 0;
        for (Set<Watch> set : byTable.values()) {
            size += set.size();
        }
        for (Set<Watch> set : byKey.values()) {
            size += set.size();
        }
        for (Set<Watch> set : byPrefix.values()) {
            size += set.size();
        }
        return size;
    }

    private static void add(Map<String, Set<Watch>> map, String name, Watch watch) {
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

    private static void takeAll(Map<String, Set<Watch>> map, String name, List<Watch> into) {
        Set<Watch> set = map.remove(name);
        if (set != null) {
            into.addAll(set);
        }
    }

    private static void drain(Set<Watch> set, List<Watch> into) {
        for (Watch watch : set) {
            if (set.remove(watch)) {
                into.add(watch);
            }
        }
    }
}
