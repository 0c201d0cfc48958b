package dev.beacon.api.agent;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.agent.CheckDefinition;
import dev.beacon.agent.CheckResult;
import dev.beacon.agent.ServiceDefinition;
import dev.beacon.api.ApiException;
import dev.beacon.api.GoDuration;
import dev.beacon.api.JsonFields;
import dev.beacon.api.catalog.ServiceExtrasJson;
import dev.beacon.state.CheckStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns agent request bodies into definitions and check results, checked as Consul checks them: Name is
 * required, ports are 0-65535, durations are Go durations, a check is TTL, or HTTP, TCP or GRPC with an Interval.
 * Implicit check ids follow Consul: {@code service:<id>} for a single Check, {@code service:<id>:<n>} for Checks.
 */
final class AgentRequests {
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Map<String, String> SNAKE_CASE =
            Map.of("enable_tag_override", "EnableTagOverride", "tagged_addresses", "TaggedAddresses");
    private final JsonMapper json;

    AgentRequests(JsonMapper json) {
        this.json = json;
    }

    /** @param token the request's ACL token: the agent keeps the service in the catalog as it */
    ServiceDefinition service(byte[] body, String token) {
        JsonNode root = object(body);
        if (root instanceof ObjectNode fields) {
            // Consul's service definition takes these two in snake case too, as its config files write them.
            SNAKE_CASE.forEach((snake, camel) -> {
                if (JsonFields.field(fields, camel) == null && fields.has(snake)) {
                    fields.set(camel, fields.get(snake));
                }
            });
        }
        String name = JsonFields.text(root, "Name", "");
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("Missing service name");
        }
        String id = JsonFields.text(root, "ID", "");
        String serviceId = id == null || id.isEmpty() ? name : id;
        long port = JsonFields.uint64(root, "Port", "");
        if (port > 65535) {
            throw ApiException.badRequest("Invalid service port " + port);
        }
        String address = JsonFields.text(root, "Address", "");
        if (address != null && (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]"))) {
            // An address that means "any" cannot be dialled: Consul refuses it.
            throw ApiException.badRequest("Invalid service address");
        }
        List<GivenCheck> given = new ArrayList<>();
        JsonNode single = JsonFields.field(root, "Check");
        if (single != null && !(single.isObject() && single.isEmpty())) {
            given.add(new GivenCheck(single, "Check."));
        }
        JsonNode many = JsonFields.field(root, "Checks");
        if (many != null) {
            if (!many.isArray()) {
                throw ApiException.badRequest("Checks must be a list");
            }
            for (int i = 0; i < many.size(); i++) {
                given.add(new GivenCheck(many.get(i), "Checks[" + i + "]."));
            }
        }
        // Consul numbers the checks without an ID over Check and Checks together, and only when there are several:
        // clients heartbeat "service:<id>" for a service registered with one check in either field.
        List<CheckDefinition> checks = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String implicitId = "service:" + serviceId + (given.size() > 1 ? ":" + (i + 1) : "");
            checks.add(check(given.get(i).json(), serviceId, name, implicitId, given.get(i).where(), token));
        }
        return new ServiceDefinition(serviceId, name, JsonFields.strings(root, "Tags", ""),
                address, (int) port, JsonFields.stringMap(root, "Meta", ""),
                JsonFields.bool(root, "EnableTagOverride", ""), ServiceExtrasJson.parse(root, ""), checks, token);
    }

    /** A check registered on its own ({@code /v1/agent/check/register}). */
    CheckDefinition check(byte[] body, String token) {
        JsonNode root = object(body);
        String serviceId = JsonFields.text(root, "ServiceID", "");
        return check(root, serviceId == null ? "" : serviceId, null, null, "", token);
    }

    /** A check of a service registration, and where it stands in the body (for error messages). */
    private record GivenCheck(JsonNode json, String where) {
    }

    /** A check's new result ({@code /v1/agent/check/update}): {@code {"Status": "...", "Output": "..."}}. */
    CheckResult result(byte[] body) {
        JsonNode root = object(body);
        String status = JsonFields.text(root, "Status", "");
        CheckStatus parsed;
        try {
            parsed = CheckStatus.fromWire(status == null ? "" : status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid check status: \"" + status + "\"");
        }
        String output = JsonFields.text(root, "Output", "");
        return new CheckResult(parsed, output == null ? "" : output);
    }

    /** @param serviceName the service registered with the check, which names it if it has no name; or null */
    private static CheckDefinition check(JsonNode c, String serviceId, String serviceName, String implicitId,
                                         String where, String token) {
        String id = JsonFields.text(c, "CheckID", where);
        if (id == null || id.isEmpty()) {
            id = JsonFields.text(c, "ID", where);
        }
        String name = JsonFields.text(c, "Name", where);
        String checkId = id != null && !id.isEmpty() ? id : implicitId != null ? implicitId : name;
        if (checkId == null || checkId.isEmpty()) {
            throw ApiException.badRequest(where + "Missing check name");
        }
        if (name == null || name.isEmpty()) {
            name = serviceName == null ? checkId : "Service '" + serviceName + "' check";
        }
        JsonNode args = JsonFields.field(c, "Args");
        if (args != null && !(args.isArray() && args.isEmpty())) {
            throw ApiException.badRequest("Scripts are disabled on this agent; to enable, configure "
                    + "'enable_script_checks' or 'enable_local_script_checks' to true");
        }
        Duration ttl = duration(c, "TTL", where);
        String http = JsonFields.text(c, "HTTP", where);
        String tcp = JsonFields.text(c, "TCP", where);
        String grpc = JsonFields.text(c, "GRPC", where);
        Duration interval = duration(c, "Interval", where);
        int kinds = (ttl != null ? 1 : 0) + (http != null && !http.isEmpty() ? 1 : 0)
                + (tcp != null && !tcp.isEmpty() ? 1 : 0) + (grpc != null && !grpc.isEmpty() ? 1 : 0);
        if (kinds != 1) {
            throw ApiException.badRequest(where + "a check needs exactly one of TTL, HTTP, TCP or GRPC");
        }
        if (ttl == null && interval == null) {
            throw ApiException.badRequest(where + "Interval must be set for HTTP, TCP and GRPC checks");
        }
        if (ttl != null && interval != null) {
            throw ApiException.badRequest("Invalid check: " + where + "Interval and TTL cannot both be specified");
        }
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            interval = MIN_INTERVAL;
        }
        if (http != null && !http.isEmpty()) {
            validUrl(http, where);
        }
        if (tcp != null && !tcp.isEmpty() && !tcp.matches(".+:\\d{1,5}")) {
            throw ApiException.badRequest(where + "TCP must be host:port: " + tcp);
        }
        if (grpc != null && !grpc.isEmpty() && !grpc.matches("[^/]+:\\d{1,5}(/.*)?")) {
            throw ApiException.badRequest(where + "GRPC must be host:port or host:port/service: " + grpc);
        }
        CheckStatus status = JsonFields.checkStatus(c, where);
        String checkServiceId = JsonFields.text(c, "ServiceID", where);
        return new CheckDefinition(checkId, name, checkServiceId != null && !checkServiceId.isEmpty()
                ? checkServiceId : serviceId, status, JsonFields.text(c, "Notes", where), ttl,
                http == null || http.isEmpty() ? null : http, JsonFields.text(c, "Method", where),
                headers(c, where), JsonFields.text(c, "Body", where), JsonFields.bool(c, "TLSSkipVerify", where),
                tcp == null || tcp.isEmpty() ? null : tcp, grpc == null || grpc.isEmpty() ? null : grpc,
                JsonFields.bool(c, "GRPCUseTLS", where), interval, duration(c, "Timeout", where),
                duration(c, "DeregisterCriticalServiceAfter", where), token);
    }

    private static Duration duration(JsonNode object, String name, String where) {
        String text = JsonFields.text(object, name, where);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + name + " is not a duration: " + text);
        }
    }

    /** Consul's Header: name to a list of values. */
    private static Map<String, List<String>> headers(JsonNode c, String where) {
        JsonNode node = JsonFields.field(c, "Header");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (node == null) {
            return headers;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(where + "Header must be an object of string lists");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            headers.put(e.getKey(), JsonFields.strings(node, e.getKey(), where + "Header."));
        }
        return headers;
    }

    private static void validUrl(String url, String where) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException(url);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + "HTTP is not an http(s) URL: " + url);
        }
    }

    private JsonNode object(byte[] body) {
        return JsonFields.parseObject(json, body);
    }
}
