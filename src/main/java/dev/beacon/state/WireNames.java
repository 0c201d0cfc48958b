package dev.beacon.state;

import java.util.Locale;

/**
 * Consul spells its verbs as the constant's name in lower case with dashes ({@code DELETE_CAS} is
 * {@code delete-cas}), so the wire name is derived, never stored.
 */
final class WireNames {
    private WireNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant Consul calls {@code name} (any case), or null if there is none. */
    static <E extends Enum<E>> E find(E[] values, String name) {
        for (E value : values) {
            if (of(value).equalsIgnoreCase(name)) {
                return value;
            }
        }
        return null;
    }
}
