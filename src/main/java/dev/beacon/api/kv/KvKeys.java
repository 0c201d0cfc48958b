package dev.beacon.api.kv;

import java.util.ArrayList;
import java.util.List;

/** The rules of KV key names and values, shared by the HTTP API and the web UI. */
public final class KvKeys {
    /** Consul's default {@code kv_max_value_size}. */
    public static final int MAX_VALUE_BYTES = 512 * 1024;

    private KvKeys() {
    }

    /** Why a key name cannot be written, or null if it can. */
    public static String problem(String key) {
        if (key.isEmpty()) {
            return "Missing key name";
        }
        if (key.startsWith("/")) {
            return "Invalid key name, starting with /";
        }
        return null;
    }

    /** The sorted keys under a prefix; with a separator, keys deeper than the next separator fold into one. */
    public static List<String> keysOf(List<String> all, String prefix, String separator) {
        List<String> keys = new ArrayList<>(all.size());
        String last = null;
        for (String key : all) {
            if (separator != null && !separator.isEmpty()) {
                int at = key.indexOf(separator, prefix.length());
                if (at >= 0) {
                    key = key.substring(0, at + separator.length());
                }
            }
            if (!key.equals(last)) {
                keys.add(key);
                last = key;
            }
        }
        return keys;
    }
}
