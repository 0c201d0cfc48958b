package dev.beacon.state;

/**
 * Consul's check states, declared from best to worst (the order aggregation relies on; the ordinal is also the
 * stored form, so new states go at the end of their rank only with a format change).
 */
public enum CheckStatus {
    PASSING, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CheckStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
