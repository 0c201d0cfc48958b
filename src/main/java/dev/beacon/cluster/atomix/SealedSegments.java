package dev.beacon.cluster.atomix;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.JournalWriter;
import io.atomix.storage.journal.SegmentedJournal;
import io.atomix.storage.journal.index.JournalIndex;
import io.atomix.utils.serializer.Namespace;

/**
 * Keeps Atomix from reading a whole log segment again when the segment stops being memory-mapped.
 * <p>
 * A segment is mapped while the writer or a reader is in it. When the last one leaves, Atomix swaps the segment's
 * mapped writer for a file writer, whose constructor reads every entry of the segment from the file to find where
 * it ends: 32 MB, tens of thousands of entries deserialized, a seek per entry, on whichever thread let go. Under 64
 * writing clients that was about 5 % of the three servers' CPU (a profile: 22-31 ms per 1,000 writes) and a stall
 * of the Raft thread at every segment. A segment the journal has moved past is not written again unless the log is
 * truncated back into it, so its mapped writer is put behind a {@link SealedSegmentWriter}, which Atomix does not take
 * for a mapped one and leaves alone when it unmaps the segment; its buffer is freed here once nothing holds the
 * segment.
 * <p>
 * Only a segment the Raft context's own reader still holds is sealed, on the Raft thread that moves that reader: the
 * state machine's thread maps and unmaps segments too, and with that hold in place it cannot be doing so for this
 * one. ({@link IdleLogReaders} moves the context's reader to the last segment every second, so it holds each segment
 * that lived through one of its looks.)
 */
final class SealedSegments {
    private static final String JOURNAL = "io.atomix.storage.journal.";
    private static final Class<?> MAPPABLE_WRITER = atomixClass("MappableJournalSegmentWriter");
    private static final Class<?> MAPPED_WRITER = atomixClass("MappedJournalSegmentWriter");
    private static final Field SEGMENT_WRITER = RaftIntrospection.accessibleField(JournalSegment.class, "writer");
    private static final Field SEGMENT_REFERENCES =
            RaftIntrospection.accessibleField(JournalSegment.class, "references");
    private static final Field CURRENT_WRITER = RaftIntrospection.accessibleField(MAPPABLE_WRITER, "writer");
    private static final Field CHANNEL = RaftIntrospection.accessibleField(MAPPABLE_WRITER, "channel");
    private static final Field MAX_ENTRY_SIZE = RaftIntrospection.accessibleField(MAPPABLE_WRITER, "maxEntrySize");
    private static final Field INDEX = RaftIntrospection.accessibleField(MAPPABLE_WRITER, "index");
    private static final Field NAMESPACE = RaftIntrospection.accessibleField(MAPPABLE_WRITER, "namespace");
    private static final Constructor<?> FILE_WRITER = fileWriterConstructor();

    private SealedSegments() {
    }

    /**
     * Seals {@code segment}, held by the Raft context's reader and not the journal's last, if its writer is still
     * the mapped one. Must run on the Raft thread, before that reader lets go of it.
     */
    static void seal(JournalSegment<?> segment) {
        Object mappable = RaftIntrospection.field(SEGMENT_WRITER, segment);
        Object current = RaftIntrospection.field(CURRENT_WRITER, mappable);
        if (MAPPED_WRITER.isInstance(current)) {
            RaftIntrospection.setField(CURRENT_WRITER, mappable,
                    new SealedSegmentWriter<>(writer(current), () -> openFileWriter(segment, mappable)));
        }
    }

    /** Frees the mapped buffer of each sealed segment that no reader or writer holds any more. */
    static void freeUnheld(SegmentedJournal<?> journal) {
        for (JournalSegment<?> segment : journal.segments()) {
            if (currentWriterOf(segment) instanceof SealedSegmentWriter<?> sealed && !sealed.mappingFreed()
                    && ((AtomicInteger) RaftIntrospection.field(SEGMENT_REFERENCES, segment)).get() == 0) {
                sealed.freeMapping();
            }
        }
    }

    /** The writer a segment's writer hands its work to: Atomix's mapped or file writer, or a sealed one. */
    static Object currentWriterOf(JournalSegment<?> segment) {
        return RaftIntrospection.field(CURRENT_WRITER, RaftIntrospection.field(SEGMENT_WRITER, segment));
    }

    /** Atomix's own file writer for the segment, as it would open one when unmapping (reading the segment). */
    private static <E> JournalWriter<E> openFileWriter(JournalSegment<?> segment, Object mappable) {
        try {
            return writer(FILE_WRITER.newInstance(RaftIntrospection.field(CHANNEL, mappable), segment,
                    RaftIntrospection.field(MAX_ENTRY_SIZE, mappable), RaftIntrospection.field(INDEX, mappable),
                    RaftIntrospection.field(NAMESPACE, mappable)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot open a file writer for a Raft log segment", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> JournalWriter<E> writer(Object writer) {
        return (JournalWriter<E>) writer;
    }

    private static Class<?> atomixClass(String name) {
        try {
            return Class.forName(JOURNAL + name, false, JournalSegment.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this Atomix version does not have " + JOURNAL + name, e);
        }
    }

    private static Constructor<?> fileWriterConstructor() {
        try {
            Constructor<?> constructor = atomixClass("FileChannelJournalSegmentWriter").getDeclaredConstructor(
                    FileChannel.class, JournalSegment.class, int.class, JournalIndex.class, Namespace.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Atomix version's segment file writer is not as expected", e);
        }
    }
}
