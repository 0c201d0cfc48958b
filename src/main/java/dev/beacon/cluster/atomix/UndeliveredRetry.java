package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.atomix.cluster.messaging.MessagingException;

/**
 * Sends again an operation that never reached a Raft server. A peer whose JVM has just come back accepts
 * connections a few seconds before its Raft partitions register their handlers, and answers "no remote message
 * handler" meanwhile; Atomix's session passes that on instead of trying another server, so every write routed
 * there failed with a 500 (2,277 of them in one restart under load, bench/README.md). Such an operation was not
 * delivered, so sending it again cannot apply it twice. A read the leader refused to answer yet
 * ({@link ReadRefusedException}, from {@link LeaderReads}) is sent again the same way: a read applies nothing.
 */
final class UndeliveredRetry {
    private final Duration pause;
    private final Duration limit;

    UndeliveredRetry(Duration pause, Duration limit) {
        this.pause = pause;
        this.limit = limit;
    }

    /**
     * Runs {@code attempt}, and again after each undelivered failure until {@code limit} has passed or the returned
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
        attempt.get().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else if (undelivered(error) && System.nanoTime() + pause.toNanos() < deadline) {
                Executor later = CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS);
                later.execute(() -> tryOnce(attempt, deadline, result));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    static boolean undelivered(Throwable error) {
        Throwable cause = AtomixFailures.unwrap(error);
        return cause instanceof MessagingException.NoRemoteHandler || cause instanceof ReadRefusedException;
    }
}
