package dev.beacon.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.beacon.cluster.Replicator;
import dev.beacon.state.Indexed;
import dev.beacon.state.Watch;

/**
 * Serves reads with Consul's consistency modes and blocking queries. A blocking read whose resource is not past
 * the caller's index parks on a store watch for exactly that resource, plus a timer for its wait: no thread is
 * held while it waits, so thousands can be parked at little cost.
 */
public final class BlockingQueries {
    /** Registers interest in the resource a read covers; the store calls back once it moves past the index. */
    @FunctionalInterface
    public interface Watcher {
        Watch watch(long index, Runnable onChange);
    }

    private final Replicator replicator;
    private final ScheduledExecutorService timer;
    private final Executor completions;

    public BlockingQueries(Replicator replicator, ScheduledExecutorService timer, Executor completions) {
        this.replicator = replicator;
        this.timer = timer;
        this.completions = completions;
    }

    /**
     * Reads once the requested consistency allows, then, if the caller passed an index the result has not moved
     * past, waits for a change or for the wait (plus up to 1/16 of it, so that parked clients do not all come
     * back at once) and reads again.
     */
    public <T> CompletableFuture<Indexed<T>> read(ReadOptions options, Supplier<Indexed<T>> read, Watcher watcher) {
        return consistent(options.consistency()).thenCompose(v -> {
            Indexed<T> first = read.get();
            if (options.index() == 0 || first.index() > options.index()) {
                return CompletableFuture.completedFuture(first);
            }
            return park(options, read, watcher);
        });
    }

    private CompletableFuture<Void> consistent(ReadOptions.Consistency consistency) {
        return switch (consistency) {
            case STALE -> CompletableFuture.completedFuture(null);
            case DEFAULT -> replicator.readIndex(false).thenApply(i -> null);
            case CONSISTENT -> replicator.readIndex(true).thenApply(i -> null);
        };
    }

    private <T> CompletableFuture<Indexed<T>> park(ReadOptions options, Supplier<Indexed<T>> read, Watcher watcher) {
        CompletableFuture<Indexed<T>> result = new CompletableFuture<>();
        // Answer on the completion pool: the watch fires on the Raft apply thread, which must not do request work.
        Watch watch = watcher.watch(options.index(), () -> completions.execute(() -> result.complete(read.get())));
        long waitNanos = withJitter(options.maxWait()).toNanos();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            watch.cancel();
            result.complete(read.get());
        }, waitNanos, TimeUnit.NANOSECONDS);
        result.whenComplete((r, e) -> timeout.cancel(false));
        return result;
    }

    static Duration withJitter(Duration wait) {
        long sixteenth = wait.toNanos() / 16;
        return sixteenth <= 0 ? wait : wait.plusNanos(ThreadLocalRandom.current().nextLong(sixteenth + 1));
    }
}
