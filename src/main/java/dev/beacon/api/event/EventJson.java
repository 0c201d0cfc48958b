package dev.beacon.api.event;

import java.util.Base64;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.state.Event;

/** A user event as Consul shows it: the payload in base64 (null when none was sent), Version 1 of its format. */
record EventJson(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                 @JsonProperty("Payload") String payload, @JsonProperty("NodeFilter") String nodeFilter,
                 @JsonProperty("ServiceFilter") String serviceFilter, @JsonProperty("TagFilter") String tagFilter,
                 @JsonProperty("Version") int version, @JsonProperty("LTime") long lTime) {

    static EventJson of(Event e) {
        return new EventJson(e.id(), e.name(),
                e.payload() == null ? null : Base64.getEncoder().encodeToString(e.payload()), e.nodeFilter(),
                e.serviceFilter(), e.tagFilter(), 1, e.lTime());
    }
}
