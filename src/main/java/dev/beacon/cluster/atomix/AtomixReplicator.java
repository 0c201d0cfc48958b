package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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
    private final Executor completions;

    /** @param completions where answers that complete on the Raft apply thread go on, so that it does no request work */
    public AtomixReplicator(AtomixCluster cluster, Executor completions) {
        this.cluster = cluster;
        this.completions = completions;
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
    public CompletableFuture<Outcome> submitAndApplyHere(Command command, Duration atMost) {
        OwnOutcomes own = cluster.ownOutcomes();
        own.submitting();
        return submit(command).whenComplete((outcome, error) -> {
            if (error != null) {
                own.abandoned();
            }
        }).thenCompose(leaders -> {
            CompletableFuture<Outcome> applied = own.answered(leaders.index(), atMost)
                    .thenApply(mine -> mine != null ? mine : leaders);
            return applied.isDone() ? applied : applied.thenApplyAsync(outcome -> outcome, completions);
        });
    }

    @Override
    public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
        return cluster.execute(StoreOperations.READ, QueryCodec.encode(query), linearizable)
                .thenApply(bytes -> QueryCodec.decodeResult(query, bytes));
    }
}
