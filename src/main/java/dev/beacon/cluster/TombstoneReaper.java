package dev.beacon.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;

/**
 * The leader's tombstone timer. A KV tombstone must outlive any blocking reader that could still be waiting to
 * see its delete; after {@code ttl} (Consul's tombstone_ttl, 15 minutes) it only costs memory. Each pass notes
 * the applied index with the time, and proposes reaping up to the newest index that is older than the TTL,
 * only when a tombstone that old exists, so an idle cluster writes nothing.
 */
public final class TombstoneReaper {
    private record Mark(long time, long index) {
    }

    private final BooleanSupplier leading;
    private final Store store;
    private final Function<Command, CompletableFuture<Outcome>> submit;
    private final LongSupplier clock;
    private final long ttlMillis;
    private final Deque<Mark> marks = new ArrayDeque<>();

    public TombstoneReaper(BooleanSupplier leading, Store store,
                           Function<Command, CompletableFuture<Outcome>> submit, LongSupplier clock,
                           Duration ttl) {
        this.leading = leading;
        this.store = store;
        this.submit = submit;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    /** One pass: run it every minute or so. */
    public synchronized void reap() {
        long now = clock.getAsLong();
        marks.addLast(new Mark(now, store.lastIndex()));
        long reapUpTo = 0;
        while (!marks.isEmpty() && marks.peekFirst().time() <= now - ttlMillis) {
            reapUpTo = marks.removeFirst().index();
        }
        if (reapUpTo == 0 || !leading.getAsBoolean()) {
            return;
        }
        long oldest = store.oldestTombstoneIndex();
        if (oldest > 0 && oldest <= reapUpTo) {
            submit.apply(new Command.ReapTombstones(reapUpTo));
        }
    }
}
