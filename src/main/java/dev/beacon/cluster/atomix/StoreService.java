package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;
import dev.beacon.state.Store;
import io.atomix.primitive.service.AbstractPrimitiveService;
import io.atomix.primitive.service.BackupInput;
import io.atomix.primitive.service.BackupOutput;
import io.atomix.primitive.service.Commit;
import io.atomix.primitive.service.ServiceExecutor;
import io.atomix.protocols.raft.ReadConsistency;
import io.atomix.protocols.raft.session.RaftSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: Atomix calls it with committed entries, in log order, on every server. It applies each
 * command to this server's {@link Store} at the entry's Raft index and with the leader's entry time.
 */
final class StoreService extends AbstractPrimitiveService<Void> {
    private static final Logger log = LoggerFactory.getLogger(StoreService.class);
    /** Marks a snapshot that is a {@link SnapshotFiles.Descriptor}; older ones start with their length (>= 0). */
    private static final int IN_FILE = -2;
    /** sysexits.h's EX_IOERR. */
    private static final int EXIT_IO_ERROR = 74;
    /** The answer to a read this leader may not answer yet: results are never empty (they start with an index). */
    static final byte[] NOT_SERVED = new byte[0];
    private final Store store;
    private final SnapshotFiles files;
    private final LeaderReads leaderReads;
    private final PromptCommits promptCommits;

    StoreService(StoreType type, Store store, SnapshotFiles files, LeaderReads leaderReads,
                 PromptCommits promptCommits) {
        super(type);
        this.store = store;
        this.files = files;
        this.leaderReads = leaderReads;
        this.promptCommits = promptCommits;
        // Atomix creates the service before replaying the log (or restoring a snapshot) from the beginning.
        store.clear();
    }

    @Override
    protected void configure(ServiceExecutor executor) {
        executor.handle(StoreOperations.APPLY, this::applyCommand);
        executor.handle(StoreOperations.READ, this::read);
    }

    private byte[] applyCommand(Commit<byte[]> commit) {
        files.noteApplied(commit.value().length);
        Command command = CommandCodec.decode(commit.value());
        long index = getCurrentIndex();
        Outcome outcome;
        try {
            outcome = store.apply(index, getWallClock().getTime().unixTimestamp(), command);
        } catch (UncheckedIOException e) {
            // The value files failed (a full or broken disk). Atomix would answer this entry with an error and go
            // on, leaving this server without a write every other server applied: stop instead, and let the
            // restart replay the log into new files.
            log.error("Stopping: could not apply entry {} to the store's value files", index, e);
            Runtime.getRuntime().halt(EXIT_IO_ERROR);
            throw e;
        }
        promptCommits.applied(command);
        return CommandCodec.encode(outcome);
    }

    private byte[] read(Commit<byte[]> commit) {
        boolean lease = commit.session() instanceof RaftSession session
                && session.readConsistency() == ReadConsistency.LINEARIZABLE_LEASE;
        if (!leaderReads.mayAnswer(lease)) {
            return NOT_SERVED;
        }
        Query<?> query = QueryCodec.decode(commit.value());
        return QueryCodec.encodeResult(query, store.query(query));
    }

    /** Writes the store to a snapshot file and only its descriptor into Atomix's in-memory snapshot. */
    @Override
    public void backup(BackupOutput output) {
        SnapshotFiles.Descriptor d;
        try {
            d = files.write(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        output.writeInt(IN_FILE).writeLong(d.index()).writeLong(d.length()).writeLong(d.crc()).writeString(d.member());
    }

    @Override
    public void restore(BackupInput input) {
        int head = input.readInt();
        try {
            if (head == IN_FILE) {
                SnapshotFiles.Descriptor d = new SnapshotFiles.Descriptor(input.readLong(), input.readLong(),
                        input.readLong(), input.readString());
                if (d.index() == store.lastIndex()) {
                    // Atomix installs the snapshot it has just taken before the next entry when nothing was applied
                    // in the 10 s before it completed it (RaftServiceManager.apply). The store already is that state
                    // (the one committed log, applied to the same index): reading it back would only rebuild the
                    // whole store, holding every request meanwhile, and wake every parked reader for nothing.
                    log.debug("Snapshot {} is the store's own state already; not read back", d.index());
                    return;
                }
                try (InputStream in = files.open(d)) {
                    store.restoreSnapshot(in);
                }
                files.restored(d);
            } else {
                // A snapshot from before snapshot files: the store's bytes follow their length.
                store.restoreSnapshot(BackupStreams.readingFrom(input));
            }
        } catch (IOException | RuntimeException e) {
            // Atomix would log this and go on applying the log after the snapshot to a store without it, and this
            // server would serve and snapshot that store as if whole: stop instead (a restart tries again).
            log.error("Stopping: could not restore the store from a snapshot", e);
            Runtime.getRuntime().halt(EXIT_IO_ERROR);
            throw new IllegalStateException(e);
        }
        log.info("Restored the store from a snapshot at index {}", store.lastIndex());
    }
}
