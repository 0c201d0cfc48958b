package dev.beacon.state;

import java.util.Map;
import java.util.Objects;

/**
 * What Consul keeps of a service registration beyond the fields every client uses, stored and returned as given:
 * its kind ({@code ""} for a typical service, or {@code connect-proxy}, {@code mesh-gateway}, ...), DNS SRV weights
 * for passing and warning instances, per-purpose addresses, a Unix socket path, and the Connect {@code Proxy} and
 * {@code Connect} objects as the JSON text they were registered with (Beacon runs no mesh; tools that register
 * sidecars read them back).
 */
public record ServiceExtras(String kind, int passingWeight, int warningWeight,
                            Map<String, ServiceAddress> taggedAddresses, String socketPath, String proxyJson,
                            String connectJson) {
    /** A registration that gave none of these: Consul's default weights are 1 and 1. */
    public static final ServiceExtras NONE = new ServiceExtras("", 1, 1, Map.of(), "", "", "");

    public ServiceExtras {
        kind = Text.orEmpty(kind);
        taggedAddresses = Map.copyOf(Objects.requireNonNull(taggedAddresses, "taggedAddresses"));
        socketPath = Text.orEmpty(socketPath);
        proxyJson = Text.orEmpty(proxyJson);
        connectJson = Text.orEmpty(connectJson);
    }

    /** An address and port a service offers for one purpose ({@code lan}, {@code wan}, {@code lan_ipv4}, ...). */
    public record ServiceAddress(String address, int port) {
        public ServiceAddress {
            address = Text.orEmpty(address);
        }
    }
}
