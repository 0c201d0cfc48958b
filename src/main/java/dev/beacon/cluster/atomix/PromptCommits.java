package dev.beacon.cluster.atomix;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.beacon.state.Command;
import io.atomix.protocols.raft.RaftServer;
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
 * once the leader has applied an etcd write, its Raft thread has Atomix send a heartbeat round: an append carrying
 * the commit index to every follower. A follower whose previous append was still in flight can miss that round
 * (Atomix piggybacks on a later append only while the round is unanswered, and one follower's answer ends it), so
 * once no append is in flight (looked at every {@link #SETTLE}, for at most a heartbeat interval) one more round
 * goes out. Requests coalesce; under load, appends carry each commit anyway.
 */
final class PromptCommits {
    private static final Method HEARTBEAT =
            RaftIntrospection.accessibleMethod(RaftIntrospection.APPENDER.getType(), "appendEntries");
    private static final Duration SETTLE = Duration.ofMillis(2);

    private final LocalRaftContext context;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Raft thread only: whether a settling round is scheduled, and until when to keep waiting for one. */
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
        if (raft.getRaftRole() instanceof LeaderRole leader) {
            heartbeat(leader);
            settleUntilNanos = System.nanoTime() + raft.getHeartbeatInterval().toNanos();
            settleLater(raft);
        }
    }

    private void settleLater(RaftContext raft) {
        if (!settling) {
            settling = true;
            raft.getThreadContext().schedule(SETTLE, () -> settle(raft));
        }
    }

    private void settle(RaftContext raft) {
        settling = false;
        if (!(raft.getRaftRole() instanceof LeaderRole leader)) {
            return;
        }
        boolean inFlight = raft.getCluster().getRemoteMemberStates().stream().anyMatch(f -> !f.canHeartbeat());
        if (!inFlight) {
            heartbeat(leader);
        } else if (System.nanoTime() < settleUntilNanos) {
            settleLater(raft);
        }
    }

    private static void heartbeat(LeaderRole leader) {
        try {
            HEARTBEAT.invoke(RaftIntrospection.appenderOf(leader));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the leader's appender for a heartbeat", e);
        }
    }
}
