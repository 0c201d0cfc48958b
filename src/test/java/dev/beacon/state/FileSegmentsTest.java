package dev.beacon.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.beacon.state.Fixtures.bytes;
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

    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
