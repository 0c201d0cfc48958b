package dev.beacon.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.ToLongBiFunction;

/**
 * A sorted map whose every put and remove records the prior value in the store's {@link Journal}, so that an
 * aborted transaction puts it back. Reads go through {@link #view()}, which cannot be written to: the only writes
 * are the journaled ones. It also keeps the running total of a weight per row (the {@link Footprint} of KV rows),
 * which an undo restores with the row.
 */
final class JournaledMap<K, V> {
    private final TreeMap<K, V> rows;
    private final NavigableMap<K, V> view;
    private final Journal journal;
    private final ToLongBiFunction<K, V> weigher;
    private long weight;

    JournaledMap(Journal journal, Comparator<? super K> order, ToLongBiFunction<K, V> weigher) {
        this.rows = new TreeMap<>(order);
        this.view = Collections.unmodifiableNavigableMap(rows);
        this.journal = journal;
        this.weigher = weigher;
    }

    /** Rows in natural key order, weighing nothing. */
    static <K extends Comparable<K>, V> JournaledMap<K, V> of(Journal journal) {
        return new JournaledMap<>(journal, Comparator.naturalOrder(), (key, value) -> 0);
    }

    /** A read-only, live view of the rows. */
    NavigableMap<K, V> view() {
        return view;
    }

    V get(K key) {
        return rows.get(key);
    }

    boolean containsKey(K key) {
        return rows.containsKey(key);
    }

    int size() {
        return rows.size();
    }

    /** The sum of the rows' weights. */
    long weight() {
        return weight;
    }

    /** Sets a row (values are never null); returns the one it replaced, or null. */
    V put(K key, V value) {
        V prior = write(key, value);
        if (journal.isOpen()) {
            journal.record(() -> restore(key, prior));
        }
        return prior;
    }

    /** Removes a row; returns it, or null if there was none. */
    V remove(K key) {
        V prior = erase(key);
        if (prior != null && journal.isOpen()) {
            journal.record(() -> write(key, prior));
        }
        return prior;
    }

    /** Removes every row that matches; returns how many. */
    int removeIf(BiPredicate<K, V> matches) {
        List<K> doomed = new ArrayList<>();
        rows.forEach((key, value) -> {
            if (matches.test(key, value)) {
                doomed.add(key);
            }
        });
        doomed.forEach(this::remove);
        return doomed.size();
    }

    /**
     * Empties the map, unjournaled: only a restore does this, replacing the whole state, and journaling millions
     * of rows would cost as much as the table. Refused inside a transaction, which could not undo it.
     */
    void clear() {
        if (journal.isOpen()) {
            throw new IllegalStateException("a table cannot be emptied inside a transaction");
        }
        rows.clear();
        weight = 0;
    }

    private void restore(K key, V prior) {
        if (prior == null) {
            erase(key);
        } else {
            write(key, prior);
        }
    }

    private V write(K key, V value) {
        V prior = rows.put(key, value);
        weight += weigher.applyAsLong(key, value) - (prior == null ? 0 : weigher.applyAsLong(key, prior));
        return prior;
    }

    private V erase(K key) {
        V prior = rows.remove(key);
        if (prior != null) {
            weight -= weigher.applyAsLong(key, prior);
        }
        return prior;
    }
}
