package dev.beacon.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The query parameters of one request, read the way Consul reads them: a flag counts when present as
 * {@code ?x}, {@code ?x=}, {@code ?x=true} or {@code ?x=1}, and {@code ?x=false} / {@code ?x=0} mean false.
 * Parameters an endpoint does not know are refused, so a typo never silently changes what a request does.
 */
public final class QueryParams {
    /** Accepted everywhere: Consul's common options, some of which Beacon ignores (one datacenter, no ACLs yet). */
    static final Set<String> COMMON = Set.of("dc", "token", "pretty", "ns", "partition", "cached", "near",
            "filter", "stale", "consistent", "index", "wait", "node-meta");

    private final Map<String, String[]> values;

    private QueryParams(Map<String, String[]> values) {
        this.values = values;
    }

    /** Reads the request's parameters; any name outside {@link #COMMON} and {@code known} is a 400. */
    public static QueryParams of(HttpServletRequest request, Set<String> known) {
        Map<String, String[]> values = request.getParameterMap();
        Set<String> unknown = new TreeSet<>();
        for (String name : values.keySet()) {
            if (!COMMON.contains(name) && !known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("Unknown query parameter" + (unknown.size() > 1 ? "s: " : ": ")
                    + String.join(", ", unknown));
        }
        return new QueryParams(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flag(String name) {
        String value = get(name);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "", "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no" -> false;
            default -> throw ApiException.badRequest("Invalid value for " + name + ": " + value);
        };
    }

    /** The first value, or null if absent. */
    public String get(String name) {
        String[] v = values.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    /** An unsigned 64-bit number (Consul's indexes and flags), or {@code absent} if the parameter is missing. */
    public long uint64(String name, long absent) {
        String value = get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid " + name + ": " + value);
        }
    }
}
