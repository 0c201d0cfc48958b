package dev.beacon.cluster;

import dev.beacon.state.Store;

/**
 * This server's copy of the replicated state. The Raft state machine applies to it; stale reads, DNS, the UI
 * and parked blocking queries read it in-process.
 */
public final class LocalReplica {
    private final Store store = new Store();

    public Store store() {
        return store;
    }
}
