package dev.beacon.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * Parses a raw query string ({@code a=1&b&c=%2F}): names and values are percent-decoded with {@code +} as a
     * space, a name without {@code =} has a null value, and repeated names keep every value in order. A pair that
     * does not decode is dropped, as Consul (Go's query parser) drops it.
     */
    public static QueryParams parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParams(Map.of());
        }
        Map<String, List<String>> values = new HashMap<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                try {
                    String name = decode(rawQuery.substring(start, hasValue ? eq : end));
                    String value = hasValue ? decode(rawQuery.substring(eq + 1, end)) : null;
                    values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
                } catch (IllegalArgumentException undecodable) {
                    // dropped, as Go drops it
                }
            }
            start = end + 1;
        }
        return new QueryParams(values);
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
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

    /**
     * Every value given for {@code name}, in order; empty if absent. One given without {@code =} is an empty string
     * here (a repeated parameter carries a value: {@code ?tag&tag=a} asked for a tag "" and a tag "a").
     */
    public List<String> all(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return List.of();
        }
        return given.stream().map(v -> v == null ? "" : v).toList();
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
