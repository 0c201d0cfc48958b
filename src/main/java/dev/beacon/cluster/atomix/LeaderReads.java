package dev.beacon.cluster.atomix;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.LeaderRole;
import io.atomix.protocols.raft.roles.RaftRole;

/**
 * Decides whether this server, as leader, may answer a read from its state as it is now: on the state machine,
 * for the reads other servers send it, and on a request thread, for default reads made here (which the leader
 * answers without Atomix). Raft's own fields are read without its thread: a stale view is older, which only
 * refuses a read that could have been answered.
 * <p>
 * Atomix 3.1 runs a query on the leader at once, on the assumption that a leader's state machine is always up to
 * date. A new leader's is not: entries the old leader committed are applied here only once this leader has
 * committed the first entry of its own term. Until then its state can lack acknowledged writes (right after all
 * servers restarted, it was empty: the fault suite saw a 404 for a key written long before). Reads wait for that
 * entry to be applied.
 * <p>
 * Default-mode reads are not confirmed with the followers (consistent reads are, after running), so they also
 * need a lease: a majority acknowledged a heartbeat the leader sent within the last half election timeout. A
 * follower stands for election only after a full election timeout without hearing from the leader, so while the
 * lease holds, no other leader can have been elected. It counts from when the acknowledged heartbeat was sent, not
 * when the answer came: a leader paused by SIGSTOP finds its followers' answers to its old heartbeats waiting when
 * it resumes, and counting those as fresh let it answer with old data. Without a lease, a leader cut off from its
 * peers answered default reads with old data for the ~10 s Atomix takes to make it step down.
 * <p>
 * A read refused here is sent again by the server that asked ({@link RefusedReadRetry}).
 */
final class LeaderReads {
    private static final Method FIRST_INDEX_OF_TERM =
            RaftIntrospection.accessibleMethod(RaftIntrospection.APPENDER.getType(), "getIndex");

    private final LocalRaftContext context;
    /** The leader role last looked at and the index of its term's first entry: reflection once per term. */
    private volatile TermStart termStart = new TermStart(null, Long.MAX_VALUE);

    private record TermStart(RaftRole leaderRole, long firstIndex) {
    }

    LeaderReads(Supplier<RaftPartition> partition) {
        this.context = new LocalRaftContext(partition);
    }

    /** Whether this server, as leader, may answer a read now; {@code lease} for a default-mode read. */
    boolean mayAnswer(boolean lease) {
        RaftContext raft = context.get();
        if (raft == null || raft.getRole() != RaftServer.Role.LEADER) {
            return false;
        }
        if (raft.getLastApplied() < firstIndexOfTerm(raft.getRaftRole())) {
            return false;
        }
        return !lease || leaseHeld(raft);
    }

    private boolean leaseHeld(RaftContext raft) {
        long since = System.currentTimeMillis() - raft.getElectionTimeout().toMillis() / 2;
        int voters = 1;
        int heard = 1;
        for (RaftMemberContext member : raft.getCluster().getRemoteMemberStates()) {
            voters++;
            if (member.getHeartbeatTime() >= since) {
                heard++;
            }
        }
        return heard > voters / 2;
    }

    private long firstIndexOfTerm(RaftRole role) {
        TermStart known = termStart;
        if (role == known.leaderRole()) {
            return known.firstIndex();
        }
        if (!(role instanceof LeaderRole)) {
            return Long.MAX_VALUE;
        }
        try {
            Object appender = RaftIntrospection.appenderOf((LeaderRole) role);
            known = new TermStart(role, (long) FIRST_INDEX_OF_TERM.invoke(appender));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the leader's first index of its term", e);
        }
        termStart = known;
        return known.firstIndex();
    }
}
