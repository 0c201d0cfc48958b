package dev.beacon.cluster.atomix;

import java.lang.reflect.Method;
import java.util.function.BooleanSupplier;

import dev.beacon.cluster.RaftTimeouts;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.FollowerRole;

/**
 * Gives a partition's Raft server this cluster's timeouts, and lets a server that is its group's only member
 * elect itself at once.
 * <p>
 * Atomix 3.1 builds each Raft server inside {@code Atomix.start()} with a fixed 2.5 s election timeout and 250 ms
 * heartbeat, and a new follower waits 2.5-5 s before its first election, for each group in turn: a dev server
 * needed 5-10 s to elect itself, a new three-server cluster 8-11 s to form. The server's context takes other
 * timeouts at any time; every timer set after that uses them. This waits until the server is running
 * ({@link RaftServerLookout}); the first follower timer is armed by then, which {@link RaftServer#promote()} (a
 * public way to stand for election now) cuts short for a lone server. A member of a larger group that knows no
 * leader yet has that timer armed again with the configured timeout, so that a new cluster, or a whole cluster
 * started again, holds its first elections as soon as its later ones. A server restarted into a running cluster
 * may now poll before its leader reaches it; {@link LeaderStickiness} has the others refuse it then.
 */
final class RaftServerTuning {
    private static final Method REARM_ELECTION_TIMER =
            RaftIntrospection.accessibleMethod(FollowerRole.class, "resetHeartbeatTimeout");
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
            if (context.getLeader() != null) {
                return;
            }
            if (alone) {
                server.promote();
            } else if (context.getRaftRole() instanceof FollowerRole follower) {
                rearmElectionTimer(follower);
            }
        });
    }

    private static void rearmElectionTimer(FollowerRole follower) {
        try {
            REARM_ELECTION_TIMER.invoke(follower);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot arm the follower's election timer again", e);
        }
    }
}
