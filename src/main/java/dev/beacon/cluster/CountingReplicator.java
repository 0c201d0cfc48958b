package dev.beacon.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;

/**
 * Counts the commands this server proposes, for etcd's proposal metrics: how many are waiting for their answer, and
 * how many failed to be committed (no leader, no quorum, timed out). A command the state machine refuses (a failed
 * compare-and-swap, a full store) was committed: it is not a failed proposal. Reads are not proposals.
 */
public final class CountingReplicator implements Replicator {
    private final Replicator delegate;
    private final AtomicLong pending = new AtomicLong();
    private final LongAdder failed = new LongAdder();

    public CountingReplicator(Replicator delegate) {
        this.delegate = delegate;
    }

    /** Commands submitted here whose answer has not come yet. */
    public long pending() {
        return pending.get();
    }

    /** Commands submitted here that failed before an answer, since this server started. */
    public long failed() {
        return failed.sum();
    }

    @Override
    public CompletableFuture<Outcome> submit(Command command) {
        pending.incrementAndGet();
        return counted(delegate.submit(command));
    }

    @Override
    public CompletableFuture<Outcome> submitAndApplyHere(Command command, Duration atMost) {
        pending.incrementAndGet();
        return counted(delegate.submitAndApplyHere(command, atMost));
    }

    @Override
    public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
        return delegate.read(query, linearizable);
    }

    private CompletableFuture<Outcome> counted(CompletableFuture<Outcome> answer) {
        return answer.whenComplete((outcome, error) -> {
            pending.decrementAndGet();
            if (error != null && !(cause(error) instanceof NoSpaceException)) {
                failed.increment();
            }
        });
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
