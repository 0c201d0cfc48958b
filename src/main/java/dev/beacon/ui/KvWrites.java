package dev.beacon.ui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.RemoteKvWrites;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import dev.beacon.state.Table;
import dev.beacon.state.Watch;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Submits the UI's KV writes through Raft, like {@code PUT /v1/kv}, and answers once this server's replica has
 * applied them too: the page shown next reads that replica, and should show the user's own change. Writes to
 * another datacenter's keys go to its servers with the writer's token ({@link RemoteKvWrites}).
 */
@Component
class KvWrites {
    /** How long to wait for this replica to catch up before showing the page anyway. */
    private static final long CATCH_UP_SECONDS = 5;

    private final Replicator replicator;
    private final Store store;
    private final ExecutorService completions;
    private final RemoteKvWrites remote;

    KvWrites(Replicator replicator, Store store,
             @Qualifier("replicaCompletions") ExecutorService completions, RemoteKvWrites remote) {
        this.replicator = replicator;
        this.store = store;
        this.completions = completions;
        this.remote = remote;
    }

    /** {@code command} applied in datacenter {@code remoteDc} (null: this one) as the holder of {@code token}. */
    CompletableFuture<Outcome> submit(Command command, String remoteDc, String token) {
        return remoteDc == null ? submit(command) : remote.write(remoteDc, command, token);
    }

    private CompletableFuture<Outcome> submit(Command command) {
        return replicator.submit(command).thenCompose(outcome -> {
            if (!outcome.success()) {
                return CompletableFuture.completedFuture(outcome);
            }
            CompletableFuture<Outcome> applied = new CompletableFuture<>();
            // The watch fires on the Raft apply thread; hand the page work to the completion pool.
            Watch watch = store.watchTable(Table.KV, outcome.index() - 1,
                    () -> completions.execute(() -> applied.complete(outcome)));
            applied.whenComplete((o, e) -> watch.cancel());
            return applied.completeOnTimeout(outcome, CATCH_UP_SECONDS, TimeUnit.SECONDS);
        });
    }
}
