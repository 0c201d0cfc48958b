package dev.beacon.api.operator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.beacon.api.ApiException;
import dev.beacon.api.ApiRequest;
import dev.beacon.api.ApiResponse;
import dev.beacon.api.ApiRoutes;
import dev.beacon.api.ReadOptions;
import dev.beacon.api.Route;
import dev.beacon.api.RouteTable;
import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code GET /v1/snapshot} and {@code PUT /v1/snapshot}: the whole state saved as one file and restored from one,
 * as {@code consul snapshot save} and {@code restore} do. The file is Consul's archive ({@link SnapshotArchive}),
 * whose {@code state.bin} is Beacon's snapshot format, not Consul's: the Consul CLI saves and verifies it, and
 * restores it to Beacon, but a Consul server cannot restore it, nor Beacon a Consul one.
 * <p>
 * A save reads the leader's state (this server's with {@code ?stale}) into a temporary file in the data directory
 * ({@code tmp/}, emptied at start), which is sent and then deleted: a large state need not fit in memory. While it
 * is written, the state machine waits, as for a Raft snapshot. A restore goes through Raft as one entry when it
 * fits in one ({@code beacon.raft.max-entry-size}), else as parts staged one entry each and a commit entry (up to
 * {@link #MAX_RESTORE_BYTES} uncompressed); every server replaces its state at that entry. The snapshot's own
 * indexes are kept (blocking clients see them, as after a Consul restore), so the
 * entry must come after the snapshot's index: on a cluster whose log is shorter than the saved one's, empty entries
 * first move the index on.
 */
@Component
class SnapshotRoutes implements ApiRoutes {
    /** Room in a Raft entry for what wraps the snapshot (command tag, lengths, Atomix's own framing). */
    private static final int ENTRY_OVERHEAD = 4096;
    /** The largest state a restore takes, uncompressed; each server holds it in memory while it restores. */
    static final int MAX_RESTORE_BYTES = 256 * 1024 * 1024;
    /** Empty entries in flight at once while the index is moved on. */
    private static final int ADVANCE_BATCH = 64;
    private static final String ARCHIVE = "application/x-gzip";

    private final ClusterView cluster;
    private final Replicator replicator;
    private final Store store;
    private final int maxSnapshotBytes;
    private final Path scratch;
    /** Writes saves off the event loop, one at a time: a large state takes seconds to write. */
    private final Executor saver = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "beacon-snapshot-save");
        thread.setDaemon(true);
        return thread;
    });

    SnapshotRoutes(ClusterView cluster, Replicator replicator, Store store) {
        this.cluster = cluster;
        this.replicator = replicator;
        this.store = store;
        this.maxSnapshotBytes = cluster.settings().maxEntrySize() - ENTRY_OVERHEAD;
        this.scratch = cluster.settings().dataDir().resolve("tmp");
        deleteLeftovers(scratch);
    }

    /** Saves a stopped server was sending when it stopped. */
    private static void deleteLeftovers(Path scratch) {
        if (!Files.isDirectory(scratch)) {
            return;
        }
        try (var files = Files.newDirectoryStream(scratch, "snapshot-*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + scratch, e);
        }
    }

    @Override
    public void register(RouteTable.Builder routes) {
        routes.get("/v1/snapshot", Route.Resource.OPERATOR, this::save)
                .write("PUT", "/v1/snapshot", Route.Resource.OPERATOR, MAX_RESTORE_BYTES, this::restore);
    }

    private CompletionStage<ApiResponse> save(ApiRequest request) {
        requireManagement(request);
        if (request.read().consistency() != ReadOptions.Consistency.STALE && !cluster.isLeader()) {
            throw new ClusterUnavailableException("rpc error making call: snapshots are taken on the leader ("
                    + cluster.leader().orElse("none known") + "); send the request there, or add ?stale for this "
                    + "server's copy");
        }
        return CompletableFuture.supplyAsync(this::saveToFile, saver)
                .thenApply(file -> ApiResponse.file(ARCHIVE, file.path(), file.index()));
    }

    /**
     * The state in Consul's archive (see {@link SnapshotArchive}), written to a temporary file in the data directory:
     * it may not fit in memory. The state goes to a file of its own first, for the archive needs its size and sum.
     */
    private SavedFile saveToFile() {
        Path state = null;
        Path archive = null;
        try {
            Files.createDirectories(scratch);
            state = Files.createTempFile(scratch, "snapshot-", ".bin");
            long index;
            long term = cluster.term();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(state))) {
                index = store.writeSnapshot(out);
            }
            archive = Files.createTempFile(scratch, "snapshot-", ".tgz");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive))) {
                SnapshotArchive.write(out, state, index, term);
            }
            return new SavedFile(archive, index);
        } catch (IOException e) {
            deleteQuietly(archive);
            throw new UncheckedIOException("could not save a snapshot: " + e.getMessage(), e);
        } finally {
            deleteQuietly(state);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }

    private record SavedFile(Path path, long index) {
    }

    private CompletionStage<ApiResponse> restore(ApiRequest request) {
        requireManagement(request);
        byte[] snapshot = uncompressed(request.body());
        long snapshotIndex;
        try {
            snapshotIndex = Store.snapshotIndex(snapshot);
        } catch (IOException e) {
            throw ApiException.badRequest("Invalid snapshot: " + e.getMessage());
        }
        CompletableFuture<Void> advanced = advancePast(snapshotIndex, 0);
        if (snapshot.length <= maxSnapshotBytes) {
            return advanced.thenCompose(v -> replicator.submit(new Command.RestoreState(snapshot)))
                    .thenApply(SnapshotRoutes::answer);
        }
        String restoreId = UUID.randomUUID().toString();
        int parts = (snapshot.length + maxSnapshotBytes - 1) / maxSnapshotBytes;
        CompletableFuture<Outcome> staged = advanced.thenApply(v -> null);
        for (int part = 0; part < parts; part++) {
            int from = part * maxSnapshotBytes;
            byte[] bytes = Arrays.copyOfRange(snapshot, from, Math.min(snapshot.length, from + maxSnapshotBytes));
            Command.RestoreStage stage = new Command.RestoreStage(restoreId, part, bytes);
            staged = staged.thenCompose(previous -> previous != null && !previous.success()
                    ? CompletableFuture.completedFuture(previous) : replicator.submit(stage));
        }
        return staged.thenCompose(last -> last.success()
                        ? replicator.submit(new Command.RestoreCommit(restoreId, parts, snapshot.length))
                        : CompletableFuture.completedFuture(last))
                .thenApply(SnapshotRoutes::answer);
    }

    private static ApiResponse answer(Outcome outcome) {
        if (!outcome.success()) {
            throw ApiException.badRequest("Snapshot not restored: " + outcome.error());
        }
        return ApiResponse.text(200, "");
    }

    /**
     * Submits empty entries, a batch at a time, until one lands above {@code index}; none if this server has
     * applied past it already (an entry submitted next lands above everything applied anywhere).
     */
    private CompletableFuture<Void> advancePast(long index, long reached) {
        if (reached > index || store.lastIndex() > index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] batch = new CompletableFuture<?>[ADVANCE_BATCH];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = replicator.submit(new Command.AdvanceIndex());
        }
        return CompletableFuture.allOf(batch).thenCompose(v -> {
            long highest = 0;
            for (CompletableFuture<?> entry : batch) {
                highest = Math.max(highest, ((Outcome) entry.join()).index());
            }
            return advancePast(index, highest);
        });
    }

    /** The Beacon snapshot in the body: Consul's archive (as a save writes it), or a bare Beacon snapshot. */
    private byte[] uncompressed(byte[] body) {
        if (!SnapshotArchive.isGzip(body)) {
            return checkedSize(body.length, body);
        }
        try {
            return SnapshotArchive.read(body, MAX_RESTORE_BYTES);
        } catch (SnapshotArchive.StateTooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            throw ApiException.badRequest("Invalid snapshot: " + e.getMessage());
        }
    }

    private byte[] checkedSize(int length, byte[] bytes) {
        if (length > MAX_RESTORE_BYTES) {
            throw tooLarge();
        }
        return bytes;
    }

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "Snapshot too large to restore: at most "
                + MAX_RESTORE_BYTES + " bytes uncompressed");
    }

    /** A snapshot holds everything, ACL secrets included: as in Consul, it takes a management-level token. */
    private static void requireManagement(ApiRequest request) {
        request.caller().require(request.caller().permissions().aclWrite(), "acl:write", null);
    }
}
