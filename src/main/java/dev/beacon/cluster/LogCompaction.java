package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

/** Snapshots of this server's store, which let the consensus engine drop the log they cover. */
public interface LogCompaction {
    /** Snapshots the store at its current index now and drops the log the snapshot covers. */
    CompletableFuture<Void> compactLog();

    /**
     * Snapshots once the log written since the last snapshot outgrows half the state (and at least a segment), so
     * that a large store is rewritten rarely and each write pays a bounded share of one.
     */
    void compactWhenLogOutgrows(long stateBytes);
}
