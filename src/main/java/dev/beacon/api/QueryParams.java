package dev.beacon.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query parameters of one request, read the way Consul reads them: a flag counts when present as
 * {@code ?x}, {@code ?x=}, {@code ?x=true} or {@code ?x=1}, and {@code ?x=false} / {@code ?x=0} mean false.
 * Parameters no endpoint knows are ignored, as Consul ignores them: newer clients send ones we do not know.
 * A known parameter with a malformed value is a 400.
 */
public final class QueryParams {
    private final Map<String, List<String>> values;

    public QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flag(String name) {
        String value = get(name);
        if (value == null) {
            // ?x with no '=' arrives as a name without a value.
            return has(name);
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no" -> false;
            default -> throw ApiException.badRequest("Invalid value for " + name + ": " + value);
        };
    }

    /** The first value, or null if absent. */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value given for {@code name}, in order; empty if absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
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
