package dev.beacon.cluster.atomix;

import java.util.function.Supplier;

import io.atomix.storage.journal.Indexed;
import io.atomix.storage.journal.JournalWriter;

/**
 * The writer of a log segment the journal has moved past, put in place of Atomix's memory-mapped one by
 * {@link SealedSegments}. It answers where the segment ends from what the mapped writer knew, holds the mapped
 * buffer until {@link #freeMapping()}, and opens Atomix's file writer (which reads the whole segment to find its end)
 * only if the segment is written again, which only a truncation of the log back into it does.
 */
final class SealedSegmentWriter<E> implements JournalWriter<E> {
    private final JournalWriter<E> mapped;
    private final Supplier<JournalWriter<E>> openFileWriter;
    private final long lastIndex;
    private final Indexed<E> lastEntry;
    private final long nextIndex;
    private JournalWriter<E> fileWriter;
    private boolean mappingFreed;

    SealedSegmentWriter(JournalWriter<E> mapped, Supplier<JournalWriter<E>> openFileWriter) {
        this.mapped = mapped;
        this.openFileWriter = openFileWriter;
        this.lastIndex = mapped.getLastIndex();
        this.lastEntry = mapped.getLastEntry();
        this.nextIndex = mapped.getNextIndex();
    }

    /** Flushes the mapped buffer and unmaps it; once no reader reads through it (the caller knows). */
    synchronized void freeMapping() {
        if (!mappingFreed) {
            mappingFreed = true;
            mapped.close();
        }
    }

    synchronized boolean mappingFreed() {
        return mappingFreed;
    }

    private synchronized JournalWriter<E> fileWriter() {
        if (fileWriter == null) {
            fileWriter = openFileWriter.get();
        }
        return fileWriter;
    }

    private synchronized JournalWriter<E> openedFileWriter() {
        return fileWriter;
    }

    @Override
    public long getLastIndex() {
        JournalWriter<E> file = openedFileWriter();
        return file == null ? lastIndex : file.getLastIndex();
    }

    @Override
    public Indexed<E> getLastEntry() {
        JournalWriter<E> file = openedFileWriter();
        return file == null ? lastEntry : file.getLastEntry();
    }

    @Override
    public long getNextIndex() {
        JournalWriter<E> file = openedFileWriter();
        return file == null ? nextIndex : file.getNextIndex();
    }

    @Override
    public <T extends E> Indexed<T> append(T entry) {
        return fileWriter().append(entry);
    }

    @Override
    public void append(Indexed<E> entry) {
        fileWriter().append(entry);
    }

    @Override
    public void commit(long index) {
        fileWriter().commit(index);
    }

    @Override
    public void reset(long index) {
        fileWriter().reset(index);
    }

    @Override
    public void truncate(long index) {
        fileWriter().truncate(index);
    }

    @Override
    public synchronized void flush() {
        if (!mappingFreed) {
            mapped.flush();
        }
        if (fileWriter != null) {
            fileWriter.flush();
        }
    }

    @Override
    public synchronized void close() {
        freeMapping();
        if (fileWriter != null) {
            fileWriter.close();
        }
    }
}
