package dev.beacon.state;

import java.util.Comparator;

/**
 * Orders keys by Unicode code point, which is the order of their UTF-8 bytes: how Consul sorts keys. Java's
 * {@code String.compareTo} compares UTF-16 units, which puts supplementary characters before U+E000..U+FFFF.
 * etcd sorts its listings by UTF-8 bytes too.
 */
public final class KeyOrder {
    public static final Comparator<String> CODE_POINTS = KeyOrder::compare;

    private KeyOrder() {
    }

    static int compare(String a, String b) {
        if (a.equals(b)) {
            // Every exact lookup ends on an equal pair: String.equals compares whole arrays, the loop char by char.
            return 0;
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    // Move the surrogates above U+E000..U+FFFF so that UTF-16 units compare as code points.
                    return shiftSurrogate(x) - shiftSurrogate(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int shiftSurrogate(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
