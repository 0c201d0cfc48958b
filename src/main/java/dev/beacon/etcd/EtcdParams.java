package dev.beacon.etcd;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A keys request's parameters, from its query string and its form body ({@code -d value=...}); a form field wins
 * over a query parameter of the same name, as Go's {@code FormValue} reads them. The first of repeated values
 * counts. Unknown ones are ignored.
 */
final class EtcdParams {
    private final Map<String, String> values;

    private EtcdParams(Map<String, String> values) {
        this.values = values;
    }

    static EtcdParams of(String query, byte[] formBody) {
        Map<String, String> values = new HashMap<>();
        parse(formBody == null ? "" : new String(formBody, StandardCharsets.UTF_8), values);
        parse(query == null ? "" : query, values);
        return new EtcdParams(values);
    }

    private static void parse(String encoded, Map<String, String> into) {
        if (encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            into.putIfAbsent(name, value);
        }
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.INVALID_FIELD, "malformed form encoding", 0));
        }
    }

    /** The value, or null if absent. */
    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A boolean as Go's {@code strconv.ParseBool} reads it; absent is {@code otherwise}. */
    boolean flag(String name, boolean otherwise) {
        Boolean b = optionalFlag(name);
        return b == null ? otherwise : b;
    }

    /** A boolean, or null if absent. */
    Boolean optionalFlag(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.INVALID_FIELD, invalid(name), 0));
        };
    }

    /** The cause etcd gives for a parameter whose value does not parse: it quotes the name, but not for these two. */
    static String invalid(String name) {
        return name.equals("prevExist") || name.equals("refresh") ? "invalid value for " + name
                : "invalid value for \"" + name + "\"";
    }

    /** An unsigned number, or 0 if absent. */
    long index(String name) {
        String value = values.get(name);
        if (value == null) {
            return 0;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException(value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new EtcdRequestException(EtcdFailure.of(EtcdFailure.INDEX_NAN, invalid(name), 0));
        }
    }
}
