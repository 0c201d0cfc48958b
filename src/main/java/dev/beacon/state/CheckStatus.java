package dev.beacon.state;

/**
 * Consul's check states, declared from best to worst (the order aggregation relies on). The code is the stored
 * form (see {@link WireCode}), so declaring a new state between two others changes no stored byte.
 */
public enum CheckStatus implements WireCode {
    PASSING(0), WARNING(1), CRITICAL(2);

    private final int code;

    CheckStatus(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CheckStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
