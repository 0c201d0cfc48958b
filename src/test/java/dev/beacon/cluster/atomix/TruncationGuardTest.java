package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.atomix.primitive.operation.PrimitiveOperation;
import io.atomix.protocols.raft.partition.impl.RaftNamespaces;
import io.atomix.protocols.raft.storage.log.RaftLog;
import io.atomix.protocols.raft.storage.log.RaftLogReader;
import io.atomix.protocols.raft.storage.log.entry.CommandEntry;
import io.atomix.protocols.raft.storage.log.entry.RaftLogEntry;
import io.atomix.storage.StorageLevel;
import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.SegmentedJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard clears what dropped entries leave at the end of the segment the log was cut back into, whether the
 * Raft server truncates the log (a deposed leader's entries) or resets it to where the leader's log starts (which
 * Atomix does by truncating inside its own writer), and the refilled log reads back whole.
 */
class TruncationGuardTest {
    private static final int SEGMENT_SIZE = 4096;
    private static final int MAX_ENTRY_SIZE = 512;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theEndOfTheSegmentCutBackIntoIsZeroAndTheRefilledLogReadsBack(boolean reset) throws IOException {
        try (RaftLog raftLog = raftLog()) {
            SegmentedJournal<RaftLogEntry> journal = RaftIntrospection.journalOf(raftLog);
            TruncationGuard guard = new TruncationGuard(journal, raftLog, MAX_ENTRY_SIZE);
            while (journal.segments().size() < 2 || guard.getLastIndex() < firstIndexOfLast(journal) + 3) {
                guard.append(entry(1, 120, (byte) 0x7F));
            }
            long cut = firstIndexOfLast(journal) - 5;
            if (reset) {
                guard.reset(cut + 1);
            } else {
                guard.truncate(cut);
            }

            assertThat(guard.getLastIndex()).isEqualTo(cut);
            assertThat(journal.segments()).hasSize(1);
            Path segment = lastSegment(journal);
            byte[] bytes = Files.readAllBytes(segment);
            assertThat(Arrays.copyOfRange(bytes, bytes.length - MAX_ENTRY_SIZE - 8, bytes.length))
                    .as("the last entry's room at the end of the segment").containsOnly((byte) 0);

            while (journal.segments().size() < 2) {
                guard.append(entry(2, 37, (byte) 0x01));
            }
            guard.append(entry(2, 37, (byte) 0x01));
            guard.flush();
            assertThat(readAll(raftLog)).hasSize((int) guard.getLastIndex());
        }
    }

    @Test
    void aResetPastTheLastSegmentStartsAFreshOne() {
        try (RaftLog raftLog = raftLog()) {
            SegmentedJournal<RaftLogEntry> journal = RaftIntrospection.journalOf(raftLog);
            TruncationGuard guard = new TruncationGuard(journal, raftLog, MAX_ENTRY_SIZE);
            for (int i = 0; i < 10; i++) {
                guard.append(entry(1, 120, (byte) 0x7F));
            }
            guard.reset(100);

            assertThat(guard.getNextIndex()).isEqualTo(100);
            guard.append(entry(2, 37, (byte) 0x01));
            guard.flush();
            assertThat(readAll(raftLog)).extracting(RaftLogEntry::term).containsExactly(2L);
        }
    }

    private RaftLog raftLog() {
        return RaftLog.builder()
                .withName("guard")
                .withDirectory(dir.toFile())
                .withNamespace(RaftNamespaces.RAFT_STORAGE)
                .withStorageLevel(StorageLevel.MAPPED)
                .withMaxSegmentSize(SEGMENT_SIZE)
                .withMaxEntrySize(MAX_ENTRY_SIZE)
                .build();
    }

    private static CommandEntry entry(long term, int size, byte fill) {
        byte[] value = new byte[size];
        Arrays.fill(value, fill);
        return new CommandEntry(term, 0, 1, 1, new PrimitiveOperation(StoreOperations.APPLY, value));
    }

    private static long firstIndexOfLast(SegmentedJournal<RaftLogEntry> journal) {
        List<JournalSegment<RaftLogEntry>> segments = new ArrayList<>(journal.segments());
        return segments.get(segments.size() - 1).index();
    }

    private static Path lastSegment(SegmentedJournal<RaftLogEntry> journal) {
        return RaftIntrospection.lastSegment(journal).file().file().toPath();
    }

    /** Every entry from index 1, as the state machine reads them. */
    private static List<RaftLogEntry> readAll(RaftLog raftLog) {
        List<RaftLogEntry> read = new ArrayList<>();
        try (RaftLogReader reader = raftLog.openReader(1)) {
            while (reader.hasNext()) {
                read.add(reader.next().entry());
            }
        }
        return read;
    }
}
