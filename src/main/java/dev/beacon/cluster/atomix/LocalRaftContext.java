package dev.beacon.cluster.atomix;

import java.util.function.Supplier;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;

/**
 * The Raft context of this server's replica of a partition: looked up through reflection once Atomix has built the
 * server, then kept, so that callers on hot paths (each read, each applied entry) do not look again.
 */
final class LocalRaftContext {
    private final Supplier<RaftPartition> partition;
    private volatile RaftContext context;

    LocalRaftContext(Supplier<RaftPartition> partition) {
        this.partition = partition;
    }

    /** The context, or null while the partition has no local server yet. */
    RaftContext get() {
        RaftContext raft = context;
        if (raft == null) {
            RaftPartition local = partition.get();
            RaftServer server = local == null ? null : RaftIntrospection.serverOf(local);
            if (server != null) {
                raft = RaftIntrospection.contextOf(server);
                context = raft;
            }
        }
        return raft;
    }
}
