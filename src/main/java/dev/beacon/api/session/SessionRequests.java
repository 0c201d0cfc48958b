package dev.beacon.api.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.beacon.api.ApiException;
import dev.beacon.api.GoDuration;
import dev.beacon.api.JsonFields;
import dev.beacon.state.Session;
import dev.beacon.state.SessionBehavior;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@code /v1/session/create} body into a session, with Consul's defaults and limits: the agent's node,
 * a 15 s lock delay (at most 60 s; a bare number under 1000 means seconds, as Consul reads it, otherwise
 * nanoseconds), Behavior release, a TTL of 10 s to 24 h or none, and the node's {@code serfHealth} check when no
 * check is named at all.
 */
final class SessionRequests {
    static final Duration MIN_TTL = Duration.ofSeconds(10);
    static final Duration MAX_TTL = Duration.ofHours(24);
    static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);
    static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
    private static final String SERF_HEALTH = "serfHealth";

    private final JsonMapper json;
    private final String agentNode;

    SessionRequests(JsonMapper json, String agentNode) {
        this.json = json;
        this.agentNode = agentNode;
    }

    /** The session to create, with the given id; its indexes and renewal time are set when it is applied. */
    Session create(String id, byte[] body) {
        JsonNode root = body.length == 0 ? json.createObjectNode() : JsonFields.parseObject(json, body);
        String node = JsonFields.text(root, "Node", "");
        String behaviorName = JsonFields.text(root, "Behavior", "");
        SessionBehavior behavior = SessionBehavior.RELEASE;
        if (behaviorName != null && !behaviorName.isEmpty()) {
            behavior = switch (behaviorName.toLowerCase(Locale.ROOT)) {
                case "release" -> SessionBehavior.RELEASE;
                case "delete" -> SessionBehavior.DELETE;
                default -> throw ApiException.badRequest("Invalid Behavior setting '" + behaviorName + "'");
            };
        }
        List<String> nodeChecks = new ArrayList<>(JsonFields.strings(root, "Checks", ""));
        nodeChecks.addAll(JsonFields.strings(root, "NodeChecks", ""));
        List<String> serviceChecks = serviceChecks(root);
        boolean checksNamed = JsonFields.field(root, "Checks") != null || JsonFields.field(root, "NodeChecks") != null
                || JsonFields.field(root, "ServiceChecks") != null;
        if (!checksNamed) {
            nodeChecks.add(SERF_HEALTH);
        }
        return new Session(id, JsonFields.text(root, "Name", ""), node == null || node.isEmpty() ? agentNode : node,
                lockDelay(root).toMillis(), behavior, ttl(root).toMillis(), nodeChecks.stream().distinct().toList(),
                serviceChecks, 0, 0, 0);
    }

    private static List<String> serviceChecks(JsonNode root) {
        JsonNode list = JsonFields.field(root, "ServiceChecks");
        List<String> ids = new ArrayList<>();
        if (list == null || list.isNull()) {
            return ids;
        }
        if (!list.isArray()) {
            throw ApiException.badRequest("ServiceChecks must be a list of {\"ID\": ...} objects");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode check = list.get(i);
            String id = check.isObject() ? JsonFields.text(check, "ID", "ServiceChecks[" + i + "].") : null;
            if (id == null || id.isEmpty()) {
                throw ApiException.badRequest("ServiceChecks[" + i + "] needs an ID");
            }
            ids.add(id);
        }
        return ids;
    }

    private static Duration ttl(JsonNode root) {
        String text = JsonFields.text(root, "TTL", "");
        if (text == null || text.isEmpty()) {
            return Duration.ZERO;
        }
        Duration ttl;
        try {
            ttl = GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Request decode failed: TTL is not a duration: " + text);
        }
        if (!ttl.isZero() && (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0)) {
            throw ApiException.badRequest("Invalid Session TTL '" + text + "', must be between ["
                    + GoDuration.format(MIN_TTL) + "=" + GoDuration.format(MAX_TTL) + "]");
        }
        return ttl;
    }

    private static Duration lockDelay(JsonNode root) {
        JsonNode value = JsonFields.field(root, "LockDelay");
        Duration delay;
        if (value == null || value.isNull()) {
            delay = DEFAULT_LOCK_DELAY;
        } else if (value.isNumber()) {
            long n = value.asLong();
            if (n < 0) {
                throw ApiException.badRequest("LockDelay must not be negative");
            }
            delay = n < 1000 ? Duration.ofSeconds(n) : Duration.ofNanos(n);
        } else if (value.isString()) {
            try {
                delay = GoDuration.parse(value.asString());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Request decode failed: LockDelay is not a duration: "
                        + value.asString());
            }
        } else {
            throw ApiException.badRequest("LockDelay must be a duration string or a number");
        }
        return delay.compareTo(MAX_LOCK_DELAY) > 0 ? MAX_LOCK_DELAY : delay;
    }
}
