package dev.beacon.cluster;

/**
 * When a server snapshots its store so that the log before it can be dropped. A snapshot rewrites the whole state
 * and a restart replays (and Atomix first scans) the log written since the last one, so a snapshot is due once that
 * log outgrows half the state, and at least {@code floorBytes}: a large store is rewritten rarely and each write
 * pays a bounded share of one, while a small store keeps a short log and restarts quickly.
 * <p>
 * The state's size is the last snapshot's plus what was applied since (it cannot have grown by more), capped by the
 * store's own estimate. The estimate alone counts values overwritten but not yet reclaimed from the value files, up
 * to a value segment (64 MiB) and more, which made a small, busy store keep tens of megabytes of log.
 *
 * @param floorBytes the least log worth a snapshot
 */
public record CompactionPolicy(long floorBytes) {
    /** No snapshot written or restored yet. */
    public static final long NO_SNAPSHOT = -1;

    public CompactionPolicy {
        if (floorBytes <= 0) {
            throw new IllegalArgumentException("floor must be positive: " + floorBytes);
        }
    }

    /**
     * @param appliedBytes       bytes of commands applied since the last snapshot (or since start)
     * @param lastSnapshotBytes  the last snapshot's length, or {@link #NO_SNAPSHOT}
     * @param stateBytes         the store's estimate of its own size
     */
    public boolean due(long appliedBytes, long lastSnapshotBytes, long stateBytes) {
        long state = lastSnapshotBytes == NO_SNAPSHOT ? stateBytes
                : Math.min(stateBytes, lastSnapshotBytes + appliedBytes);
        return appliedBytes >= Math.max(floorBytes, state / 2);
    }
}
