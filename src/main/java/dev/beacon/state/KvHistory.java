package dev.beacon.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last KV events, as etcd v2 keeps the last 1,000 for watchers that resume from an index ({@code waitIndex}).
 * Also bounded by the bytes of value the events hold, so a burst of large writes cannot pin much heap: the oldest
 * go first either way. Part of the replicated state (and of snapshots), so every server answers a watch alike.
 */
final class KvHistory {
    static final int MAX_EVENTS = 1000;
    static final long MAX_BYTES = 32L << 20;

    private final ArrayDeque<KvEvent> events = new ArrayDeque<>();
    private long bytes;
    /** Every event at or below this index may have been dropped; those above it are all here. */
    private long clearedThrough;

    void add(List<KvEvent> added) {
        for (KvEvent event : added) {
            events.addLast(event);
            bytes += event.weight();
        }
        while (events.size() > MAX_EVENTS || (bytes > MAX_BYTES && events.size() > 1)) {
            KvEvent dropped = events.removeFirst();
            bytes -= dropped.weight();
            clearedThrough = Math.max(clearedThrough, dropped.index());
        }
    }

    /**
     * The first event at or after {@code fromIndex} that {@code matches}, or null if none has happened yet.
     *
     * @throws IllegalStateException if events from that index may have been dropped (etcd's error 401)
     */
    KvEvent first(long fromIndex, Predicate<KvEvent> matches) {
        if (fromIndex <= clearedThrough) {
            throw new IllegalStateException("cleared");
        }
        Iterator<KvEvent> newestFirst = events.descendingIterator();
        KvEvent found = null;
        while (newestFirst.hasNext()) {
            KvEvent event = newestFirst.next();
            if (event.index() < fromIndex) {
                break;
            }
            if (matches.test(event)) {
                found = event;
            }
        }
        return found;
    }

    long clearedThrough() {
        return clearedThrough;
    }

    /** The oldest index still fully kept: what etcd names in its 401 message. */
    long oldestKept() {
        return events.isEmpty() ? clearedThrough + 1 : events.getFirst().index();
    }

    List<KvEvent> all() {
        return new ArrayList<>(events);
    }

    /** Forgets everything up to {@code index} (a restore replaces the state the events described). */
    void clear(long index) {
        events.clear();
        bytes = 0;
        clearedThrough = index;
    }

    void restore(List<KvEvent> restored, long restoredClearedThrough) {
        clear(restoredClearedThrough);
        add(restored);
    }
}
