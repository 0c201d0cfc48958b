package dev.beacon.api.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.GoDuration;
import dev.beacon.state.Session;

/**
 * A session as Consul shows it: LockDelay in nanoseconds (Go's time.Duration), TTL as a Go duration string,
 * and the linked checks both in the current NodeChecks/ServiceChecks form and the older combined Checks.
 */
record SessionJson(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
                   @JsonProperty("Node") String node, @JsonProperty("LockDelay") long lockDelay,
                   @JsonProperty("Behavior") String behavior, @JsonProperty("TTL") String ttl,
                   @JsonProperty("NodeChecks") List<String> nodeChecks,
                   @JsonProperty("ServiceChecks") List<ServiceCheck> serviceChecks,
                   @JsonProperty("Checks") List<String> checks,
                   @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

    record ServiceCheck(@JsonProperty("ID") String id, @JsonProperty("Namespace") String namespace) {
    }

    static SessionJson of(Session s) {
        List<String> all = new ArrayList<>(s.nodeChecks());
        all.addAll(s.serviceChecks());
        return new SessionJson(s.id(), s.name(), s.node(), Duration.ofMillis(s.lockDelayMillis()).toNanos(),
                s.behavior().name().toLowerCase(Locale.ROOT),
                s.ttlMillis() == 0 ? "" : GoDuration.format(Duration.ofMillis(s.ttlMillis())), s.nodeChecks(),
                s.serviceChecks().isEmpty() ? null
                        : s.serviceChecks().stream().map(id -> new ServiceCheck(id, "")).toList(),
                all, s.createIndex(), s.modifyIndex());
    }
}
