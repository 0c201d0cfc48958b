package dev.beacon.state;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What one command touched: the tables and KV keys whose index moves to this entry's index. */
final class Changes {
    private final Set<Table> tables = EnumSet.noneOf(Table.class);
    private final List<String> keys = new ArrayList<>();

    void table(Table table) {
        tables.add(table);
    }

    void key(String key) {
        tables.add(Table.KV);
        keys.add(key);
    }

    void addAll(Changes other) {
        tables.addAll(other.tables);
        keys.addAll(other.keys);
    }

    Set<Table> tables() {
        return tables;
    }

    List<String> keys() {
        return keys;
    }

    boolean isEmpty() {
        return tables.isEmpty();
    }
}
