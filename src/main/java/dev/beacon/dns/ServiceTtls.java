package dev.beacon.dns;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consul's {@code service_ttl}: a TTL per service name, where a key ending in {@code *} is a prefix wildcard and
 * {@code *} alone matches every service. An exact name wins over wildcards, and the longest prefix over shorter
 * ones; a service nothing matches gets 0 (no caching), Consul's default.
 */
public final class ServiceTtls {
    private final Map<String, Long> exact = new TreeMap<>();
    private final TreeMap<String, Long> prefixes = new TreeMap<>();

    public ServiceTtls(Map<String, Duration> ttls) {
        ttls.forEach((key, ttl) -> {
            String name = key.toLowerCase(Locale.ROOT);
            long seconds = seconds(ttl);
            if (name.endsWith("*")) {
                prefixes.put(name.substring(0, name.length() - 1), seconds);
            } else {
                exact.put(name, seconds);
            }
        });
    }

    public static ServiceTtls none() {
        return new ServiceTtls(Map.of());
    }

    /** The TTL, in seconds, of the records that answer for this service. */
    public long secondsFor(String service) {
        String name = service.toLowerCase(Locale.ROOT);
        Long ttl = exact.get(name);
        if (ttl != null) {
            return ttl;
        }
        for (Map.Entry<String, Long> prefix : prefixes.descendingMap().entrySet()) {
            if (name.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return 0;
    }

    static long seconds(Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("a DNS TTL cannot be negative: " + ttl);
        }
        return Math.min(ttl.toSeconds(), Integer.MAX_VALUE);
    }
}
