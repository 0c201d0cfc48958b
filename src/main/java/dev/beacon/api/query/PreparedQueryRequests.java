package dev.beacon.api.query;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.beacon.api.ApiException;
import dev.beacon.api.GoDuration;
import dev.beacon.api.JsonFields;
import dev.beacon.state.PreparedQuery;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@code /v1/query} body into a prepared query, refusing what Consul refuses with its messages: no service,
 * a negative {@code NearestN}, a DNS TTL that is not a duration, an unknown template type or a regexp that does not
 * compile. Unknown fields are ignored.
 */
final class PreparedQueryRequests {
    private final JsonMapper json;

    PreparedQueryRequests(JsonMapper json) {
        this.json = json;
    }

    PreparedQuery parse(String id, byte[] body) {
        JsonNode root = JsonFields.parseObject(json, body);
        JsonNode service = JsonFields.field(root, "Service");
        if (service != null && !service.isObject()) {
            throw ApiException.badRequest("Service must be an object");
        }
        String serviceName = JsonFields.text(service, "Service", "Service.");
        if (serviceName == null || serviceName.isEmpty()) {
            throw ApiException.badRequest("Must provide a Service name to query");
        }
        JsonNode failover = JsonFields.field(service, "Failover");
        long nearestN = 0;
        if (failover != null) {
            JsonNode n = JsonFields.field(failover, "NearestN");
            if (n != null && (!n.isIntegralNumber() || !n.canConvertToInt())) {
                throw ApiException.badRequest("Service.Failover.NearestN must be a number");
            }
            nearestN = n == null ? 0 : n.asInt();
            if (nearestN < 0) {
                throw ApiException.badRequest("Bad NearestN '" + nearestN + "', must be >= 0");
            }
        }
        PreparedQuery.ServiceQuery query = new PreparedQuery.ServiceQuery(serviceName, (int) nearestN,
                JsonFields.strings(failover, "Datacenters", "Service.Failover."),
                JsonFields.bool(service, "OnlyPassing", "Service."),
                JsonFields.strings(service, "IgnoreCheckIDs", "Service."),
                orEmpty(JsonFields.text(service, "Near", "Service.")),
                JsonFields.strings(service, "Tags", "Service."),
                JsonFields.stringMap(service, "NodeMeta", "Service."),
                JsonFields.stringMap(service, "ServiceMeta", "Service."));
        String ttl = orEmpty(JsonFields.text(JsonFields.field(root, "DNS"), "TTL", "DNS."));
        if (!ttl.isEmpty()) {
            try {
                if (GoDuration.parse(ttl).isNegative()) {
                    throw ApiException.badRequest("TTL '" + ttl + "' must be >=0");
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Bad DNS TTL '" + ttl + "': " + e.getMessage());
            }
        }
        return new PreparedQuery(id, orEmpty(JsonFields.text(root, "Name", "")),
                orEmpty(JsonFields.text(root, "Session", "")), orEmpty(JsonFields.text(root, "Token", "")), query,
                ttl, template(JsonFields.field(root, "Template")), 0, 0);
    }

    private static PreparedQuery.Template template(JsonNode template) {
        if (template == null) {
            return null;
        }
        String type = orEmpty(JsonFields.text(template, "Type", "Template."));
        if (type.isEmpty()) {
            return null;
        }
        if (!type.equals(PreparedQuery.Template.NAME_PREFIX_MATCH)) {
            throw ApiException.badRequest("Bad Template.Type '" + type + "'");
        }
        String regexp = orEmpty(JsonFields.text(template, "Regexp", "Template."));
        try {
            Pattern.compile(regexp);
        } catch (PatternSyntaxException e) {
            throw ApiException.badRequest("Bad Regexp: " + e.getDescription());
        }
        return new PreparedQuery.Template(type, regexp, JsonFields.bool(template, "RemoveEmptyTags", "Template."));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
