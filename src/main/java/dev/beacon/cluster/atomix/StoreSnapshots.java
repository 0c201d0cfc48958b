package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.beacon.cluster.CompactionPolicy;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Store;
import dev.beacon.state.StoreImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the store's snapshots into {@link SnapshotFiles}. Writing the state of a million keys takes 10-20 s, and
 * Atomix takes its snapshot on the state machine's thread, which applied nothing meanwhile: every write of the
 * cluster stalled for that long (bench/README.md, "1,000,000 keys"). So a snapshot is {@link #prepare prepared}
 * first: an image of the store, taken in a moment, is written on a thread of its own while the state machine goes
 * on, recording each command it applies in a {@link SnapshotDelta}. When the state file is whole, Atomix is asked for
 * its snapshot, and {@link #snapshot} ends the delta there: the state file plus the delta are the store at Atomix's
 * index. A snapshot Atomix takes unasked (its disk guard) is written whole, on the state machine's thread.
 * <p>
 * It also counts what {@link CompactionPolicy} weighs: the log applied since the last snapshot, and that
 * snapshot's size.
 */
final class StoreSnapshots {
    private static final Logger log = LoggerFactory.getLogger(StoreSnapshots.class);

    /** A snapshot being prepared: its state file being written, and the commands applied since it was taken. */
    private static final class Prepared {
        private final SnapshotDelta delta;
        private final CompletableFuture<Long> written = new CompletableFuture<>();
        /** What {@link #prepare} hands out: done when the state file is. */
        private final CompletableFuture<Void> ready = written.thenApply(length -> null);
        private volatile long base = SnapshotFiles.UNKNOWN;
        /** The store's lineage at the image: the delta continues the state file only while it is the store's. */
        private volatile long lineage;

        private Prepared(SnapshotDelta delta) {
            this.delta = delta;
        }
    }

    private final SnapshotFiles files;
    private final AtomicLong appliedSinceSnapshot = new AtomicLong();
    private volatile long lastSnapshotBytes = CompactionPolicy.NO_SNAPSHOT;
    private volatile Prepared prepared;
    /** A restore is under way: none is prepared meanwhile, for the store is empty or half read until it ends. */
    private boolean restoring;
    /** The last snapshot's delta being written through to the disk, until {@link #awaitDurable} has seen it done. */
    private CompletableFuture<Void> forcing;

    StoreSnapshots(SnapshotFiles files) {
        this.files = files;
    }

    /**
     * Counts the bytes of a command the state machine applied (the log that the next snapshot will cover), and
     * records it if a snapshot is being prepared.
     */
    void applied(long index, long time, byte[] command) {
        appliedSinceSnapshot.addAndGet(command.length);
        Prepared p = prepared;
        if (p != null) {
            try {
                p.delta.record(index, time, command);
            } catch (IOException e) {
                log.warn("Could not record command {} for the snapshot being prepared; dropping it: {}", index,
                        e.toString());
                discard(p);
            }
        }
    }

    /** Bytes of commands applied since the last snapshot was written, prepared or restored (or since start). */
    long appliedSinceSnapshot() {
        return appliedSinceSnapshot.get();
    }

    /** The length of the last state file written or restored, or {@link CompactionPolicy#NO_SNAPSHOT}. */
    long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    /**
     * Replaces the store with the snapshot a descriptor names: its state file, then the commands of its delta (both
     * fetched from their writer if this server lacks them). Any snapshot being prepared is dropped: it described the
     * store being replaced, and none is prepared until the restore ends: fetching a state file from the leader takes
     * seconds, with Atomix's new instance of the state machine having emptied the store. The log to count for the next
     * snapshot starts here.
     *
     * @throws IOException if the files cannot be had, or do not bring the store to the descriptor's index
     */
    void restore(Store store, SnapshotFiles.Descriptor descriptor) throws IOException {
        synchronized (this) {
            restoring = true;
            discard(prepared);
        }
        try {
            try (InputStream in = files.open(descriptor)) {
                store.restoreSnapshot(in);
            }
            if (descriptor.hasDelta()) {
                try (InputStream in = files.openDelta(descriptor)) {
                    SnapshotDelta.replay(in, descriptor.base(), (index, time, command) ->
                            store.apply(index, time, CommandCodec.decode(command)));
                }
            }
        } finally {
            synchronized (this) {
                restoring = false;
            }
        }
        if (store.lastIndex() != descriptor.index()) {
            throw new IOException("snapshot " + descriptor.index() + " restored the store to index "
                    + store.lastIndex());
        }
        appliedSinceSnapshot.set(0);
        lastSnapshotBytes = files.stateBytes(descriptor);
    }

    /**
     * Prepares a snapshot without holding the state machine: starts recording the commands it applies, takes an
     * image of the store, and writes that on a thread of its own. Returns when the state file is whole (then ask
     * Atomix for its snapshot, which {@link #snapshot} completes), or null if a snapshot is being prepared already.
     * While a snapshot is being restored the future fails: the store is not yet a state of the log.
     */
    synchronized CompletableFuture<Void> prepare(Store store) throws IOException {
        if (prepared != null) {
            return null;
        }
        if (restoring) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("the store is being restored from a snapshot"));
        }
        Prepared p = new Prepared(files.newDelta());
        // Recording starts before the image is taken, so that no command falls between: the ones the image holds
        // are skipped when the delta is replayed.
        prepared = p;
        StoreImage image;
        long started = System.nanoTime();
        try {
            image = store.image();
        } catch (RuntimeException e) {
            discard(p);
            throw e;
        }
        long held = System.nanoTime() - started;
        appliedSinceSnapshot.set(0);
        p.base = image.index();
        p.lineage = image.lineage();
        Thread writer = new Thread(() -> {
            try (image) {
                long length = files.writeState(image, held);
                lastSnapshotBytes = length;
                p.written.complete(length);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not write snapshot file {}: {}", image.index(), e.toString());
                p.written.completeExceptionally(e);
                discard(p);
            }
        }, "beacon-snapshot-" + image.index());
        writer.setDaemon(true);
        writer.start();
        return p.ready;
    }

    /** Whether a snapshot is being prepared (and not yet taken by Atomix's snapshot or dropped). */
    boolean isPreparing() {
        return prepared != null;
    }

    /**
     * Forgets a prepared snapshot ({@link #prepare}'s future) that Atomix's snapshot did not take after all: Atomix
     * snapshots only when the log can be compacted, and one snapshot at a time.
     */
    void discardIfUnused(CompletableFuture<Void> preparation) {
        Prepared p = prepared;
        if (p != null && p.ready == preparation) {
            discard(p);
        }
    }

    /** Forgets any snapshot being prepared: the store is about to be replaced by an old-format snapshot. */
    void discardPrepared() {
        discard(prepared);
    }

    /** Stops {@code p} (if it is still the one prepared; null is none). */
    private synchronized void discard(Prepared p) {
        if (p != null && prepared == p) {
            prepared = null;
            p.delta.discard();
        }
    }

    /**
     * The files of a snapshot of the store as it is now, on the state machine's thread (Atomix's backup): the
     * prepared state file and the delta to here, or else a state file written now, whole (the state machine waits).
     * A delta's bytes reach the disk at {@link #awaitDurable}.
     */
    synchronized SnapshotFiles.Descriptor snapshot(Store store) throws IOException {
        Prepared p = prepared;
        prepared = null;
        if (p != null) {
            try {
                p.written.join();
                if (store.lineage() != p.lineage) {
                    throw new IllegalStateException("the store was replaced after state file " + p.base
                            + " was taken, so the commands applied since do not continue it");
                }
                if (store.lastIndex() == p.base) {
                    p.delta.discard();
                    return SnapshotFiles.Descriptor.selfChecked(p.base, files.localMember());
                }
                files.finishDelta(p.delta, p.base);
                forcing = force(p.delta);
                log.info("Snapshot {}: state file {} and the delta of the commands applied after it",
                        store.lastIndex(), p.base);
                return SnapshotFiles.Descriptor.withDelta(store.lastIndex(), p.base, files.localMember());
            } catch (IOException | RuntimeException e) {
                p.delta.discard();
                log.warn("The prepared snapshot failed ({}); writing it whole instead", e.toString());
            }
        }
        appliedSinceSnapshot.set(0);
        long started = System.nanoTime();
        try (StoreImage image = store.image()) {
            lastSnapshotBytes = files.writeState(image, System.nanoTime() - started);
            files.prune();
            return SnapshotFiles.Descriptor.selfChecked(image.index(), files.localMember());
        }
    }

    /**
     * Writes a finished delta through to the disk on a thread of its own: a file written at the same time as the
     * other servers' snapshot files can take seconds to sync, which the state machine's thread should not wait for.
     */
    private static CompletableFuture<Void> force(SnapshotDelta delta) {
        CompletableFuture<Void> forced = new CompletableFuture<>();
        Thread syncing = new Thread(() -> {
            try {
                delta.force();
                forced.complete(null);
            } catch (IOException | RuntimeException e) {
                forced.completeExceptionally(e);
            }
        }, "beacon-snapshot-sync");
        syncing.setDaemon(true);
        syncing.start();
        return forced;
    }

    /**
     * Waits until the last snapshot's delta is on the disk, if it is not yet, then keeps only the newest snapshots.
     *
     * @throws IOException if it could not be written
     */
    synchronized void awaitDurable() throws IOException {
        CompletableFuture<Void> pending = forcing;
        if (pending == null) {
            return;
        }
        forcing = null;
        long started = System.nanoTime();
        try {
            pending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (waited > 0) {
            log.info("Waited {} ms for the last snapshot's delta to reach the disk", waited);
        }
        files.prune();
    }
}
