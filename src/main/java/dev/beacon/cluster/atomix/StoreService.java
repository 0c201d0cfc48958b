package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

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
import io.atomix.utils.concurrent.ThreadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: Atomix calls it with committed entries, in log order, on every server. It applies each
 * command to this server's {@link Store} at the entry's Raft index and with the leader's entry time.
 */
final class StoreService extends AbstractPrimitiveService<Void> {
    private static final Logger log = LoggerFactory.getLogger(StoreService.class);
    /**
     * Marks a snapshot that is a {@link SnapshotFiles.Descriptor} of a state file and a delta, both carrying their
     * own length and CRC; {@link #IN_SELF_CHECKED_FILE} one of a state file alone, {@link #IN_FILE} one of a state
     * file without a trailer, its length and CRC in the descriptor (before Beacon prepared snapshots); older ones
     * start with their length (>= 0).
     */
    private static final int IN_FILE_WITH_DELTA = -4;
    private static final int IN_SELF_CHECKED_FILE = -3;
    private static final int IN_FILE = -2;
    /**
     * When the snapshot's files must be on the disk: Atomix records a snapshot, and may compact the log below it, on
     * the state machine's thread 10 s after taking it (RaftServiceManager's SNAPSHOT_COMPLETION_DELAY); a task
     * scheduled there earlier runs first.
     */
    private static final Duration FILE_DEADLINE = Duration.ofSeconds(9);
    /** sysexits.h's EX_IOERR. */
    private static final int EXIT_IO_ERROR = 74;
    /** The answer to a read this leader may not answer yet: results are never empty (they start with an index). */
    static final byte[] NOT_SERVED = new byte[0];
    private final Store store;
    private final StoreSnapshots snapshots;
    private final LeaderReads leaderReads;
    private final PromptCommits promptCommits;
    private final OwnOutcomes ownOutcomes;

    StoreService(StoreType type, Store store, StoreSnapshots snapshots, LeaderReads leaderReads,
                 PromptCommits promptCommits, OwnOutcomes ownOutcomes) {
        super(type);
        this.store = store;
        this.snapshots = snapshots;
        this.leaderReads = leaderReads;
        this.promptCommits = promptCommits;
        this.ownOutcomes = ownOutcomes;
        // Atomix creates the service before replaying the log (or restoring a snapshot) from the beginning.
        store.clear();
    }

    @Override
    protected void configure(ServiceExecutor executor) {
        executor.handle(StoreOperations.APPLY, this::applyCommand);
        executor.handle(StoreOperations.READ, this::read);
    }

    private byte[] applyCommand(Commit<byte[]> commit) {
        long index = getCurrentIndex();
        Command command;
        try {
            command = CommandCodec.decode(commit.value());
        } catch (UncheckedIOException e) {
            // A command this server cannot read: one a newer Beacon wrote (a type this version does not know), or a
            // corrupt entry. Atomix would answer it with an error and go on, leaving this server without a write
            // every other server applied: stop instead, so that a server that can read it takes its place.
            log.error("Stopping: entry {} holds a command this server cannot read (written by a newer version of "
                    + "Beacon?); start this server with the version the others run", index, e);
            Runtime.getRuntime().halt(EXIT_IO_ERROR);
            throw e;
        }
        // The entry's own time, as its leader stamped it. Atomix's service clock is the highest entry time seen so
        // far: after a leader whose clock ran ahead, it would stand still (and with it every TTL, session and lock
        // delay) until the next leaders' clocks caught up, an hour for a clock an hour fast.
        long time = commit.wallClockTime().unixTimestamp();
        Outcome outcome;
        try {
            outcome = store.apply(index, time, command);
        } catch (UncheckedIOException e) {
            // The value files failed (a full or broken disk). Atomix would answer this entry with an error and go
            // on, leaving this server without a write every other server applied: stop instead, and let the
            // restart replay the log into new files.
            log.error("Stopping: could not apply entry {} to the store's value files", index, e);
            Runtime.getRuntime().halt(EXIT_IO_ERROR);
            throw e;
        }
        snapshots.applied(index, time, commit.value());
        promptCommits.applied(command);
        if (!answeredHere(command)) {
            ownOutcomes.applied(index, null);
            return CommandCodec.encode(outcome);
        }
        ownOutcomes.applied(index, commit.session().memberId().equals(getLocalMemberId()) ? outcome : null);
        return CommandCodec.encode(new Outcome(outcome.index(), outcome.success(), outcome.error()));
    }

