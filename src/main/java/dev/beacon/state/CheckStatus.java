package dev.beacon.state;

/** Consul's check states, in their lower-case wire form. */
public enum CheckStatus {
    PASSING, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CheckStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
