package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.cluster.impl.DefaultRaftMember;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.FollowerRole;

/**
 * Keeps the followers from standing for election at the same instant when cluster membership reports the leader
 * gone.
 * <p>
 * Atomix 3.1's follower does not wait for its randomized election timeout in that case: it polls the others at once.
 * Every follower hears of the departure within a few milliseconds, so they all poll and stand in the same term,
 * split the vote, and the next try comes only a randomized election timeout later: a leader kill in the fault
 * suite's soak once took 3.3 s to fail over instead of 1-2 s. Here each follower's own reaction is replaced by the
 * same one, staggered: the surviving voters in member-id order poll after 0, 1, 2, ... times {@link #STAGGER}, and
 * a later one that has meanwhile heard from a new leader does not poll at all. If the first cannot win (its log is
 * behind the others'), the next stands one stagger later; the follower's ordinary election timeout still applies if
 * none of them succeeds.
 */
final class StaggeredPolls {
    private static final Field CLUSTER_LISTENER = RaftIntrospection.accessibleField(FollowerRole.class,
            "clusterListener");
    private static final Method SEND_POLLS = RaftIntrospection.accessibleMethod(FollowerRole.class, "sendPollRequests");
    /** Enough for an unopposed poll, vote and first append on a busy machine, small against an election timeout. */
    static final Duration STAGGER = Duration.ofMillis(100);

    private final RaftContext raft;

    private StaggeredPolls(RaftContext raft) {
        this.raft = raft;
    }

    /** Starts watching the partition's Raft server, which must exist. */
    static void start(RaftPartition partition) {
        RaftServer server = RaftIntrospection.serverOf(partition);
        if (server == null) {
            return;
        }
        RaftContext raft = RaftIntrospection.contextOf(server);
        StaggeredPolls polls = new StaggeredPolls(raft);
        raft.getThreadContext().execute(() -> {
            raft.addRoleChangeListener(role -> polls.roleChanged());
            polls.roleChanged();
        });
    }

    /**
     * On the Raft thread, after Atomix started the new role. A follower role has registered its listener by then;
     * this one takes its place, in the role's field too, so that the role removes it when it stops.
     */
    private void roleChanged() {
        if (raft.getRaftRole() instanceof FollowerRole follower) {
            ClusterMembershipEventListener own =
                    (ClusterMembershipEventListener) RaftIntrospection.field(CLUSTER_LISTENER, follower);
            ClusterMembershipEventListener staggered =
                    event -> raft.getThreadContext().execute(() -> membershipChanged(follower, event));
            raft.getMembershipService().removeListener(own);
            RaftIntrospection.setField(CLUSTER_LISTENER, follower, staggered);
            raft.getMembershipService().addListener(staggered);
        }
    }

    private void membershipChanged(FollowerRole follower, ClusterMembershipEvent event) {
        DefaultRaftMember leader = raft.getLeader();
        if (raft.getRaftRole() != follower || leader == null
                || event.type() != ClusterMembershipEvent.Type.MEMBER_REMOVED
                || !event.subject().id().equals(leader.memberId())) {
            return;
        }
        raft.setLeader(null);
        int rank = rankAmongSurvivors(leader.memberId());
        if (rank == 0) {
            poll(follower);
            return;
        }
        raft.getThreadContext().schedule(STAGGER.multipliedBy(rank), () -> {
            if (raft.getRaftRole() == follower && raft.getLeader() == null) {
                poll(follower);
            }
        });
    }

    /** This server's place among the voters other than the departed leader, in member-id order. */
    private int rankAmongSurvivors(MemberId departed) {
        List<String> survivors = raft.getCluster().getMembers().stream()
                .filter(member -> member.getType() == RaftMember.Type.ACTIVE)
                .map(RaftMember::memberId)
                .filter(id -> !id.equals(departed))
                .map(MemberId::id)
                .sorted()
                .toList();
        return Math.max(0, survivors.indexOf(raft.getCluster().getMember().memberId().id()));
    }

    private static void poll(FollowerRole follower) {
        try {
            SEND_POLLS.invoke(follower);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the follower poll for an election", e);
        }
    }
}
