package dev.beacon.cluster;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.beacon.state.Store;

/**
 * This server's copy of the replicated state, readable in-process. Writers and consistent readers wait here
 * until the local copy has applied the index they need, so a request answered by this node always sees its own
 * writes, even on a follower.
 */
public final class LocalReplica {
    private record Waiter(long index, CompletableFuture<Void> future) {
    }

    private final Store store = new Store();
    private final Executor completions;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));

    /** @param completions where waiting futures are completed, so callers never run on the Raft apply thread */
    public LocalReplica(Executor completions) {
        this.completions = completions;
    }

    public Store store() {
        return store;
    }

    /** Completes once the local copy has applied at least {@code index}. */
    public CompletableFuture<Void> awaitApplied(long index) {
        synchronized (waiters) {
            if (store.lastIndex() >= index) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            waiters.add(new Waiter(index, future));
            return future;
        }
    }

    /** Called by the state machine after each apply or restore. */
    void applied(long index) {
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().index <= index) {
                CompletableFuture<Void> future = waiters.poll().future;
                completions.execute(() -> future.complete(null));
            }
        }
    }
}
