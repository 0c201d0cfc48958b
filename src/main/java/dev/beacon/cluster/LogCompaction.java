package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

/** Snapshots of this server's store, which let the consensus engine drop the log they cover. */
public interface LogCompaction {
    /** Snapshots the store (at its index when the snapshot is taken) and drops the log the snapshot covers. */
    CompletableFuture<Void> compactLog();

    /** Snapshots if {@link CompactionPolicy} finds one due, given the store's estimate of its size. */
    void compactWhenLogOutgrows(long stateBytes);
}
