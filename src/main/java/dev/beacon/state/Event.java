package dev.beacon.state;

import java.util.Objects;

/**
 * A user event ({@code /v1/event/fire}). The filters are regular expressions on node name, service name and tag,
 * empty for none; the payload may be null. {@code lTime} orders events: the Raft index it was fired at.
 */
public record Event(String id, String name, byte[] payload, String nodeFilter, String serviceFilter,
                    String tagFilter, long lTime) {

    public Event {
        Objects.requireNonNull(id, "id");
        name = Text.orEmpty(name);
        nodeFilter = Text.orEmpty(nodeFilter);
        serviceFilter = Text.orEmpty(serviceFilter);
        tagFilter = Text.orEmpty(tagFilter);
    }

    Event at(long index) {
        return new Event(id, name, payload, nodeFilter, serviceFilter, tagFilter, index);
    }
}
