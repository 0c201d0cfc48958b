package dev.beacon.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Indexed;
import dev.beacon.state.Query;
import dev.beacon.state.Store;
import dev.beacon.state.Watch;

/**
 * Serves reads with Consul's consistency modes and blocking queries. A blocking read whose resource is not past
 * the caller's index parks on a store watch for exactly that resource, plus a timer for its wait: no thread is
 * held while it waits, so thousands can be parked at little cost.
 */
public final class BlockingQueries {
    private final Store store;
    private final Replicator replicator;
    private final ClusterView cluster;
    private final ScheduledExecutorService timer;
    private final Executor completions;

    public BlockingQueries(Store store, Replicator replicator, ClusterView cluster, ScheduledExecutorService timer,
                           Executor completions) {
        this.store = store;
        this.replicator = replicator;
        this.cluster = cluster;
        this.timer = timer;
        this.completions = completions;
    }

    /**
     * Reads with the requested consistency (this replica for stale reads, the leader's otherwise), then, if the
     * caller passed an index the result has not moved past, parks on this replica until the query's resource
     * changes or the wait ends (plus up to 1/16 of it, so that parked clients do not all come back at once),
     * and reads this replica again: the change that woke it is there.
     */
    public <T> CompletableFuture<Indexed<T>> read(ReadOptions options, Query<T> query) {
        return first(options.consistency(), query).thenCompose(first -> {
            if (options.index() == 0 || first.index() > options.index()) {
                return CompletableFuture.completedFuture(first);
            }
            return park(options, query);
        });
    }

    /**
     * A default read is the leader's state without a quorum round trip, as in Consul: on the leader that is this
     * replica, so it is answered here while the leader's lease holds; a follower (or a leader whose lease lapsed)
     * asks the leader.
     */
    private <T> CompletableFuture<Indexed<T>> first(ReadOptions.Consistency consistency, Query<T> query) {
        return switch (consistency) {
            case STALE -> CompletableFuture.completedFuture(store.query(query));
            case DEFAULT -> cluster.mayAnswerDefaultReads() ? CompletableFuture.completedFuture(store.query(query))
                    : replicator.read(query, false);
            case CONSISTENT -> replicator.read(query, true);
        };
    }

    private <T> CompletableFuture<Indexed<T>> park(ReadOptions options, Query<T> query) {
        CompletableFuture<Indexed<T>> result = new CompletableFuture<>();
        // Answer on the completion pool: the watch fires on the Raft apply thread, which must not do request work.
        Watch watch = store.watch(query, options.index(),
                () -> completions.execute(() -> result.complete(store.query(query))));
        long waitNanos = withJitter(options.maxWait()).toNanos();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            watch.cancel();
            result.complete(store.query(query));
        }, waitNanos, TimeUnit.NANOSECONDS);
        result.whenComplete((r, e) -> timeout.cancel(false));
        return result;
    }

    static Duration withJitter(Duration wait) {
        long sixteenth = wait.toNanos() / 16;
        return sixteenth <= 0 ? wait : wait.plusNanos(ThreadLocalRandom.current().nextLong(sixteenth + 1));
    }
}
