package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.atomix.storage.journal.Indexed;
import io.atomix.storage.journal.JournalWriter;
import org.junit.jupiter.api.Test;

/**
 * A sealed segment's writer answers from what the mapped writer knew, opens the file writer only when the segment is
 * written again (a truncation back into it), and frees the mapping once however often it is asked to.
 */
class SealedSegmentWriterTest {
    private final Recording mapped = new Recording("mapped", 41);
    private final Recording file = new Recording("file", 41);
    private int fileWritersOpened;
    private final SealedSegmentWriter<String> sealed = new SealedSegmentWriter<>(mapped, () -> {
        fileWritersOpened++;
        return file;
    });

    @Test
    void answersWhereTheSegmentEndsWithoutOpeningTheFileWriter() {
        mapped.lastIndex = 99;

        assertThat(sealed.getLastIndex()).isEqualTo(41);
        assertThat(sealed.getNextIndex()).isEqualTo(42);
        assertThat(sealed.getLastEntry().index()).isEqualTo(41);
        sealed.flush();
        assertThat(fileWritersOpened).isZero();
        assertThat(mapped.calls).containsExactly("flush");
    }

    @Test
    void aTruncationOpensTheFileWriterOnceAndItAnswersFromThenOn() {
        sealed.truncate(30);
        sealed.append("entry");

        assertThat(fileWritersOpened).isEqualTo(1);
        assertThat(file.calls).containsExactly("truncate 30", "append entry");
        assertThat(sealed.getLastIndex()).isEqualTo(31);
        assertThat(sealed.getNextIndex()).isEqualTo(32);
        assertThat(mapped.calls).isEmpty();
    }

    @Test
    void theMappingIsFreedOnceAndNotFlushedAfterwards() {
        sealed.freeMapping();
        sealed.freeMapping();
        sealed.flush();
        sealed.close();

        assertThat(sealed.mappingFreed()).isTrue();
        assertThat(mapped.calls).containsExactly("close");
        assertThat(fileWritersOpened).isZero();
    }

    @Test
    void closingClosesAnOpenedFileWriterToo() {
        sealed.truncate(40);
        sealed.close();

        assertThat(mapped.calls).containsExactly("close");
        assertThat(file.calls).containsExactly("truncate 40", "close");
    }

    /** A writer that records what it is asked to do and keeps its last index. */
    private static final class Recording implements JournalWriter<String> {
        private final String name;
        final List<String> calls = new ArrayList<>();
        long lastIndex;

        Recording(String name, long lastIndex) {
            this.name = name;
            this.lastIndex = lastIndex;
        }

        @Override
        public long getLastIndex() {
            return lastIndex;
        }

        @Override
        public Indexed<String> getLastEntry() {
            return new Indexed<>(lastIndex, name, 1);
        }

        @Override
        public long getNextIndex() {
            return lastIndex + 1;
        }

        @Override
        public <T extends String> Indexed<T> append(T entry) {
            calls.add("append " + entry);
            lastIndex++;
            return new Indexed<>(lastIndex, entry, 1);
        }

        @Override
        public void append(Indexed<String> entry) {
            calls.add("append " + entry.entry());
            lastIndex = entry.index();
        }

        @Override
        public void commit(long index) {
            calls.add("commit " + index);
        }

        @Override
        public void reset(long index) {
            calls.add("reset " + index);
        }

        @Override
        public void truncate(long index) {
            calls.add("truncate " + index);
            lastIndex = index;
        }

        @Override
        public void flush() {
            calls.add("flush");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }
}
