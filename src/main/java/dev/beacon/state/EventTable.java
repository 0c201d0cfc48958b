package dev.beacon.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The most recent user events, oldest first; Consul's agents keep the last 256. */
final class EventTable {
    static final int CAPACITY = 256;
    private final Deque<Event> events = new ArrayDeque<>();
    private final Journal journal;

    EventTable(Journal journal) {
        this.journal = journal;
    }

    /** Adds an event, dropping the oldest beyond the capacity; journaled like every table write. */
    void add(Event event) {
        Event dropped = events.size() == CAPACITY ? events.removeFirst() : null;
        events.addLast(event);
        journal.record(() -> {
            events.removeLast();
            if (dropped != null) {
                events.addFirst(dropped);
            }
        });
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    void restore(List<Event> restored) {
        events.clear();
        restored.forEach(this::add);
    }
}
