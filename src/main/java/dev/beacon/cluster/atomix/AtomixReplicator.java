package dev.beacon.cluster.atomix;

import java.util.concurrent.CompletableFuture;

import dev.beacon.cluster.NoSpaceException;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;
import dev.beacon.state.Store;

/**
 * Commands go to the leader through this server's Atomix session (Atomix forwards them) and complete once
 * committed and applied there; followers apply them at the leader's next append or heartbeat, and at once for
 * etcd's writes ({@link PromptCommits}). Reads that must see the leader's state (Consul's default and consistent
 * modes) run on the leader too.
 */
public final class AtomixReplicator implements Replicator {
    private final AtomixCluster cluster;

    public AtomixReplicator(AtomixCluster cluster) {
        this.cluster = cluster;
    }

    @Override
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

    @Override
    public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
        return cluster.execute(StoreOperations.READ, QueryCodec.encode(query), linearizable)
                .thenApply(bytes -> QueryCodec.decodeResult(query, bytes));
    }
}
