package dev.beacon.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.filled;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Values in files: what is on disk, and reads that survive an interrupted thread. */
class FileSegmentsTest {
    @TempDir
    Path dir;

    @Test
    void valuesGoToFilesAndReadBack() throws IOException {
        ValueLog log = new ValueLog(new FileSegments(dir), 16);
        long a = log.append(bytes("0123456789"));
        long b = log.append(bytes("abcdefghij"));
        assertThat(text(log.read(a, 10))).isEqualTo("0123456789");
        assertThat(text(log.read(b, 10))).isEqualTo("abcdefghij");
        assertThat(files()).hasSize(2);
        assertThat(log.onHeapStorage()).isFalse();
    }

    @Test
    void filesOfAnEarlierRunAreDeletedAtStart() throws IOException {
        Files.writeString(dir.resolve("values-00000007.seg"), "stale");
        Files.writeString(dir.resolve("other.txt"), "kept");
        ValueLog log = new ValueLog(new FileSegments(dir), 16);
        assertThat(files()).containsExactly("other.txt", "values-00000001.seg");
        assertThat(log.totalBytes()).isZero();
    }

    @Test
    void reclaimAndClearDeleteTheirFiles() throws IOException {
        ValueLog log = new ValueLog(new FileSegments(dir), 16);
        long live = log.append(bytes("0123456789"));
        log.append(bytes("abcdefghij"));
        log.append(bytes("ABCDEFGHIJ"));
        assertThat(files()).hasSize(3);
        ValueLog.Reclaim reclaim = log.reclaim();
        reclaim.live(live, 10);
        reclaim.finish();
        assertThat(files()).containsExactly("values-00000001.seg", "values-00000003.seg");
        log.clear();
        assertThat(files()).hasSize(1);
    }

    @Test
    void aReadOnAnInterruptedThreadSucceedsAndLeavesTheFileReadable() {
        ValueLog log = new ValueLog(new FileSegments(dir), 1024);
        long ref = log.append(bytes("still here"));
        Thread.currentThread().interrupt();
        try {
            assertThat(text(log.read(ref, 10))).isEqualTo("still here");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(text(log.read(ref, 10))).isEqualTo("still here");
        long next = log.append(bytes("more"));
        assertThat(text(log.read(next, 4))).isEqualTo("more");
    }

    @Test
    void appendsGatherUntilTheBufferFillsAndAreReadFromItMeanwhile() throws IOException {
        int buffer = FileSegments.WRITE_BUFFER_BYTES;
        ValueLog log = new ValueLog(new FileSegments(dir), 4 * buffer);
        long first = log.append(filled(1000, 1));
        assertThat(Files.size(dir.resolve("values-00000001.seg"))).isZero();
        assertThat(log.read(first, 1000)).isEqualTo(filled(1000, 1));
        long overflowing = log.append(filled(buffer, 2));
        assertThat(Files.size(dir.resolve("values-00000001.seg"))).isEqualTo(1000);
        assertThat(log.read(first, 1000)).isEqualTo(filled(1000, 1));
        assertThat(log.read(overflowing, buffer)).isEqualTo(filled(buffer, 2));
    }

    @Test
    void aValueLargerThanTheBufferGoesStraightToTheFileAfterWhatWasGathered() throws IOException {
        int buffer = FileSegments.WRITE_BUFFER_BYTES;
        ValueLog log = new ValueLog(new FileSegments(dir), 4 * buffer);
        long small = log.append(filled(10, 1));
        long large = log.append(filled(buffer + 1, 2));
        long after = log.append(filled(10, 3));
        assertThat(Files.size(dir.resolve("values-00000001.seg"))).isEqualTo(10 + buffer + 1);
        assertThat(log.read(small, 10)).isEqualTo(filled(10, 1));
        assertThat(log.read(large, buffer + 1)).isEqualTo(filled(buffer + 1, 2));
        assertThat(log.read(after, 10)).isEqualTo(filled(10, 3));
    }

    @Test
    void aPinTakenOnOneThreadReadsTheGatheredValuesOnAnotherWhileAppendsGoOn() throws Exception {
        ValueLog log = new ValueLog(new FileSegments(dir), 4 * FileSegments.WRITE_BUFFER_BYTES);
        long kept = log.append(filled(100, 7));
        try (ValueLog.Pin pin = log.pin()) {
            assertThat(Files.size(dir.resolve("values-00000001.seg"))).isEqualTo(100);
            long later = log.append(filled(100, 8));
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> pin.read(kept, 100));
            assertThat(read.get()).isEqualTo(filled(100, 7));
            assertThat(log.read(later, 100)).isEqualTo(filled(100, 8));
        }
    }

    @Test
    void aSegmentLeftForTheNextHoldsAllItsValuesInItsFile() throws IOException {
        ValueLog log = new ValueLog(new FileSegments(dir), 100);
        long first = log.append(filled(60, 1));
        long second = log.append(filled(60, 2));
        assertThat(Files.size(dir.resolve("values-00000001.seg"))).isEqualTo(60);
        assertThat(log.read(first, 60)).isEqualTo(filled(60, 1));
        assertThat(log.read(second, 60)).isEqualTo(filled(60, 2));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
