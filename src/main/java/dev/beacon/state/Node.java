package dev.beacon.state;

import java.util.Map;
import java.util.Objects;

/** A catalog node: a machine running an agent. */
public record Node(String name, String id, String address, String datacenter, Map<String, String> taggedAddresses,
                   Map<String, String> meta, long createIndex, long modifyIndex) implements TxnResult {

    public Node {
        Objects.requireNonNull(name, "name");
        id = Text.orEmpty(id);
        address = Text.orEmpty(address);
        datacenter = Text.orEmpty(datacenter);
        taggedAddresses = Map.copyOf(taggedAddresses);
        meta = Map.copyOf(meta);
    }

    /** True when both describe the same node, ignoring the indexes. */
    boolean sameAs(Node other) {
        return other != null && name.equals(other.name) && id.equals(other.id) && address.equals(other.address)
                && datacenter.equals(other.datacenter) && taggedAddresses.equals(other.taggedAddresses)
                && meta.equals(other.meta);
    }

    Node withIndexes(long create, long modify) {
        return new Node(name, id, address, datacenter, taggedAddresses, meta, create, modify);
    }
}
