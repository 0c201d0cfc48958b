package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what would stop Atomix from reading a Raft log it wrote itself, before Atomix opens it.
 * <p>
 * A segment file is a 64-byte header and then entries, each a length, a checksum and the entry's bytes; a length
 * of zero, or one out of range, ends the segment's entries. When Raft truncates a log (a follower dropping entries
 * a deposed leader never committed) Atomix zeroes only the length at the cut, and the bytes of the dropped entries
 * stay behind it. If the segment then fills up again, the last entry that does not fit goes to the next segment and
 * leaves whatever was there before in place of the length that should end the segment. When that stale length is
 * in range but runs past the end of the file, Atomix's mapped segment reader fails on it
 * ({@code IllegalArgumentException: newLimit > capacity}) instead of ending the segment, and the server cannot start:
 * the fault suite found a server that could not rejoin after a kill this way. Setting such a length to zero makes
 * the segment end exactly where Atomix would have stopped reading; nothing that Atomix reads changes.
 */
final class SegmentTails {
    private static final Logger log = LoggerFactory.getLogger(SegmentTails.class);
    /** Atomix's segment header ({@code JournalSegmentDescriptor.BYTES}). */
    static final int HEADER_BYTES = 64;
    /** An entry's length and checksum, both 32-bit. */
    private static final int ENTRY_HEADER_BYTES = 2 * Integer.BYTES;

    private SegmentTails() {
    }

    /**
     * Checks every log segment of the Raft groups under {@code dataDir} ({@code <group>/partitions/<n>/*.log}).
     *
     * @param maxEntrySize the largest entry Atomix accepts, as configured for these groups: a longer length ends
     *                     the segment for Atomix, so it is left alone here too
     * @return the segments that were cleared
     */
    static List<Path> clear(Path dataDir, int maxEntrySize) {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(dataDir, 4, (path, attributes) -> attributes.isRegularFile()
                && isSegment(dataDir.relativize(path)))) {
            return files.sorted().filter(segment -> clearSegment(segment, maxEntrySize)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not check the Raft log under " + dataDir, e);
        }
    }

    private static boolean isSegment(Path relative) {
        return relative.getNameCount() == 4 && relative.getName(1).toString().equals("partitions")
                && relative.getFileName().toString().endsWith(".log");
    }

    /** @return whether the segment's entries ended in a length past its end, now zero */
    static boolean clearSegment(Path segment, int maxEntrySize) {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer file = mapped(channel);
            if (file == null) {
                return false;
            }
            int end = entriesEnd(file, maxEntrySize);
            if (!runsPastTheEnd(file, end, maxEntrySize)) {
                return false;
            }
            int stale = file.getInt(end);
            channel.write(ByteBuffer.allocate(Integer.BYTES), end);
            channel.force(false);
            log.warn("Raft log segment {} ended in a stale entry length ({} bytes at byte {}, past the file's end), "
                    + "left by an earlier truncation; set it to zero so that the segment can be read", segment,
                    stale, end);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not check Raft log segment " + segment, e);
        }
    }

    /**
     * Right after Atomix truncated the log into this segment (its last): zeroes what the dropped entries left in the
     * segment's last {@code maxEntrySize} + 8 bytes, the only place where a stale length can run past the file's
     * end. Atomix writes the next entries from the cut on, so a refilled segment then ends in zeros.
     *
     * @return the bytes set to zero
     */
    static int clearBehindTruncation(Path segment, int maxEntrySize) {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer file = mapped(channel);
            if (file == null) {
                return 0;
            }
            int size = file.limit();
            int from = Math.max(entriesEnd(file, maxEntrySize), size - maxEntrySize - ENTRY_HEADER_BYTES);
            if (from >= size) {
                return 0;
            }
            int zeros = size - from;
            channel.write(ByteBuffer.allocate(zeros), from);
            return zeros;
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear Raft log segment " + segment, e);
        }
    }

    /** The whole segment, read-only; null if it is too short to hold an entry or too long to be Atomix's. */
    private static MappedByteBuffer mapped(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size <= HEADER_BYTES || size > Integer.MAX_VALUE) {
            return null;
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }

    /**
     * Follows the entries' lengths as Atomix's reader does: a length of zero or out of range ends them, so does one
     * that runs past the end of the file (where Atomix fails), and so do fewer than eight bytes left.
     *
     * @return the position where the entries end
     */
    static int entriesEnd(ByteBuffer file, int maxEntrySize) {
        int position = HEADER_BYTES;
        while (position + ENTRY_HEADER_BYTES <= file.limit()) {
            int length = file.getInt(position);
            if (length <= 0 || length > maxEntrySize || length > file.limit() - position - ENTRY_HEADER_BYTES) {
                return position;
            }
            position += ENTRY_HEADER_BYTES + length;
        }
        return position;
    }

    /** Whether Atomix would fail on the length at {@code end}: in range, yet longer than what is left. */
    static boolean runsPastTheEnd(ByteBuffer file, int end, int maxEntrySize) {
        if (end + ENTRY_HEADER_BYTES > file.limit()) {
            return false;
        }
        int length = file.getInt(end);
        return length > 0 && length <= maxEntrySize;
    }
}
