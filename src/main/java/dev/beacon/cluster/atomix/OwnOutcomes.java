package dev.beacon.cluster.atomix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.state.Outcome;

/**
 * The outcomes of this server's own writes that are answered from its own apply ({@code StoreService.answeredHere}),
 * as an etcd member answers a write from its own state machine: Raft carries back only the index and whether the
 * write took effect, and the outcome with its results (an etcd event with both values) is taken from here.
 * <p>
 * The leader's answer and this server's apply of the entry come in either order. An outcome applied first is kept
 * until its answer comes; an answer that comes first waits for the apply. Outcomes are kept only while a submission
 * is unanswered, and all are dropped once none is, so entries replayed at a restart or applied after their request
 * gave up are not kept for long; never more than {@link #MAX_KEPT}.
 */
final class OwnOutcomes {
    /**
     * At most this many outcomes are kept, the oldest dropped first: under steady load some submission is always
     * unanswered, and an outcome whose submission failed after it was committed is never taken.
     */
    static final int MAX_KEPT = 1024;
    private final NavigableMap<Long, Outcome> kept = new TreeMap<>();
    private final NavigableMap<Long, CompletableFuture<Outcome>> waiting = new TreeMap<>();
    private long appliedThrough;
    private int unanswered;

    /** A write answered from its own apply is about to be submitted. */
    synchronized void submitting() {
        unanswered++;
    }

    /** A submission failed: no answer will come for it. */
    synchronized void abandoned() {
        unansweredDone();
    }

    /**
     * The leader answered a submission with the entry's index: completes with this server's outcome of it once
     * applied here, or with null if it was applied here without one (a restored snapshot covered it) or not within
     * {@code atMost}. It may complete on the apply thread: the caller hands further work to its own threads.
     */
    CompletableFuture<Outcome> answered(long index, Duration atMost) {
        CompletableFuture<Outcome> outcome;
        synchronized (this) {
            Outcome own = kept.remove(index);
            unansweredDone();
            if (own != null || index <= appliedThrough) {
                return CompletableFuture.completedFuture(own);
            }
            outcome = new CompletableFuture<>();
            waiting.put(index, outcome);
        }
        // The JDK's timer keeps its task until the deadline whether or not the outcome came first, so it holds a
        // future of its own, which lets go of the outcome's (and so of the event's values) once that completes.
        CompletableFuture<Void> deadline = new CompletableFuture<Void>()
                .completeOnTimeout(null, atMost.toNanos(), TimeUnit.NANOSECONDS);
        deadline.thenRun(() -> outcome.complete(null));
        outcome.whenComplete((r, e) -> {
            deadline.complete(null);
            forget(index, outcome);
        });
        return outcome;
    }

    /**
     * The state machine applied the entry at {@code index}; {@code own} is its outcome if it is this server's own
     * write answered from its apply, else null. Called on the apply thread, in index order.
     */
    void applied(long index, Outcome own) {
        CompletableFuture<Outcome> answer = null;
        List<CompletableFuture<Outcome>> skipped = List.of();
        synchronized (this) {
            appliedThrough = index;
            if (!waiting.isEmpty()) {
                answer = waiting.remove(index);
                skipped = takeBelow(index);
            }
            if (answer == null && own != null && unanswered > 0) {
                kept.put(index, own);
                if (kept.size() > MAX_KEPT) {
                    kept.pollFirstEntry();
                }
            }
        }
        if (answer != null) {
            answer.complete(own);
        }
        skipped.forEach(never -> never.complete(null));
    }

    /** A snapshot replaced the state up to {@code index}: the entries it covers will not be applied one by one. */
    void restored(long index) {
        List<CompletableFuture<Outcome>> skipped;
        synchronized (this) {
            appliedThrough = Math.max(appliedThrough, index);
            skipped = takeBelow(index + 1);
            kept.clear();
        }
        skipped.forEach(never -> never.complete(null));
    }

    synchronized int keptCount() {
        return kept.size();
    }

    /** Takes the answers waiting for entries below {@code index}, which were not applied one by one. */
    private List<CompletableFuture<Outcome>> takeBelow(long index) {
        if (waiting.isEmpty() || waiting.firstKey() >= index) {
            return List.of();
        }
        NavigableMap<Long, CompletableFuture<Outcome>> below = waiting.headMap(index, false);
        List<CompletableFuture<Outcome>> taken = new ArrayList<>(below.values());
        below.clear();
        return taken;
    }

    private void unansweredDone() {
        unanswered--;
        if (unanswered == 0) {
            kept.clear();
        }
    }

    private synchronized void forget(long index, CompletableFuture<Outcome> outcome) {
        waiting.remove(index, outcome);
    }
}
