package dev.beacon.api;

import java.util.function.BiConsumer;

import dev.beacon.cluster.ClusterView;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last stage: the one JSON writer for every {@code /v1} answer, and the index and leader headers Consul puts
 * on every read, which clients build their blocking loops on.
 */
public final class ApiRenderer {
    public static final String INDEX = "X-Consul-Index";
    public static final String KNOWN_LEADER = "X-Consul-KnownLeader";
    public static final String LAST_CONTACT = "X-Consul-LastContact";
    public static final String FILTERED_BY_ACLS = "X-Consul-Results-Filtered-By-ACLs";

    private final JsonMapper json;
    private final ClusterView cluster;

    public ApiRenderer(JsonMapper json, ClusterView cluster) {
        this.json = json;
        this.cluster = cluster;
    }

    public byte[] body(ApiResponse response) {
        return response.json() != null ? json(response.json()) : response.bytes();
    }

    /** A value as JSON. */
    public byte[] json(Object value) {
        return json.writeValueAsBytes(value);
    }

    public void headers(ApiResponse response, BiConsumer<String, String> header) {
        if (response.relayedHeaders() != null) {
            response.relayedHeaders().forEach(header);
            return;
        }
        if (response.index() != ApiResponse.NOT_A_READ) {
            // Unsigned, as Consul's uint64: an event list's index is made from its last event's ID.
            header.accept(INDEX, Long.toUnsignedString(response.index()));
            // Looked up once: with a leader known, its last contact is 0 by definition.
            boolean knownLeader = cluster.leader().isPresent();
            header.accept(KNOWN_LEADER, knownLeader ? "true" : "false");
            header.accept(LAST_CONTACT, knownLeader ? "0" : Long.toString(cluster.lastContactMillis()));
            if (!ApiResponse.JSON.equals(response.contentType())) {
                // Stored bytes sent as they are (?raw): a browser must neither sniff them into HTML nor run them,
                // as Consul guards its raw KV reads since CVE-2020-25864.
                header.accept("X-Content-Type-Options", "nosniff");
                header.accept("Content-Security-Policy", "sandbox");
            }
        }
        if (response.filteredByAcls()) {
            header.accept(FILTERED_BY_ACLS, "true");
        }
    }
}
