package dev.beacon.api.acl;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.beacon.acl.Rules;
import dev.beacon.acl.RulesException;
import dev.beacon.api.ApiException;
import dev.beacon.api.GoDuration;
import dev.beacon.api.JsonFields;
import dev.beacon.state.AclPolicy;
import dev.beacon.state.AclRole;
import dev.beacon.state.AclToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the bodies of ACL writes, with Consul's checks and messages: names, UUIDs, policy rules that parse, and
 * links to policies and roles (by ID or by Name) that exist.
 */
final class AclRequests {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9\\-_]{1,128}");
    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JsonMapper json;

    AclRequests(JsonMapper json) {
        this.json = json;
    }

    /** A token to write, with its expiration TTL in milliseconds (0: none). */
    record TokenWrite(AclToken token, long expirationTtlMillis) {
    }

    /**
     * A token from a create ({@code existing} null) or update body. Ids absent from a create body are generated;
     * an update keeps the existing secret and locality unless the body names them.
     */
    TokenWrite token(byte[] body, AclItems acl, AclToken existing, String pathAccessor, long now) {
        JsonNode root = JsonFields.parseObject(json, body);
        String accessor = JsonFields.text(root, "AccessorID", "");
        String secret = JsonFields.text(root, "SecretID", "");
        if (existing == null) {
            accessor = uuid(accessor, "AccessorID");
            secret = uuid(secret, "SecretID");
            if (acl.token(accessor).isPresent()) {
                throw ApiException.badRequest("Invalid Token: AccessorID is already in use");
            }
        } else {
            if (accessor != null && !accessor.isEmpty() && !accessor.equals(pathAccessor)) {
                throw ApiException.badRequest("Token Accessor ID in URL and payload do not match");
            }
            if (secret != null && !secret.isEmpty() && !secret.equals(existing.secretId())) {
                throw ApiException.badRequest("Changing a token's SecretID is not permitted");
            }
            accessor = existing.accessorId();
            secret = existing.secretId();
        }
        refuseIdentities(root);
        boolean local = JsonFields.field(root, "Local") == null && existing != null ? existing.local()
                : JsonFields.bool(root, "Local", "");
        long ttl = existing == null ? expirationTtl(root, now) : 0;
        return new TokenWrite(new AclToken(accessor, secret, JsonFields.text(root, "Description", ""),
                policyIds(root, acl), roleIds(root, acl), local, 0, 0, 0, 0), ttl);
    }

    /** A policy from a create ({@code id} generated) or update body. */
    AclPolicy policy(byte[] body, String id) {
        JsonNode root = JsonFields.parseObject(json, body);
        String bodyId = JsonFields.text(root, "ID", "");
        if (bodyId != null && !bodyId.isEmpty() && !bodyId.equals(id)) {
            throw ApiException.badRequest("Policy ID in URL and payload do not match");
        }
        String name = requireName(JsonFields.text(root, "Name", ""), "Policy");
        String rules = JsonFields.text(root, "Rules", "");
        try {
            Rules.parse(rules == null ? "" : rules);
        } catch (RulesException e) {
            throw ApiException.badRequest("Invalid Policy: failed to parse rules: " + e.getMessage());
        }
        return new AclPolicy(id, name, JsonFields.text(root, "Description", ""), rules,
                JsonFields.strings(root, "Datacenters", ""), 0, 0);
    }

    /** A role from a create ({@code id} generated) or update body. */
    AclRole role(byte[] body, String id, AclItems acl) {
        JsonNode root = JsonFields.parseObject(json, body);
        String bodyId = JsonFields.text(root, "ID", "");
        if (bodyId != null && !bodyId.isEmpty() && !bodyId.equals(id)) {
            throw ApiException.badRequest("Role ID in URL and payload do not match");
        }
        refuseIdentities(root);
        String name = requireName(JsonFields.text(root, "Name", ""), "Role");
        return new AclRole(id, name, JsonFields.text(root, "Description", ""), policyIds(root, acl), 0, 0);
    }

    /** The Description of a clone's body, or null to keep the original's. */
    String cloneDescription(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        return JsonFields.text(JsonFields.parseObject(json, body), "Description", "");
    }

    private static String requireName(String name, String kind) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("Invalid " + kind + ": no name set");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Invalid " + kind + ": invalid Name. Only alphanumeric characters, '-' "
                    + "and '_' are allowed");
        }
        return name;
    }

    private static String uuid(String given, String field) {
        if (given == null || given.isEmpty()) {
            return UUID.randomUUID().toString();
        }
        if (!UUID_FORM.matcher(given).matches()) {
            throw ApiException.badRequest("Invalid Token: " + field + " is not a valid UUID");
        }
        if (given.equals(AclToken.ANONYMOUS_ACCESSOR_ID)) {
            throw ApiException.badRequest("Invalid Token: " + field + " is reserved");
        }
        return given.toLowerCase();
    }

    private static long expirationTtl(JsonNode root, long now) {
        String ttlText = JsonFields.text(root, "ExpirationTTL", "");
        String timeText = JsonFields.text(root, "ExpirationTime", "");
        boolean hasTtl = ttlText != null && !ttlText.isEmpty();
        boolean hasTime = timeText != null && !timeText.isEmpty();
        if (hasTtl && hasTime) {
            throw ApiException.badRequest("Token Expiration TTL and Expiration Time cannot both be set");
        }
        if (hasTtl) {
            Duration ttl;
            try {
                ttl = GoDuration.parse(ttlText);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Invalid ExpirationTTL: " + ttlText);
            }
            if (ttl.isNegative()) {
                throw ApiException.badRequest("Token Expiration TTL '" + ttlText + "' should be > 0");
            }
            return ttl.toMillis();
        }
        if (hasTime) {
            long at;
            try {
                at = Instant.parse(timeText).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("Invalid ExpirationTime: " + timeText);
            }
            if (at <= now) {
                throw ApiException.badRequest("ExpirationTime cannot be in the past");
            }
            return at - now;
        }
        return 0;
    }

    /** Consul's service and node identities are not built; refused rather than silently granting nothing. */
    private static void refuseIdentities(JsonNode root) {
        for (String field : List.of("ServiceIdentities", "NodeIdentities", "TemplatedPolicies")) {
            JsonNode node = JsonFields.field(root, field);
            if (node != null && !(node.isArray() && node.isEmpty())) {
                throw ApiException.badRequest(field + " are not supported by Beacon: link policies instead");
            }
        }
    }

    private static List<String> policyIds(JsonNode root, AclItems acl) {
        return linkedIds(root, "Policies", "policy", acl::policy, acl::policyByName, AclPolicy::id);
    }

    private static List<String> roleIds(JsonNode root, AclItems acl) {
        return linkedIds(root, "Roles", "role", acl::role, acl::roleByName, AclRole::id);
    }

    /** The ids of the items a field's {@code {"ID"}} or {@code {"Name"}} links name, each once; 400 if one is missing. */
    private static <T> List<String> linkedIds(JsonNode root, String field, String kind,
                                              Function<String, Optional<T>> byId,
                                              Function<String, Optional<T>> byName, Function<T, String> idOf) {
        List<String> ids = new ArrayList<>();
        for (JsonNode link : links(root, field)) {
            String id = JsonFields.text(link, "ID", field + ".");
            String name = JsonFields.text(link, "Name", field + ".");
            T item = id != null && !id.isEmpty()
                    ? byId.apply(id).orElseThrow(() -> ApiException.badRequest(
                            "No such ACL " + kind + " with ID \"" + id + "\""))
                    : byName.apply(require(name, field)).orElseThrow(() -> ApiException.badRequest(
                            "No such ACL " + kind + " with name \"" + name + "\""));
            if (!ids.contains(idOf.apply(item))) {
                ids.add(idOf.apply(item));
            }
        }
        return ids;
    }

    private static String require(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest(field + ": a link needs an ID or a Name");
        }
        return name;
    }

    private static List<JsonNode> links(JsonNode root, String field) {
        JsonNode node = JsonFields.field(root, field);
        List<JsonNode> links = new ArrayList<>();
        if (node == null) {
            return links;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field + " must be a list of {\"ID\"} or {\"Name\"} objects");
        }
        for (JsonNode link : node) {
            if (!link.isObject()) {
                throw ApiException.badRequest(field + " must be a list of {\"ID\"} or {\"Name\"} objects");
            }
            links.add(link);
        }
        return links;
    }
}
