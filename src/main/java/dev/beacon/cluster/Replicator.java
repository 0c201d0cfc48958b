package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;
import dev.beacon.state.Store;

/**
 * The way into the replicated state from any server. Commands go to the leader (Atomix forwards them) and
 * complete once committed and applied there. Reads that must see the leader's state run on the leader too:
 * a follower learns of a commit only with the leader's next heartbeat, so waiting for its own copy would cost
 * up to that long.
 */
public final class Replicator {
    private final BeaconCluster cluster;

    public Replicator(BeaconCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Submits a command; completes with its outcome once applied on the leader, or fails with
     * {@link NoSpaceException} if it was refused because a storage quota is reached.
     */
    public CompletableFuture<Outcome> submit(Command command) {
        return cluster.execute(StoreOperations.APPLY, CommandCodec.encode(command), false)
                .thenApply(bytes -> {
                    Outcome outcome = CommandCodec.decodeOutcome(bytes);
                    if (Store.NO_SPACE.equals(outcome.error())) {
                        throw new NoSpaceException();
                    }
                    return outcome;
                });
    }

    /**
     * Runs a query on the leader's replica: with {@code linearizable == false} the leader answers while its
     * lease holds (Consul's default mode); with {@code true} it first confirms its leadership with a quorum
     * (Consul's {@code ?consistent}).
     */
    public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
        return cluster.execute(StoreOperations.READ, QueryCodec.encode(query), linearizable)
                .thenApply(bytes -> QueryCodec.decodeResult(query, bytes));
    }
}
