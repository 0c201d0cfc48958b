package dev.beacon.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.beacon.state.CheckStatus;

/**
 * A check as registered with this agent: what to run and how often. At most one of {@code ttl}, {@code http},
 * {@code tcp} or {@code grpc} says what kind it is; none means nothing runs it. {@code serviceId} is empty for a
 * node check.
 *
 * @param token the ACL token it was registered with (empty for none; a service's checks carry the service's): the
 *              agent writes its results as that token. A secret: never part of {@link #toString}.
 */
public record CheckDefinition(String checkId, String name, String serviceId, CheckStatus initialStatus, String notes,
                              Duration ttl, String http, String method, Map<String, List<String>> headers,
                              String body, boolean tlsSkipVerify, String tcp, String grpc, boolean grpcUseTls,
                              Duration interval, Duration timeout, Duration deregisterCriticalServiceAfter,
                              String token) {

    public CheckDefinition {
        token = token == null ? "" : token;
        headers = Map.copyOf(headers);
    }

    /** Consul's check type name; empty for a check nothing runs, such as maintenance mode. */
    public String type() {
        if (ttl != null) {
            return "ttl";
        }
        if (http != null) {
            return "http";
        }
        if (tcp != null) {
            return "tcp";
        }
        return grpc != null ? "grpc" : "";
    }

    @Override
    public String toString() {
        return "CheckDefinition[checkId=" + checkId + ", name=" + name + ", serviceId=" + serviceId + ", type="
                + type() + "]";
    }
}
