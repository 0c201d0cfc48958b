package dev.beacon.state;

/** Catalog strings are never null: Consul's JSON has "" where a field is unset. */
final class Text {
    private Text() {
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
