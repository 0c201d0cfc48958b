package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.beacon.state.Command;
import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.LeaderRole;

/**
 * Tells the followers of an etcd write's commit at once, as etcd's leader does, instead of at the next heartbeat.
 * <p>
 * Atomix 3.1's leader sends its commit index only with an append: a follower that has stored an entry learns that
 * it is committed, and applies it, with the next entry or the next heartbeat (up to 150 ms later). That is Consul's
 * behaviour too, but an etcd write is answered, as an etcd member answers it, once the server that took it has
 * applied it, and tools such as etcdctl send the next request to another member and expect to see the write. So
 * once the leader has applied an etcd write, its Raft thread sends each follower one append carrying the commit
 * index; a follower whose previous append is still unanswered (often the one that took the write, when the other
 * follower's answer made the commit) gets it as soon as the leader has handled that answer ({@link AppendAnswers}).
 * A follower already sent an append that carries the commit is left alone: under load the leader's own appends carry
 * each commit, and re-telling it cost a fifth of an etcd write's CPU (bench/README.md, session 32). Requests
 * coalesce.
 * <p>
 * One append per follower, not Atomix's heartbeat round ({@code LeaderAppender.appendEntries()}): a round waits for
 * a quorum's answer stamped in a later millisecond than the round itself and sends again after every answer until
 * then, so on a fast network one round was several, and each write cost the followers two to four extra appends.
 */
final class PromptCommits {
    private static final Method APPEND_TO = RaftIntrospection.accessibleMethod(RaftIntrospection.APPENDER.getType(),
            "appendEntries", RaftMemberContext.class);
    private static final Field PROTOCOL = RaftIntrospection.accessibleField(RaftContext.class, "protocol");

    private final LocalRaftContext context;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Raft thread only: each follower's highest commit index carried by an append sent to it. */
    private final Map<MemberId, Long> sentCommits = new HashMap<>();
    /** Raft thread only: followers to be told a commit (the value) once their append in flight is answered. */
    private final Map<MemberId, Long> untold = new HashMap<>();

    PromptCommits(Supplier<RaftPartition> partition) {
        this.context = new LocalRaftContext(partition);
    }

    /**
     * Has the partition's Raft server report each answer to its appends here, as soon as Atomix has built it, unless
     * {@code giveUp} first. Until then (the first milliseconds of a start), a follower with an append in flight
     * learns of a commit at the next heartbeat.
     */
    void installWhenBuilt(RaftPartition partition, BooleanSupplier giveUp) {
        RaftServerLookout.whenBuilt(partition, server -> true, giveUp, server -> {
            RaftContext raft = RaftIntrospection.contextOf(server);
            raft.getThreadContext().execute(() -> {
                if (!(raft.getProtocol() instanceof AppendAnswers)) {
                    RaftIntrospection.setField(PROTOCOL, raft,
                            new AppendAnswers(raft.getProtocol(), raft.getThreadContext(),
                                    new AppendAnswers.Listener() {
                                        @Override
                                        public void sent(MemberId member, long commitIndex) {
                                            sentCommits.merge(member, commitIndex, Math::max);
                                        }

                                        @Override
                                        public void answered(MemberId member) {
                                            PromptCommits.this.answered(raft, member);
                                        }
                                    }));
                }
            });
        });
    }

    /**
     * Called by the state machine after it applied a command; does something only for etcd's writes (the only
     * {@link Command.KvPut} and {@link Command.KvRemove}), on a leader with followers.
     */
    void applied(Command command) {
        if (!(command instanceof Command.KvPut || command instanceof Command.KvRemove)) {
            return;
        }
        RaftContext raft = context.get();
        if (raft == null || raft.getRole() != RaftServer.Role.LEADER
                || raft.getCluster().getRemoteMemberStates().isEmpty()) {
            return;
        }
        if (queued.compareAndSet(false, true)) {
            raft.getThreadContext().execute(() -> {
                queued.set(false);
                tell(raft);
            });
        }
    }

    /** On the Raft thread, as everything below: the role may have changed since this was queued. */
    private void tell(RaftContext raft) {
        if (!(raft.getRaftRole() instanceof LeaderRole leader)) {
            untold.clear();
            return;
        }
        Object appender = RaftIntrospection.appenderOf(leader);
        long commit = raft.getCommitIndex();
        for (RaftMemberContext follower : raft.getCluster().getRemoteMemberStates()) {
            MemberId member = follower.getMember().memberId();
            if (toldOf(member, commit)) {
                untold.remove(member);
            } else if (follower.canHeartbeat()) {
                appendTo(appender, follower);
                untold.remove(member);
            } else {
                untold.merge(member, commit, Math::max);
            }
        }
    }

    /** After the leader handled {@code member}'s answer to an append: tells it the commit if it is still untold. */
    private void answered(RaftContext raft, MemberId member) {
        Long commit = untold.get(member);
        if (commit == null) {
            return;
        }
        if (!(raft.getRaftRole() instanceof LeaderRole leader)) {
            untold.clear();
            return;
        }
        RaftMemberContext follower = raft.getCluster().getMemberState(member);
        if (follower == null || toldOf(member, commit)) {
            untold.remove(member);
        } else if (follower.canHeartbeat()) {
            appendTo(RaftIntrospection.appenderOf(leader), follower);
            untold.remove(member);
        }
    }

    /** Whether an append carrying {@code commit} (or a later commit) has been sent to the member. */
    private boolean toldOf(MemberId member, long commit) {
        return sentCommits.getOrDefault(member, 0L) >= commit;
    }

    private static void appendTo(Object appender, RaftMemberContext follower) {
        try {
            APPEND_TO.invoke(appender, follower);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot have the leader's appender send an append", e);
        }
    }
}
