package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks again for a read the leader refused to answer yet ({@link ReadRefusedException}, from {@link LeaderReads}):
 * a read applies nothing, so asking again is safe. Requests that never reached a Raft handler are sent on by
 * Atomix's session itself ({@link ClientRequestRetries}), within the same session sequence.
 */
final class RefusedReadRetry {
    private final Duration pause;
    private final Duration limit;

    RefusedReadRetry(Duration pause, Duration limit) {
        this.pause = pause;
        this.limit = limit;
    }

    /**
     * Runs {@code attempt}, and again after each refusal until {@code limit} has passed or the returned
     * future was completed by the caller (a timeout).
     */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tryOnce(attempt, System.nanoTime() + limit.toNanos(), result);
        return result;
    }

    private <T> void tryOnce(Supplier<CompletableFuture<T>> attempt, long deadline, CompletableFuture<T> result) {
        if (result.isDone()) {
            // Timed out or cancelled by the caller meanwhile: nobody waits for another attempt.
            return;
        }
        CompletableFuture<T> attempted;
        try {
            attempted = attempt.get();
        } catch (RuntimeException e) {
            // Atomix's client throws instead of failing its future once its thread pool has stopped (a server
            // stopping); a caller's retry on another thread would die of it.
            result.completeExceptionally(e);
            return;
        }
        attempted.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else if (refused(error) && System.nanoTime() + pause.toNanos() < deadline) {
                Executor later = CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS);
                later.execute(() -> tryOnce(attempt, deadline, result));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    static boolean refused(Throwable error) {
        Throwable cause = AtomixFailures.unwrap(error);
        return cause instanceof ReadRefusedException;
    }
}
