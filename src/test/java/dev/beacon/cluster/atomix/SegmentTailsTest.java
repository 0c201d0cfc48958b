package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.atomix.storage.StorageLevel;
import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.SegmentedJournal;
import io.atomix.storage.journal.SegmentedJournalReader;
import io.atomix.utils.serializer.Namespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentTailsTest {
    private static final int SEGMENT_SIZE = 4096;
    private static final int MAX_ENTRY_SIZE = 512;
    private static final int ENTRIES = 300;

    @TempDir
    Path dir;

    /** The state a server was left in by the fault suite: a stale length at the end of a full segment. */
    @Test
    void atomixReadsTheLogAgainOnceTheStaleLengthIsCleared() throws IOException {
        Path log = dir.resolve("data/partitions/1");
        List<String> written = writeJournal(log);
        Path first = log.resolve("test-1.log");
        int end = lastEntryEnd(first);
        int left = SEGMENT_SIZE - end - 8;
        assertThat(left).as("bytes left after the segment's last entry and a length").isBetween(0, MAX_ENTRY_SIZE - 1);
        overwriteInt(first, end, left + 1);

        assertThatThrownBy(() -> readJournal(log)).isInstanceOf(IllegalArgumentException.class);

        assertThat(SegmentTails.clear(dir, MAX_ENTRY_SIZE)).containsExactly(first);
        assertThat(readJournal(log)).isEqualTo(written);
        assertThat(SegmentTails.clear(dir, MAX_ENTRY_SIZE)).isEmpty();
    }

    /** A deposed leader's entries, dropped by a truncation; their bytes read as lengths of 511 at every fourth byte. */
    private static final byte[] DROPPED = pattern(120, (byte) 0, (byte) 0, (byte) 1, (byte) 0xFF);

    /** Atomix alone: for these sizes of the new entries, a dropped entry's bytes end the refilled segment. */
    @ParameterizedTest
    @ValueSource(ints = {24, 30, 36, 42, 52, 56})
    void atomixFailsToReadASegmentRefilledAfterATruncation(int size) {
        try (SegmentedJournal<Object> journal = journal(dir)) {
            refillAfterTruncation(journal, size, false);

            assertThatThrownBy(() -> readAll(journal)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("newLimit > capacity");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 23, 24, 30, 36, 42, 47, 52, 56, 59})
    void aSegmentClearedBehindATruncationReadsBackAfterItFillsAgain(int size) {
        try (SegmentedJournal<Object> journal = journal(dir)) {
            long cut = refillAfterTruncation(journal, size, true);

            List<Object> read = readAll(journal);
            assertThat(read).hasSize((int) journal.writer().getLastIndex());
            assertThat(read.get((int) cut - 1)).isEqualTo(DROPPED);
            assertThat(read.subList((int) cut, read.size()))
                    .allSatisfy(entry -> assertThat(entry).isEqualTo(new byte[size]));
        }
    }

    /**
     * Writes dropped entries into a second segment, truncates back into the first, and writes entries of another
     * size until they reach the second segment again. Returns the index cut after.
     */
    private static long refillAfterTruncation(SegmentedJournal<Object> journal, int size, boolean clear) {
        while (journal.segments().size() < 2 || journal.writer().getLastIndex() < 3 + firstIndexOfLast(journal)) {
            journal.writer().append(DROPPED);
        }
        long cut = firstIndexOfLast(journal) - 5;
        journal.writer().truncate(cut);
        if (clear) {
            List<JournalSegment<Object>> segments = new ArrayList<>(journal.segments());
            SegmentTails.clearBehindTruncation(segments.get(segments.size() - 1).file().file().toPath(),
                    MAX_ENTRY_SIZE);
        }
        byte[] entry = new byte[size];
        while (journal.segments().size() < 2) {
            journal.writer().append(entry);
        }
        journal.writer().append(entry);
        journal.writer().flush();
        return cut;
    }

    private static long firstIndexOfLast(SegmentedJournal<Object> journal) {
        List<JournalSegment<Object>> segments = new ArrayList<>(journal.segments());
        return segments.get(segments.size() - 1).index();
    }

    private static List<Object> readAll(SegmentedJournal<Object> journal) {
        List<Object> read = new ArrayList<>();
        try (SegmentedJournalReader<Object> reader = journal.openReader(1)) {
            while (reader.hasNext()) {
                read.add(reader.next().entry());
            }
        }
        return read;
    }

    private static byte[] pattern(int length, byte... repeated) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = repeated[i % repeated.length];
        }
        return bytes;
    }

    @Test
    void leavesALogAtomixCanReadAsItIs() throws IOException {
        Path log = dir.resolve("system/partitions/1");
        writeJournal(log);
        List<byte[]> before = new ArrayList<>();
        for (Path segment : segments(log)) {
            before.add(Files.readAllBytes(segment));
        }
        assertThat(before).hasSizeGreaterThan(2);

        assertThat(SegmentTails.clear(dir, MAX_ENTRY_SIZE)).isEmpty();

        List<byte[]> after = new ArrayList<>();
        for (Path segment : segments(log)) {
            after.add(Files.readAllBytes(segment));
        }
        assertThat(after).containsExactlyElementsOf(before);
    }

    @Test
    void checksTheSegmentsOfEveryGroupAndNothingElse() throws IOException {
        Path system = segmentEndingIn(dir.resolve("system/partitions/1/system-partition-1-1.log"), 100);
        Path data = segmentEndingIn(dir.resolve("data/partitions/1/data-partition-1-7.log"), 100);
        segmentEndingIn(dir.resolve("values/values-1.log"), 100);
        segmentEndingIn(dir.resolve("data/partitions/1/data-partition-1.conf"), 100);

        assertThat(SegmentTails.clear(dir, MAX_ENTRY_SIZE)).containsExactly(data, system);
        assertThat(SegmentTails.clear(dir.resolve("no-such-directory"), MAX_ENTRY_SIZE)).isEmpty();
    }

    @Test
    void findsWhereTheEntriesEndAndWhetherAtomixWouldFailThere() {
        assertThat(stop(segment(100, 40, 0))).isEqualTo("172 ends");
        assertThat(stop(segment(100, 40, -5))).isEqualTo("172 ends");
        assertThat(stop(segment(100, 40, MAX_ENTRY_SIZE + 1))).isEqualTo("172 ends");
        assertThat(stop(segment(100, 40, 32))).as("fits exactly").isEqualTo("212 ends");
        assertThat(stop(segment(100, 40, 33))).isEqualTo("172 runs past the end");
        assertThat(stop(segment(100, 7, 1))).as("no room for a length and checksum").isEqualTo("172 ends");
        assertThat(stop(ByteBuffer.allocate(SegmentTails.HEADER_BYTES))).isEqualTo("64 ends");
    }

    private static String stop(ByteBuffer file) {
        int end = SegmentTails.entriesEnd(file, MAX_ENTRY_SIZE);
        return end + (SegmentTails.runsPastTheEnd(file, end, MAX_ENTRY_SIZE) ? " runs past the end" : " ends");
    }

    /** A header, one entry of {@code entry} bytes, then {@code left} bytes that start with {@code stale}. */
    private static ByteBuffer segment(int entry, int left, int stale) {
        ByteBuffer file = ByteBuffer.allocate(SegmentTails.HEADER_BYTES + 8 + entry + left);
        file.putInt(SegmentTails.HEADER_BYTES, entry);
        if (left >= 4) {
            file.putInt(SegmentTails.HEADER_BYTES + 8 + entry, stale);
        }
        return file;
    }

    private static Path segmentEndingIn(Path file, int entry) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, segment(entry, 40, 100).array());
        return file;
    }

    private static List<String> writeJournal(Path directory) {
        List<String> written = new ArrayList<>();
        try (SegmentedJournal<String> journal = journal(directory)) {
            for (int i = 0; i < ENTRIES; i++) {
                String entry = "entry " + i + " " + "x".repeat(i % 37);
                journal.writer().append(entry);
                written.add(entry);
            }
            journal.writer().flush();
        }
        return written;
    }

    private static List<String> readJournal(Path directory) {
        List<String> read = new ArrayList<>();
        try (SegmentedJournal<String> journal = journal(directory);
             SegmentedJournalReader<String> reader = journal.openReader(1)) {
            while (reader.hasNext()) {
                read.add(reader.next().entry());
            }
        }
        return read;
    }

    private static <E> SegmentedJournal<E> journal(Path directory) {
        return SegmentedJournal.<E>builder()
                .withName("test")
                .withDirectory(directory.toFile())
                .withNamespace(Namespaces.BASIC)
                .withStorageLevel(StorageLevel.MAPPED)
                .withMaxSegmentSize(SEGMENT_SIZE)
                .withMaxEntrySize(MAX_ENTRY_SIZE)
                .build();
    }

    /** Where the segment's entries end, followed the way Atomix writes them. */
    private static int lastEntryEnd(Path segment) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment));
        int position = SegmentTails.HEADER_BYTES;
        while (position + 8 <= file.limit() && file.getInt(position) > 0) {
            position += 8 + file.getInt(position);
        }
        return position;
    }

    private static void overwriteInt(Path file, int position, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(position, value);
        Files.write(file, bytes);
    }

    private static List<Path> segments(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
        }
    }
}
