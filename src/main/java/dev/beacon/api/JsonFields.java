package dev.beacon.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.beacon.state.CheckStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request JSON the way Consul (Go's encoding/json) does: field names match case-insensitively ("Id" is
 * "ID"), explicit nulls count as absent, and a value of the wrong type is a 400 naming the field.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** Parses a request body that must be one JSON object; anything else is a 400. */
    public static JsonNode parseObject(JsonMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Request decode failed: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("Request decode failed: expected a JSON object");
        }
        return root;
    }

    /** A field by name, matched case-insensitively; null if absent or JSON null. */
    public static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue().isNull() ? null : f.getValue();
            }
        }
        return null;
    }

    public static String text(JsonNode object, String name, String where) {
        JsonNode node = field(object, name);
        if (node == null) {
            return null;
        }
        if (!node.isString()) {
            throw ApiException.badRequest(where + name + " must be a string");
        }
        return node.asString();
    }

    /** An unsigned 64-bit number; 0 if absent. */
    public static long uint64(JsonNode object, String name, String where) {
        JsonNode node = field(object, name);
        if (node == null) {
            return 0;
        }
        if (!node.isIntegralNumber() || node.bigIntegerValue().signum() < 0
                || node.bigIntegerValue().bitLength() > 64) {
            throw ApiException.badRequest(where + name + " must be an unsigned 64-bit integer");
        }
        return node.bigIntegerValue().longValue();
    }

    /** A check's Status: passing, warning or critical; absent or empty means critical, as Consul starts checks. */
    public static CheckStatus checkStatus(JsonNode object, String where) {
        String text = text(object, "Status", where);
        if (text == null || text.isEmpty()) {
            return CheckStatus.CRITICAL;
        }
        try {
            return CheckStatus.fromWire(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + "Status must be passing, warning or critical: " + text);
        }
    }

    public static boolean bool(JsonNode object, String name, String where) {
        JsonNode node = field(object, name);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(where + name + " must be true or false");
        }
        return node.asBoolean();
    }

    public static List<String> strings(JsonNode object, String name, String where) {
        JsonNode node = field(object, name);
        List<String> list = new ArrayList<>();
        if (node == null) {
            return list;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(where + name + " must be a list of strings");
        }
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw ApiException.badRequest(where + name + " must be a list of strings");
            }
            list.add(item.asString());
        }
        return list;
    }

    public static Map<String, String> stringMap(JsonNode object, String name, String where) {
        JsonNode node = field(object, name);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null) {
            return map;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(where + name + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw ApiException.badRequest(where + name + "." + e.getKey() + " must be a string");
            }
            map.put(e.getKey(), e.getValue().asString());
        }
        return map;
    }
}