    /**
     * etcd's writes: the server that took one answers it from its own apply ({@link OwnOutcomes}), as an etcd member
     * does, so their result through Raft is only the index and whether they took effect. Their full outcome carries
     * the event with the key's value before and after, kilobytes that every server would encode and keep for the
     * session and the leader would send back.
     */
    private static boolean answeredHere(Command command) {
        return command instanceof Command.KvPut || command instanceof Command.KvRemove;
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

    /**
     * Writes only the descriptor of the store's snapshot files into Atomix's in-memory snapshot. With a snapshot
     * prepared ({@link StoreSnapshots#prepare}) this takes a moment; the delta's bytes are put on the disk on this
     * thread before Atomix records the snapshot.
     */
    @Override
    public void backup(BackupOutput output) {
        awaitSnapshotFiles();
        SnapshotFiles.Descriptor d;
        try {
            d = snapshots.snapshot(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ThreadContext stateMachine = ThreadContext.currentContext();
        if (stateMachine == null) {
            awaitSnapshotFiles();
        } else {
            stateMachine.schedule(FILE_DEADLINE, this::awaitSnapshotFiles);
        }
        if (d.hasDelta()) {
            output.writeInt(IN_FILE_WITH_DELTA).writeLong(d.index()).writeLong(d.base()).writeString(d.member());
        } else {
            output.writeInt(IN_SELF_CHECKED_FILE).writeLong(d.index()).writeString(d.member());
        }
    }

    /**
     * Puts the last snapshot's files on the disk if they are not yet. Files that cannot be written stop the
     * server: Atomix would record a snapshot without them and drop the log it replaces (a restart retries from the
     * snapshot before).
     */
    private void awaitSnapshotFiles() {
        try {
            snapshots.awaitDurable();
        } catch (IOException e) {
            log.error("Stopping: could not write a snapshot file", e);
            Runtime.getRuntime().halt(EXIT_IO_ERROR);
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(BackupInput input) {
        int head = input.readInt();
        awaitSnapshotFiles();
        try {
            if (head == IN_FILE || head == IN_SELF_CHECKED_FILE || head == IN_FILE_WITH_DELTA) {
                SnapshotFiles.Descriptor d = switch (head) {
                    case IN_FILE -> SnapshotFiles.Descriptor.checkedByLength(input.readLong(), input.readLong(),
                            input.readLong(), input.readString());
                    case IN_SELF_CHECKED_FILE -> SnapshotFiles.Descriptor.selfChecked(input.readLong(),
                            input.readString());
                    default -> SnapshotFiles.Descriptor.withDelta(input.readLong(), input.readLong(),
                            input.readString());
                };
                if (d.index() == store.lastIndex()) {
                    // Atomix installs the snapshot it has just taken before the next entry when nothing was applied
                    // in the 10 s before it completed it (RaftServiceManager.apply). The store already is that state
                    // (the one committed log, applied to the same index): reading it back would only rebuild the
                    // whole store, holding every request meanwhile, and wake every parked reader for nothing.
                    log.debug("Snapshot {} is the store's own state already; not read back", d.index());
                    return;
                }
                snapshots.restore(store, d);
            } else {
                // A snapshot from before snapshot files: the store's bytes follow their length.
                snapshots.discardPrepared();
                store.restoreSnapshot(BackupStreams.readingFrom(input));
            }
            ownOutcomes.restored(store.lastIndex());
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
