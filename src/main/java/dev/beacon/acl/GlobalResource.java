package dev.beacon.acl;

/** A resource without labels: one disposition for the whole cluster, given as {@code operator = "read"}. */
public enum GlobalResource {
    /** Operator endpoints other than the keyring. */
    OPERATOR("operator"),
    /** The ACL system itself (and snapshots, which contain every token's secret). */
    ACL("acl"),
    /** The gossip keyring. */
    KEYRING("keyring"),
    /** Mesh configuration; without a rule of its own it follows {@code operator}. */
    MESH("mesh"),
    /** Cluster peering; without a rule of its own it follows {@code operator}. */
    PEERING("peering");

    private final String keyword;

    GlobalResource(String keyword) {
        this.keyword = keyword;
    }

    /** The attribute name in rule files, e.g. {@code operator}. */
    public String keyword() {
        return keyword;
    }
}
