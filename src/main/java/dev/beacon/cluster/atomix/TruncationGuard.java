package dev.beacon.cluster.atomix;

import java.io.File;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.storage.log.RaftLog;
import io.atomix.protocols.raft.storage.log.RaftLogWriter;
import io.atomix.protocols.raft.storage.log.entry.RaftLogEntry;
import io.atomix.storage.journal.SegmentedJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft server's log writer, with each truncation followed by clearing what the dropped entries left at the end
 * of the segment it cut into ({@link SegmentTails#clearBehindTruncation}). Without it, a follower that dropped a
 * deposed leader's entries and then filled that segment again could leave a stale length at the segment's end, on
 * which its own state machine's reader fails while applying (and, after a restart, Atomix fails to open the log).
 * <p>
 * Atomix offers no hook on truncation and builds the writer inside the Raft server, so the server's context is given
 * this writer in place of its own once Atomix has built the server, on the server's thread (where every append and
 * truncation runs), before its first truncation in all but the first milliseconds of a start; a log left stale by
 * those, or by an older version, is put right at the next start by {@link SegmentTails#clear}.
 */
final class TruncationGuard extends RaftLogWriter {
    private static final Logger log = LoggerFactory.getLogger(TruncationGuard.class);
    private static final Field CONTEXT_WRITER = RaftIntrospection.accessibleField(RaftContext.class, "logWriter");

    private final SegmentedJournal<RaftLogEntry> journal;
    private final int maxEntrySize;

    TruncationGuard(SegmentedJournal<RaftLogEntry> journal, RaftLog raftLog, int maxEntrySize) {
        super(journal.writer(), raftLog);
        this.journal = journal;
        this.maxEntrySize = maxEntrySize;
    }

    /** Gives the partition's Raft server this writer as soon as Atomix has built it, unless {@code giveUp} first. */
    static void installWhenBuilt(RaftPartition partition, int maxEntrySize, BooleanSupplier giveUp) {
        RaftServerLookout.whenBuilt(partition, server -> true, giveUp, server -> {
            RaftContext context = RaftIntrospection.contextOf(server);
            context.getThreadContext().execute(() -> install(context, maxEntrySize));
        });
    }

    /** Must run on the server's thread. */
    static void install(RaftContext context, int maxEntrySize) {
        if (context.getLogWriter() instanceof TruncationGuard) {
            return;
        }
        RaftLog raftLog = context.getLog();
        RaftIntrospection.setField(CONTEXT_WRITER, context,
                new TruncationGuard(RaftIntrospection.journalOf(raftLog), raftLog, maxEntrySize));
    }

    @Override
    public void truncate(long index) {
        long lastBefore = getLastIndex();
        super.truncate(index);
        if (getLastIndex() < lastBefore) {
            clearBehind("Dropped Raft log entries after index " + index + " (a deposed leader's, never committed)");
        }
    }

    /**
     * Atomix's follower resets its log when the leader's starts after the entries they share (an append whose
     * previous term is 0); a reset back into the last segment truncates it there, past this writer's
     * {@link #truncate}, and left a stale length behind in the same way (the fault suite once found a restarted
     * server's state machine dead on one).
     */
    @Override
    public void reset(long index) {
        long lastBefore = getLastIndex();
        super.reset(index);
        if (getLastIndex() < lastBefore) {
            clearBehind("Reset the Raft log to start at index " + index + " (where the leader's log starts)");
        }
    }

    private void clearBehind(String what) {
        File segment = RaftIntrospection.lastSegment(journal).file().file();
        try {
            int cleared = SegmentTails.clearBehindTruncation(segment.toPath(), maxEntrySize);
            log.info("{}; cleared {} bytes at the end of {}", what, cleared, segment);
        } catch (UncheckedIOException e) {
            log.warn("{} but could not clear the end of {}: {}", what, segment, e.getCause().toString());
        }
    }
}
