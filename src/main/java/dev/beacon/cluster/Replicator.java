package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Outcome;

/**
 * Submits commands from any server (Atomix forwards them to the leader) and answers once the command is
 * committed and applied here too, so that a read on this server right after a write sees it.
 */
public final class Replicator {
    private final BeaconCluster cluster;

    public Replicator(BeaconCluster cluster) {
        this.cluster = cluster;
    }

    public CompletableFuture<Outcome> submit(Command command) {
        return cluster.execute(StoreOperations.APPLY, CommandCodec.encode(command), false)
                .thenApply(CommandCodec::decodeOutcome)
                .thenCompose(outcome -> cluster.replica().awaitApplied(outcome.index()).thenApply(v -> outcome));
    }

    /**
     * Completes once this server's replica holds everything the leader had applied when asked: the basis of
     * Consul's default reads ({@code linearizable == false}: the leader answers from its lease) and of
     * {@code ?consistent} reads (the leader confirms its leadership with a quorum first).
     */
    public CompletableFuture<Long> readIndex(boolean linearizable) {
        return cluster.execute(StoreOperations.LAST_INDEX, new byte[0], linearizable)
                .thenApply(StoreService::bytesLong)
                .thenCompose(index -> cluster.replica().awaitApplied(index).thenApply(v -> index));
    }
}
