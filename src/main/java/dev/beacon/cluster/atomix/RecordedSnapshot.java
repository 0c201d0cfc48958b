package dev.beacon.cluster.atomix;

import java.util.function.LongSupplier;

import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.storage.snapshot.Snapshot;

/**
 * The Raft index of the snapshot Atomix has recorded for this server's replica: the one it would restore the state
 * machine from after a restart (0 if it has none; {@link SnapshotFiles#UNKNOWN} before Atomix has built the
 * replica). Atomix keeps its snapshots in a concurrent map, so this may be read from any thread.
 */
final class RecordedSnapshot implements LongSupplier {
    private final LocalRaftContext context;

    RecordedSnapshot(LocalRaftContext context) {
        this.context = context;
    }

    @Override
    public long getAsLong() {
        RaftContext raft = context.get();
        if (raft == null || raft.getSnapshotStore() == null) {
            return SnapshotFiles.UNKNOWN;
        }
        Snapshot current = raft.getSnapshotStore().getCurrentSnapshot();
        return current == null ? 0 : current.index();
    }
}
