package dev.beacon.cluster;

import java.time.Duration;
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
     * Submits a command and completes once this server has applied it, as an etcd member answers a write: with
     * this server's own outcome of it, so that a read here afterwards sees it. If it is not applied here within
     * {@code atMost}, or was applied as part of a restored snapshot, completes with the leader's outcome without
     * the command's results (its index, and whether it took effect). Fails as {@link #submit} does.
     */
    CompletableFuture<Outcome> submitAndApplyHere(Command command, Duration atMost);

    /**
     * Runs a query on the leader's replica: with {@code linearizable == false} the leader answers while its
     * lease holds (Consul's default mode); with {@code true} it first confirms its leadership with a quorum
     * (Consul's {@code ?consistent}).
     */
    <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable);
}
