package dev.beacon.api.filter;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads a filter value the way go-bexpr coerces it to a field's type, with Go's {@code strconv}: an integer field
 * accepts {@code 0x1F}, {@code 0o17}, {@code 017}, {@code 0b101} and {@code 1_000} (ParseInt, base 0), a boolean
 * field accepts {@code 1}, {@code t}, {@code TRUE} and the like (ParseBool). Java's parsers differ on each of these,
 * so a filter Consul accepts would otherwise match nothing here.
 */
final class GoConversions {
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final Pattern INFINITY = Pattern.compile("[+-]?(inf|infinity)", Pattern.CASE_INSENSITIVE);

    private GoConversions() {
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)}; empty where Go answers an error (syntax or range). */
    static OptionalLong parseInt(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        boolean prefixed = false;
        if (s.length() >= 3 && s.charAt(0) == '0' && "xob".indexOf(lower(s.charAt(1))) >= 0) {
            char base = lower(s.charAt(1));
            radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
            s = s.substring(2);
            prefixed = true;
        } else if (s.length() >= 2 && s.charAt(0) == '0') {
            radix = 8;
            s = s.substring(1);
            prefixed = true;
        }
        String digits = withoutSeparators(s, prefixed, radix == 16);
        if (digits == null || digits.isEmpty() || !isAsciiAlphanumeric(digits)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(negative ? "-" + digits : digits, radix));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Go's {@code strconv.ParseFloat(s, 64)}; empty where Go answers an error, including overflow. */
    static OptionalDouble parseFloat(String text) {
        if (INFINITY.matcher(text).matches()) {
            return OptionalDouble.of(text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (text.equalsIgnoreCase("nan")) {
            return OptionalDouble.of(Double.NaN);
        }
        boolean hex = HEX_FLOAT.matcher(text.replace("_", "")).matches();
        String s = withoutSeparators(text, false, hex);
        if (s == null || !(hex || DECIMAL_FLOAT.matcher(s).matches())) {
            return OptionalDouble.empty();
        }
        double value = Double.parseDouble(s);
        return Double.isInfinite(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Go's {@code strconv.ParseBool}. */
    static Optional<Boolean> parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(Boolean.TRUE);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /**
     * The digits with Go's {@code _} separators removed, or null where Go refuses them: a separator must sit
     * between two digits, or right after a base prefix.
     */
    private static String withoutSeparators(String s, boolean afterPrefix, boolean hex) {
        if (s.indexOf('_') < 0) {
            return s;
        }
        char saw = afterPrefix ? '0' : '^';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, hex ? 16 : 10) >= 0) {
                saw = '0';
            } else if (c == '_') {
                if (saw != '0') {
                    return null;
                }
                saw = '_';
            } else {
                if (saw == '_') {
                    return null;
                }
                saw = '!';
            }
        }
        return saw == '_' ? null : s.replace("_", "");
    }

    /** Long.parseLong also takes a sign and non-ASCII digits; Go takes neither here. */
    private static boolean isAsciiAlphanumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return Character.toLowerCase(c);
    }
}
