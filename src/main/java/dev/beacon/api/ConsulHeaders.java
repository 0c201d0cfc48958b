package dev.beacon.api;

import dev.beacon.cluster.ClusterView;
import org.springframework.http.HttpHeaders;

/** The index and leader headers Consul puts on every read: clients build blocking loops on them. */
public final class ConsulHeaders {
    public static final String INDEX = "X-Consul-Index";
    public static final String KNOWN_LEADER = "X-Consul-KnownLeader";
    public static final String LAST_CONTACT = "X-Consul-LastContact";

    private final ClusterView cluster;

    public ConsulHeaders(ClusterView cluster) {
        this.cluster = cluster;
    }

    public HttpHeaders forIndex(long index) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(INDEX, Long.toString(index));
        headers.set(KNOWN_LEADER, Boolean.toString(cluster.leader().isPresent()));
        headers.set(LAST_CONTACT, Long.toString(cluster.lastContactMillis()));
        return headers;
    }
}
