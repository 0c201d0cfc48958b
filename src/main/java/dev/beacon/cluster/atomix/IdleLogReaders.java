package dev.beacon.cluster.atomix;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.impl.RaftServiceManager;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.storage.log.RaftLogReader;
import io.atomix.protocols.raft.storage.log.entry.RaftLogEntry;
import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.SegmentedJournal;
import io.atomix.storage.journal.SegmentedJournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps readers of the Raft log that nothing reads from at the log's end, so that a compaction does not re-read a
 * whole segment on the Raft thread for them.
 * <p>
 * When Atomix compacts the log it moves every open reader that is behind the new first segment there, and a reader
 * that lands on a segment no one else holds maps it, which re-reads every entry of the segment (32 MB, tens of
 * thousands of entries): a profile of a leader under 64 writing clients showed its Raft thread doing nothing else for
 * a second at each compaction, and a follower the same. The readers behind are idle ones: the context's reader, which
 * a follower reads only for an append that does not continue its log, sits wherever that last happened; the readers
 * of the followers' logs, which only a leader uses, are opened at every leadership and cluster change, on every
 * server, and Atomix never closes the old ones.
 * <p>
 * So, on the Raft thread every {@link #INTERVAL}: the context's reader, if it is behind the last segment, is replaced
 * by one at that segment's first entry, which costs no reading (the segment is mapped already, by its writer); every
 * other reader but the state machine's, and a leader's readers of its followers, is closed (Atomix opens new ones for
 * the followers when the server becomes leader, before anything reads them).
 * <p>
 * Before the context's reader lets go of a segment the journal has moved past, that segment is sealed
 * ({@link SealedSegments}), so that unmapping it does not re-read it either.
 */
final class IdleLogReaders {
    private static final Logger log = LoggerFactory.getLogger(IdleLogReaders.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private static final Field JOURNAL_READERS = RaftIntrospection.accessibleField(SegmentedJournal.class, "readers");
    private static final Field CONTEXT_READER = RaftIntrospection.accessibleField(RaftContext.class, "logReader");
    private static final Field SERVICE_READER = RaftIntrospection.accessibleField(RaftServiceManager.class, "reader");
    private static final Field READER_SEGMENT =
            RaftIntrospection.accessibleField(SegmentedJournalReader.class, "currentSegment");
    private static final Method SEGMENT_RELEASE = RaftIntrospection.accessibleMethod(JournalSegment.class, "release");

    private IdleLogReaders() {
    }

    /** Starts tidying the partition's log readers once Atomix has built its server, unless {@code giveUp} first. */
    static void installWhenBuilt(RaftPartition partition, BooleanSupplier giveUp) {
        RaftServerLookout.whenBuilt(partition, server -> true, giveUp, server -> {
            RaftContext context = RaftIntrospection.contextOf(server);
            context.getThreadContext().schedule(INTERVAL, INTERVAL, () -> tidy(context));
        });
    }

    /** Closes or moves the idle readers of the context's log; must run on the context's thread. */
    static void tidy(RaftContext raft) {
        try {
            tidyReaders(raft);
        } catch (RuntimeException e) {
            // A server being stopped closes its log under this task; the next look (if any) tries again.
            log.warn("Could not tidy the Raft log's idle readers: {}", e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static void tidyReaders(RaftContext raft) {
        SegmentedJournal<RaftLogEntry> journal = RaftIntrospection.journalOf(raft.getLog());
        Collection<SegmentedJournalReader<RaftLogEntry>> open =
                (Collection<SegmentedJournalReader<RaftLogEntry>>) RaftIntrospection.field(JOURNAL_READERS, journal);
        Set<Object> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        RaftLogReader stateMachine = (RaftLogReader) RaftIntrospection.field(SERVICE_READER, raft.getServiceManager());
        inUse.add(RaftIntrospection.journalReaderOf(stateMachine));
        inUse.add(RaftIntrospection.journalReaderOf(contextReaderAtLastSegment(raft, journal)));
        if (raft.getRole() == RaftServer.Role.LEADER) {
            raft.getCluster().getRemoteMemberStates().stream().filter(m -> m.getLogReader() != null)
                    .forEach(m -> inUse.add(RaftIntrospection.journalReaderOf(m.getLogReader())));
        }
        int closed = 0;
        for (SegmentedJournalReader<RaftLogEntry> reader : new ArrayList<>(open)) {
            if (!inUse.contains(reader)) {
                close(reader);
                closed++;
            }
        }
        if (closed > 0) {
            log.debug("Closed {} idle Raft log reader(s)", closed);
        }
        SealedSegments.freeUnheld(journal);
    }

    /**
     * The context's reader: replaced, and the old one closed, if it is behind the last segment. A follower reads it
     * only for an append that does not continue its log (a leader's retry, or a new leader's first appends), and
     * a leader only when it meets a newer leader; either then reads from there to the entry it needs.
     */
    private static RaftLogReader contextReaderAtLastSegment(RaftContext raft,
                                                            SegmentedJournal<RaftLogEntry> journal) {
        RaftLogReader current = raft.getLogReader();
        long lastSegmentStart = RaftIntrospection.lastSegment(journal).index();
        if (current.getNextIndex() >= lastSegmentStart) {
            return current;
        }
        log.debug("Moving the Raft context's idle log reader from entry {} to {}", current.getNextIndex(),
                lastSegmentStart);
        RaftLogReader moved = raft.getLog().openReader(lastSegmentStart, RaftLogReader.Mode.ALL);
        RaftIntrospection.setField(CONTEXT_READER, raft, moved);
        SegmentedJournalReader<RaftLogEntry> old = RaftIntrospection.journalReaderOf(current);
        SealedSegments.seal((JournalSegment<?>) RaftIntrospection.field(READER_SEGMENT, old));
        close(old);
        return moved;
    }

    /**
     * Closes a reader and gives back its hold on its segment, which Atomix's own {@code close} keeps (so the segment
     * would stay mapped until compaction deletes it).
     */
    private static void close(SegmentedJournalReader<RaftLogEntry> reader) {
        JournalSegment<?> segment = (JournalSegment<?>) RaftIntrospection.field(READER_SEGMENT, reader);
        reader.close();
        try {
            SEGMENT_RELEASE.invoke(segment);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot release a Raft log segment", e);
        }
    }
}
