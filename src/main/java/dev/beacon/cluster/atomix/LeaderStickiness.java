package dev.beacon.cluster.atomix;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.protocol.PollResponse;
import io.atomix.protocols.raft.protocol.RaftResponse;
import io.atomix.protocols.raft.protocol.RaftServerProtocol;

/**
 * A server that has just heard from its leader refuses other servers' pre-votes (Raft's leader stickiness).
 * <p>
 * Atomix 3.1's follower grants a poll to any candidate whose log is as long as its own, even while its leader is
 * sending it heartbeats; a server that polls too early (one restarted after being killed, whose first election
 * timer fired before the leader reached it) then wins the pre-vote, stands in a new term and deposes a working
 * leader. Here a poll that arrives within two heartbeat intervals of the last append this server received is
 * refused. Where the leader is really gone (killed, paused, cut off) the others have heard nothing from it for at
 * least that long by the time anyone polls, so elections proceed as before.
 */
final class LeaderStickiness {
    private final RaftContext raft;
    /** {@link System#nanoTime()} of the last append received, 0 before the first. */
    private final AtomicLong lastAppend = new AtomicLong();

    private LeaderStickiness(RaftContext raft) {
        this.raft = raft;
    }

    /**
     * Takes over the append and poll handlers of the partition's Raft server once Atomix has built it (they still
     * end in Atomix's own role), unless {@code giveUp} is true first.
     */
    static void installWhenBuilt(RaftPartition partition, BooleanSupplier giveUp) {
        RaftServerLookout.whenBuilt(partition, server -> true, giveUp,
                server -> new LeaderStickiness(RaftIntrospection.contextOf(server)).install());
    }

    private void install() {
        RaftServerProtocol protocol = raft.getProtocol();
        protocol.registerAppendHandler(request -> {
            lastAppend.set(System.nanoTime());
            return onRaftThread(() -> raft.getRaftRole().onAppend(request));
        });
        protocol.registerPollHandler(request -> onRaftThread(() -> heardFromLeaderJustNow()
                ? CompletableFuture.completedFuture(refused())
                : raft.getRaftRole().onPoll(request)));
    }

    /** Only followers receive appends; a leader refuses polls itself, and a candidate has no leader to stick to. */
    private boolean heardFromLeaderJustNow() {
        long last = lastAppend.get();
        return last != 0 && raft.getRole() == RaftServer.Role.FOLLOWER && raft.getLeader() != null
                && System.nanoTime() - last < 2 * raft.getHeartbeatInterval().toNanos();
    }

    private PollResponse refused() {
        return PollResponse.builder()
                .withStatus(RaftResponse.Status.OK)
                .withTerm(raft.getTerm())
                .withAccepted(false)
                .build();
    }

    /**
     * As Atomix runs its handlers: on the server's thread, its answer completing the returned future (or its failure,
     * should the handler throw).
     */
    private <R> CompletableFuture<R> onRaftThread(Supplier<CompletableFuture<R>> handler) {
        return CompletableFuture.supplyAsync(handler, raft.getThreadContext()).thenCompose(Function.identity());
    }
}
