package dev.beacon.state;

/**
 * One change to a key, as etcd v2's event history records it: what happened ({@link #action}, in etcd's words),
 * the key after it ({@code node}; its value null for a delete or an expiry) and before it ({@code prevNode}, null
 * if the key did not exist). Writes through either API record one, so an etcd watcher sees Consul writes too.
 *
 * @param expiry     when the key expires after this change (entry time in milliseconds), 0 for never
 * @param prevExpiry the same before the change
 */
public record KvEvent(String action, long index, KvEntry node, KvEntry prevNode, long expiry, long prevExpiry)
        implements TxnResult {
    public static final String SET = "set";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String COMPARE_AND_SWAP = "compareAndSwap";
    public static final String DELETE = "delete";
    public static final String COMPARE_AND_DELETE = "compareAndDelete";
    public static final String EXPIRE = "expire";

    @Override
    public long modifyIndex() {
        return index;
    }

    /** The key the event is about. */
    public String key() {
        return node.key();
    }

    /** Bytes of value this event holds on to. */
    long weight() {
        return length(node) + length(prevNode) + 2L * node.key().length();
    }

    private static long length(KvEntry entry) {
        return entry == null || entry.value() == null ? 0 : entry.value().length;
    }
}
