package dev.beacon.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The most recent user events, oldest first; Consul's agents keep the last 256. */
final class EventTable {
    static final int CAPACITY = 256;
    private final Deque<Event> events = new ArrayDeque<>();

    void add(Event event) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    void restore(List<Event> restored) {
        events.clear();
        restored.forEach(this::add);
    }
}
