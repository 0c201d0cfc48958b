package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;

/**
 * The way into the replicated state from any server: commands are ordered by the consensus engine and applied on
 * every server; reads that must see the leader's state are answered by the leader.
 */
public interface Replicator {
    /**
     * Submits a command; completes with its outcome once applied on the leader, or fails with
     * {@link NoSpaceException} if it was refused because a storage quota is reached, or {@link NoLeaderException}
     * if there is no leader to take it.
     */
    CompletableFuture<Outcome> submit(Command command);

    /**
     * Runs a query on the leader's replica: with {@code linearizable == false} the leader answers while its
     * lease holds (Consul's default mode); with {@code true} it first confirms its leadership with a quorum
     * (Consul's {@code ?consistent}).
     */
    <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable);
}
