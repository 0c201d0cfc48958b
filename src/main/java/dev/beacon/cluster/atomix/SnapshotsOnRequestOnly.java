package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.utils.LoadMonitor;

/**
 * Leaves the data partition's snapshots to Beacon's {@link dev.beacon.cluster.CompactionPolicy}. Atomix 3.1 also
 * snapshots by itself every 10 s in which a log segment has filled since its last snapshot, unless its load monitor
 * counts over 100 entries a second: a large store written slowly was then rewritten whole at every segment (a
 * million keys: 1.3 GB, stalling the state machine for up to 26 s), and the smaller the segments, the more often.
 * The load monitor is made to report high load always, which is the one case in which Atomix skips its own
 * snapshot; it still snapshots when the disk runs out of room for two segments, and completes and compacts the
 * snapshots Beacon requests (10 s after each, instead of at once).
 */
final class SnapshotsOnRequestOnly {
    private static final Field THRESHOLD = RaftIntrospection.accessibleField(LoadMonitor.class, "highLoadThreshold");

    private SnapshotsOnRequestOnly() {
    }

    /** Applies to the partition's Raft server as soon as Atomix has built it, unless {@code giveUp} first. */
    static void installWhenBuilt(RaftPartition partition, BooleanSupplier giveUp) {
        RaftServerLookout.whenBuilt(partition, server -> true, giveUp, server -> {
            RaftContext context = RaftIntrospection.contextOf(server);
            context.getThreadContext().execute(() -> install(context));
        });
    }

    /** Must run on the server's thread, where Atomix reads the monitor. */
    static void install(RaftContext context) {
        // A count of events is never below zero, so "more than -1" always holds.
        RaftIntrospection.setField(THRESHOLD, context.getLoadMonitor(), -1);
    }
}
