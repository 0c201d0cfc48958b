package dev.beacon.cluster.atomix;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.beacon.state.Command;
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
 * index; a follower whose previous append is still unanswered gets it once that answer is in (looked at every
 * {@link #SETTLE}, for at most a heartbeat interval). Requests coalesce; under load, appends carry each commit anyway.
 * <p>
 * One append per follower, not Atomix's heartbeat round ({@code LeaderAppender.appendEntries()}): a round waits for
 * a quorum's answer stamped in a later millisecond than the round itself and sends again after every answer until
 * then, so on a fast network one round was several, and each write cost the followers two to four extra appends.
 */
final class PromptCommits {
    private static final Method APPEND_TO = RaftIntrospection.accessibleMethod(RaftIntrospection.APPENDER.getType(),
            "appendEntries", RaftMemberContext.class);
    private static final Duration SETTLE = Duration.ofMillis(2);

    private final LocalRaftContext context;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Raft thread only: the followers not yet sent the latest commit, whether a look is scheduled, and until when. */
    private final Set<RaftMemberContext> untold = new HashSet<>();
    private boolean settling;
    private long settleUntilNanos;

    PromptCommits(Supplier<RaftPartition> partition) {
        this.context = new LocalRaftContext(partition);
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
        untold.addAll(raft.getCluster().getRemoteMemberStates());
        settleUntilNanos = System.nanoTime() + raft.getHeartbeatInterval().toNanos();
        settle(raft, leader);
    }

    /** Sends the commit to every untold follower with no append in flight; looks again later for the others. */
    private void settle(RaftContext raft, LeaderRole leader) {
        Object appender = RaftIntrospection.appenderOf(leader);
        for (Iterator<RaftMemberContext> followers = untold.iterator(); followers.hasNext(); ) {
            RaftMemberContext follower = followers.next();
            if (follower.canHeartbeat()) {
                appendTo(appender, follower);
                followers.remove();
            }
        }
        if (!untold.isEmpty() && System.nanoTime() < settleUntilNanos) {
            settleLater(raft);
        } else {
            untold.clear();
        }
    }

    private void settleLater(RaftContext raft) {
        if (!settling) {
            settling = true;
            raft.getThreadContext().schedule(SETTLE, () -> {
                settling = false;
                if (raft.getRaftRole() instanceof LeaderRole leader) {
                    settle(raft, leader);
                } else {
                    untold.clear();
                }
            });
        }
    }

    private static void appendTo(Object appender, RaftMemberContext follower) {
        try {
            APPEND_TO.invoke(appender, follower);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot have the leader's appender send an append", e);
        }
    }
}
