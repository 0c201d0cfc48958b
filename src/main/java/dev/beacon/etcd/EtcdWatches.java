package dev.beacon.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import dev.beacon.state.HistoryClearedException;
import dev.beacon.state.KvEvent;
import dev.beacon.state.Store;
import dev.beacon.state.Watch;

/**
 * etcd v2's watches ({@code ?wait=true}): the first event at or after {@code waitIndex} (else after now) on the key,
 * or with {@code recursive} anywhere below it, from the replicated event history; until there is one, the request
 * parks on a store watch of the key's prefix and holds no thread. Events from before the history's start are
 * etcd's error 401. A watch cancelled (its client went away) drops its store watch.
 */
final class EtcdWatches {
    private final Store store;
    private final Executor completions;
    private final EtcdStoreCounters counters;
    private final LongSupplier clock;

    EtcdWatches(Store store, Executor completions, EtcdStoreCounters counters, LongSupplier clock) {
        this.store = store;
        this.completions = completions;
        this.counters = counters;
        this.clock = clock;
    }

    CompletableFuture<EtcdReply> watch(String path, boolean recursive, long waitIndex) {
        CompletableFuture<EtcdReply> result = new CompletableFuture<>();
        AtomicReference<Watch> parked = new AtomicReference<>();
        counters.watcherAdded();
        result.whenComplete((reply, error) -> {
            counters.watcherDone();
            Watch watch = parked.get();
            if (watch != null) {
                watch.cancel();
            }
        });
        // etcd's X-Etcd-Index on a watch's answer is its store's index when the watch started, not the event's.
        long started = store.lastIndex();
        long from = waitIndex > 0 ? waitIndex : started + 1;
        attempt(result, parked, path, recursive, from, started, false);
        return result;
    }

    private void attempt(CompletableFuture<EtcdReply> result, AtomicReference<Watch> parked, String path,
                         boolean recursive, long from, long started, boolean waited) {
        if (result.isDone()) {
            return;
        }
        long seen = store.lastIndex();
        KvEvent event;
        try {
            event = search(path, recursive, from, waited);
        } catch (HistoryClearedException e) {
            result.complete(EtcdReply.failure(EtcdFailure.of(EtcdFailure.EVENT_INDEX_CLEARED, e.getMessage(), seen)));
            return;
        }
        if (event != null) {
            result.complete(new EtcdReply(200, EtcdNodes.answer(event, clock.getAsLong()), started));
            return;
        }
        // Any change under the key's prefix after what was just searched wakes it to search again, from there on.
        long next = Math.max(from, seen + 1);
        Watch watch = store.watchPrefix(path, seen,
                () -> completions.execute(() -> attempt(result, parked, path, recursive, next, started, true)));
        parked.set(watch);
        if (result.isDone()) {
            watch.cancel();
        }
    }

    /**
     * The first matching event from {@code from}. A watch that has waited does not fail as outdated, as etcd's
     * watcher, once registered, never does (and its headers may be out already): it was woken by a change to its
     * key, so the events that left the history since its last search, all older than that change, did not concern
     * it, and it searches what is kept.
     */
    private KvEvent search(String path, boolean recursive, long from, boolean waited) {
        try {
            return store.kvEventSince(from, e -> matches(e, path, recursive));
        } catch (HistoryClearedException e) {
            if (!waited) {
                throw e;
            }
            return store.kvEventSince(e.oldestKept(), event -> matches(event, path, recursive));
        }
    }

    /** The event the write at {@code index} made, if this server has applied it and its history still holds it. */
    KvEvent recorded(long index) {
        try {
            return store.kvEventSince(index, e -> e.index() == index);
        } catch (HistoryClearedException e) {
            return null;
        }
    }

    /**
     * Whether an event concerns a watch of {@code path}: the key itself (file or directory), any key below it with
     * {@code recursive} (hidden ones, named {@code _...}, only when watched by name), or a deleted or expired
     * directory above it, which took the key with it.
     */
    static boolean matches(KvEvent event, String path, boolean recursive) {
        String key = event.key();
        if (path.isEmpty()) {
            return recursive && !hiddenBelow(key, "");
        }
        String dir = path + "/";
        if (key.equals(path) || key.equals(dir)) {
            return true;
        }
        if (recursive && key.startsWith(dir)) {
            return !hiddenBelow(key, dir);
        }
        String action = event.action();
        boolean removal = action.equals(KvEvent.DELETE) || action.equals(KvEvent.COMPARE_AND_DELETE)
                || action.equals(KvEvent.EXPIRE);
        return removal && key.endsWith("/") && path.startsWith(key);
    }

    private static boolean hiddenBelow(String key, String dir) {
        String rest = key.substring(dir.length());
        return rest.startsWith("_") || rest.contains("/_");
    }
}
