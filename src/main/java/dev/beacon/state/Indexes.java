package dev.beacon.state;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Raft index of the last change to each table, and to each service name and node name (Consul GH-3890: a
 * blocking read of one service waits on that service only). A name keeps its index after its last instance or
 * its node is deleted, so that a re-registration can only move it forward; that costs one entry per distinct name
 * ever registered, which the footprint counts.
 */
final class Indexes {
    private final Map<Table, Long> tables = new EnumMap<>(Table.class);
    private final TreeMap<String, Long> services = new TreeMap<>();
    private final TreeMap<String, Long> nodes = new TreeMap<>();

    Indexes() {
        for (Table table : Table.values()) {
            tables.put(table, 0L);
        }
    }

    /** Moves everything {@code changes} names to {@code index}. */
    void advance(Changes changes, long index) {
        changes.tables().forEach(table -> tables.put(table, index));
        changes.services().forEach(name -> services.put(name, index));
        changes.nodes().forEach(name -> nodes.put(name, index));
    }

    long table(Table table) {
        return tables.get(table);
    }

    /** The index of the last change to the service's instances or their nodes; 0 if it never existed. */
    long service(String name) {
        return services.getOrDefault(name, 0L);
    }

    /** The index of the last change to the node, its services or its checks; 0 if it never existed. */
    long node(String name) {
        return nodes.getOrDefault(name, 0L);
    }

    Map<Table, Long> tables() {
        return tables;
    }

    Map<String, Long> services() {
        return services;
    }

    Map<String, Long> nodes() {
        return nodes;
    }

    void restore(Map<Table, Long> restoredTables, Map<String, Long> restoredServices,
                 Map<String, Long> restoredNodes) {
        for (Table table : Table.values()) {
            tables.put(table, restoredTables.getOrDefault(table, 0L));
        }
        services.clear();
        services.putAll(restoredServices);
        nodes.clear();
        nodes.putAll(restoredNodes);
    }

    /** Estimated heap held by the per-name indexes, in bytes (see {@link Footprint}). */
    long footprint() {
        long bytes = 0;
        for (String name : services.keySet()) {
            bytes += Footprint.nameIndex(name);
        }
        for (String name : nodes.keySet()) {
            bytes += Footprint.nameIndex(name);
        }
        return bytes;
    }
}
