package dev.beacon.acl;

/** A kind of resource whose rules carry a label: a name matched exactly, or a prefix of names. */
public enum Resource {
    /** KV entries, labelled by key. */
    KEY("key"),
    /** Services (and, through {@code intentions}, the intentions naming them as destination). */
    SERVICE("service"),
    /** Catalog nodes. */
    NODE("node"),
    /** Sessions, labelled by the node they belong to. */
    SESSION("session"),
    /** Agent endpoints, labelled by the agent's node name. */
    AGENT("agent"),
    /** User events. */
    EVENT("event"),
    /** Prepared queries. */
    QUERY("query");

    private final String keyword;

    Resource(String keyword) {
        this.keyword = keyword;
    }

    /** The block name of exact rules, e.g. {@code key}; prefix rules add {@code _prefix}. */
    public String keyword() {
        return keyword;
    }

    /** The block name used for a rule of this resource, e.g. {@code key_prefix}. */
    public String keyword(boolean prefix) {
        return prefix ? keyword + "_prefix" : keyword;
    }

    /** Only KV rules may say {@code list}. */
    boolean allowsList() {
        return this == KEY;
    }
}
