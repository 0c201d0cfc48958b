package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.atomix.cluster.ClusterMembershipService;
import io.atomix.cluster.Member;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;

/**
 * Makes a leader contact a follower that has come back as soon as the cluster sees it again.
 * <p>
 * Atomix's leader backs off from a follower after five failed appends: the next try comes after the heartbeat
 * interval times 2 to the number of failures, up to 60 s. A follower down for 30 s thus waited 4-40 s after its
 * restart for the leader's first append (twice: once per Raft group), and could serve nothing meanwhile. Atomix's
 * cluster membership sees a restarted member within a second, so every half second the leader forgets the failures
 * of any follower that membership says is reachable; a follower that is still down fails five more cheap tries
 * (a refused connection) and is backed off again.
 */
final class ReturningFollowers {
    private static final Duration INTERVAL = Duration.ofMillis(500);
    /** Atomix's threshold for backing off (LeaderAppender.MIN_BACKOFF_FAILURE_COUNT). */
    private static final int BACKED_OFF = 5;

    private final Supplier<List<RaftPartition>> partitions;
    private final ClusterMembershipService membership;

    ReturningFollowers(Supplier<List<RaftPartition>> partitions, ClusterMembershipService membership) {
        this.partitions = partitions;
        this.membership = membership;
    }

    /** Checks every {@link #INTERVAL} on each partition's Raft thread, for as long as the server runs. */
    void start() {
        for (RaftPartition partition : partitions.get()) {
            RaftServer server = RaftIntrospection.serverOf(partition);
            if (server != null) {
                RaftContext raft = RaftIntrospection.contextOf(server);
                raft.getThreadContext().schedule(INTERVAL, INTERVAL, () -> recall(raft));
            }
        }
    }

    private void recall(RaftContext raft) {
        if (raft.getRole() != RaftServer.Role.LEADER) {
            return;
        }
        for (RaftMemberContext follower : raft.getCluster().getRemoteMemberStates()) {
            if (follower.getFailureCount() >= BACKED_OFF) {
                Member member = membership.getMember(follower.getMember().memberId());
                if (member != null && member.isReachable()) {
                    follower.resetFailureCount();
                }
            }
        }
    }
}
