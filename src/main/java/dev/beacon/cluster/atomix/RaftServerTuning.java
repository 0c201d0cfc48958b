package dev.beacon.cluster.atomix;

import java.util.function.BooleanSupplier;

import dev.beacon.cluster.RaftTimeouts;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;

/**
 * Gives a partition's Raft server this cluster's timeouts, and lets a server that is its group's only member
 * elect itself at once.
 * <p>
 * Atomix 3.1 builds each Raft server inside {@code Atomix.start()} with a fixed 2.5 s election timeout and 250 ms
 * heartbeat, and a new follower waits 2.5-5 s before its first election, for each group in turn: a dev server
 * needed 5-10 s to elect itself. The server's context takes other timeouts at any time; every timer set after
 * that uses them (so in a new multi-server cluster only the very first election still waits Atomix's 2.5-5 s).
 * This waits until the server is running ({@link RaftServerLookout}); the first follower timer is armed by then,
 * which {@link RaftServer#promote()} (a public way to stand for election now) cuts short for a lone server.
 */
final class RaftServerTuning {
    private final RaftTimeouts timeouts;
    private final boolean alone;

    /** @param alone whether this server is the only member of its groups (a dev server) */
    RaftServerTuning(RaftTimeouts timeouts, boolean alone) {
        this.timeouts = timeouts;
        this.alone = alone;
    }

    /** Tunes the partition's server once Atomix has built and started it, unless {@code giveUp} is true first. */
    void tuneWhenRunning(RaftPartition partition, BooleanSupplier giveUp) {
        // Not before it has left INACTIVE: until then its membership may not be loaded, and a lone candidate
        // with no members would make itself leader of nothing.
        RaftServerLookout.whenBuilt(partition, server -> server.getRole() != RaftServer.Role.INACTIVE, giveUp,
                this::tune);
    }

    private void tune(RaftServer server) {
        RaftContext context = RaftIntrospection.contextOf(server);
        context.getThreadContext().execute(() -> {
            context.setElectionTimeout(timeouts.electionTimeout());
            context.setHeartbeatInterval(timeouts.heartbeatInterval());
            if (alone && context.getLeader() == null) {
                server.promote();
            }
        });
    }
}
