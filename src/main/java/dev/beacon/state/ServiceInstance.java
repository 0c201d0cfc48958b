package dev.beacon.state;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One registered instance of a service on a node. */
public record ServiceInstance(String node, String id, String service, List<String> tags, String address, int port,
                              Map<String, String> meta, boolean enableTagOverride, ServiceExtras extras,
                              long createIndex, long modifyIndex) implements TxnResult {

    public ServiceInstance {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(id, "id");
        service = Text.orEmpty(service);
        address = Text.orEmpty(address);
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
        extras = extras == null ? ServiceExtras.NONE : extras;
    }

    /** A registration with none of Consul's {@link ServiceExtras}. */
    public ServiceInstance(String node, String id, String service, List<String> tags, String address, int port,
                           Map<String, String> meta, boolean enableTagOverride, long createIndex, long modifyIndex) {
        this(node, id, service, tags, address, port, meta, enableTagOverride, ServiceExtras.NONE, createIndex,
                modifyIndex);
    }

    boolean sameAs(ServiceInstance other) {
        return other != null && node.equals(other.node) && id.equals(other.id) && service.equals(other.service)
                && tags.equals(other.tags) && address.equals(other.address) && port == other.port
                && meta.equals(other.meta) && enableTagOverride == other.enableTagOverride
                && extras.equals(other.extras);
    }

    ServiceInstance withIndexes(long create, long modify) {
        return new ServiceInstance(node, id, service, tags, address, port, meta, enableTagOverride, extras, create,
                modify);
    }
}
