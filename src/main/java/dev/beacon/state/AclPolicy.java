package dev.beacon.state;

import java.util.List;
import java.util.Objects;

/**
 * An ACL policy: named rules in Consul's rule language, kept as the text given (the API layer parses and checks
 * them before they are written). {@code datacenters} limits where the policy applies; empty means everywhere.
 */
public record AclPolicy(String id, String name, String description, String rules, List<String> datacenters,
                        long createIndex, long modifyIndex) {
    /** Consul's builtin policy that grants everything; its id is fixed, as in Consul. */
    public static final String GLOBAL_MANAGEMENT_ID = "00000000-0000-0000-0000-000000000001";
    public static final String GLOBAL_MANAGEMENT_NAME = "global-management";

    public AclPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        description = Text.orEmpty(description);
        rules = Text.orEmpty(rules);
        datacenters = List.copyOf(datacenters);
    }

    static AclPolicy globalManagement(long index) {
        return new AclPolicy(GLOBAL_MANAGEMENT_ID, GLOBAL_MANAGEMENT_NAME,
                "Builtin Policy that grants unlimited access", "", List.of(), index, index);
    }

    AclPolicy at(long createIndex, long modifyIndex) {
        return new AclPolicy(id, name, description, rules, datacenters, createIndex, modifyIndex);
    }
}
