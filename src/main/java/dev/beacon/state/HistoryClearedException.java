package dev.beacon.state;

/** A watch asked for events from an index older than the event history keeps (etcd's error 401). */
public final class HistoryClearedException extends RuntimeException {
    private final long oldestKept;
    private final long requestedIndex;

    public HistoryClearedException(long oldestKept, long requestedIndex) {
        super("the requested history has been cleared [" + oldestKept + "/" + requestedIndex + "]", null, false,
                false);
        this.oldestKept = oldestKept;
        this.requestedIndex = requestedIndex;
    }

    public long oldestKept() {
        return oldestKept;
    }

    public long requestedIndex() {
        return requestedIndex;
    }
}
