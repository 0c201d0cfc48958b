package dev.beacon.cluster.atomix;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import dev.beacon.state.StoreImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's snapshots as files of their own, beside the Raft log. Atomix takes a snapshot into one heap buffer
 * that doubles as it grows: that needs up to three times the state in free heap, in one contiguous piece, and
 * cannot pass 1 GiB. With a few hundred MB of data a 1 GB JVM failed to find that room and died. So the store
 * streams its snapshot to a file here, and only a small {@link Descriptor} goes into Atomix's snapshot.
 * <p>
 * A snapshot is a state file, and, when the state machine went on while it was written, a delta file of the commands
 * applied meanwhile ({@link StoreSnapshots} takes them).
 * <p>
 * A follower that is sent such a snapshot and lacks the files fetches them, in chunks, from the server that wrote
 * them (the leader that sent the snapshot), over Atomix's messaging on the Raft port. The newest {@link #KEEP}
 * snapshots are kept, so that their files stay available while a follower fetches them even if the leader snapshots
 * again meanwhile.
 * <p>
 * So is, always, the file of the snapshot Atomix would restore this server from: Atomix records a snapshot only
 * some time after the store wrote its file, and a server killed in between restarts from the snapshot before. A
 * server killed that way three times running had lost that file to the newest three, failed to restore it, and
 * then applied the rest of its log to an empty store (the fault suite's ten rounds found it).
 */
final class SnapshotFiles {
    /** The recorded index ({@link #setRecordedIndex}) while it cannot be told: then no file is deleted. */
    static final long UNKNOWN = -1;
    /** How many snapshots to keep. */
    static final int KEEP = 3;
    /** The most bytes one chunk of a fetch carries. */
    static final int CHUNK = 1 << 20;
    /** The bytes of a file's trailer: the length of the file before it, and that part's CRC-32. */
    static final int TRAILER = 2 * Long.BYTES;
    private static final int BUFFER = 1 << 16;
    private static final String PREFIX = "state-";
    private static final String UNFINISHED = ".tmp";
    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);

    /**
     * The two kinds of file a snapshot has: the store's state, and the commands applied after it. The code names
     * the kind in a fetch; a request without one (from a server before deltas) asks for a state file.
     */
    enum Kind {
        STATE(".snapshot", 0), DELTA(".delta", 1);

        private final String suffix;
        private final byte code;

        Kind(String suffix, int code) {
            this.suffix = suffix;
            this.code = (byte) code;
        }

        byte code() {
            return code;
        }

        static Kind of(byte code) throws IOException {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IOException("no snapshot file kind " + code);
        }
    }

    /**
     * Which snapshot: the store index it stands for; the index of its state file ({@code base}: the same, unless
     * a delta file takes the state on to {@code index}); the state file's length and CRC-32, or {@link #IN_TRAILER}
     * when its files carry their own (the last {@link #TRAILER} bytes of each); and who wrote it.
     */
    record Descriptor(long index, long base, long length, long crc, String member) {
        static final long IN_TRAILER = -1;

        /** A state file without a trailer, as written before files had one. */
        static Descriptor checkedByLength(long index, long length, long crc, String member) {
            return new Descriptor(index, index, length, crc, member);
        }

        static Descriptor selfChecked(long index, String member) {
            return new Descriptor(index, index, IN_TRAILER, IN_TRAILER, member);
        }

        /** The state file at {@code base} and the delta from it to {@code index}. */
        static Descriptor withDelta(long index, long base, String member) {
            return new Descriptor(index, base, IN_TRAILER, IN_TRAILER, member);
        }

        boolean isSelfChecked() {
            return length == IN_TRAILER;
        }

        boolean hasDelta() {
            return base != index;
        }
    }

    /** Asks a member for the bytes of one of its files from {@code offset}: at most CHUNK of them. */
    interface ChunkSource {
        byte[] fetch(String member, Kind kind, long index, long offset) throws IOException;
    }

    private final Path dir;
    private final String localMember;
    private volatile ChunkSource chunks;
    private volatile LongSupplier recordedIndex = () -> UNKNOWN;

    SnapshotFiles(Path dir, String localMember) {
        this.dir = dir;
        this.localMember = localMember;
    }

    void setChunkSource(ChunkSource chunks) {
        this.chunks = chunks;
    }

    /**
     * Tells where to find the Raft index of the snapshot Atomix has recorded (and would restore from): 0 if none,
     * {@link #UNKNOWN} while it cannot tell. The files of that snapshot are the newest at or below that index.
     */
    void setRecordedIndex(LongSupplier recordedIndex) {
        this.recordedIndex = recordedIndex;
    }

    /** The member this server is, named in the descriptors of the snapshots it writes. */
    String localMember() {
        return localMember;
    }

    /** Starts a delta file, deleting what an earlier one (or a state file's writer) left unfinished. */
    SnapshotDelta newDelta() throws IOException {
        Files.createDirectories(dir);
        deleteUnfinished();
        return SnapshotDelta.create(dir.resolve(PREFIX + "next" + Kind.DELTA.suffix + UNFINISHED));
    }

    /** Ends a delta as the one of the state file at {@code base}. */
    void finishDelta(SnapshotDelta delta, long base) throws IOException {
        delta.finish(file(Kind.DELTA, base));
    }

    /** The length of the state a descriptor names, which this server has (it was just written or restored). */
    long stateBytes(Descriptor descriptor) throws IOException {
        return descriptor.isSelfChecked() ? Files.size(file(Kind.STATE, descriptor.base())) - TRAILER
                : descriptor.length();
    }

    /**
     * Writes an image of the store to a state file, its trailer after it; returns its length (the trailer's not
     * counted). {@code heldNanos} is how long taking the image held the state machine, for the log.
     */
    long writeState(StoreImage image, long heldNanos) throws IOException {
        Files.createDirectories(dir);
        long started = System.nanoTime();
        long index = image.index();
        Path temp = dir.resolve(PREFIX + index + Kind.STATE.suffix + UNFINISHED);
        CRC32 crc = new CRC32();
        long length;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(
                    new CheckedOutputStream(Channels.newOutputStream(channel), crc), BUFFER);
            image.writeTo(out);
            out.flush();
            length = channel.position();
            writeTrailer(channel, length, crc.getValue());
            channel.force(true);
        }
        Files.move(temp, file(Kind.STATE, index), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        log.info("Wrote snapshot file {} ({} bytes) in {} ms; taking its image held the state machine {} ms", index,
                length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                TimeUnit.NANOSECONDS.toMillis(heldNanos));
        return length;
    }

    /** Appends the trailer every snapshot file ends with: the length of what precedes it, and that part's CRC-32. */
    static void writeTrailer(FileChannel channel, long length, long crc) throws IOException {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER).putLong(length).putLong(crc).flip();
        while (trailer.hasRemaining()) {
            channel.write(trailer);
        }
    }

    /** The state file a descriptor names, fetched from its writer first if this server does not have it intact. */
    InputStream open(Descriptor descriptor) throws IOException {
        return open(Kind.STATE, descriptor);
    }

    /** The delta file a descriptor names ({@link Descriptor#hasDelta}), fetched first if need be. */
    InputStream openDelta(Descriptor descriptor) throws IOException {
        return open(Kind.DELTA, descriptor);
    }

    private InputStream open(Kind kind, Descriptor descriptor) throws IOException {
        Path file = file(kind, descriptor.base());
        if (!matches(file, descriptor)) {
            fetch(kind, descriptor);
        }
        // A trailer after the contents is left unread: their format knows where they end.
        return new BufferedInputStream(Files.newInputStream(file), BUFFER);
    }

    /** Bytes of a local file from {@code offset}, at most {@link #CHUNK}: for a follower fetching it. */
    byte[] chunk(Kind kind, long index, long offset) throws IOException {
        Path file = file(kind, index);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long remaining = raf.length() - offset;
            if (offset < 0 || remaining < 0) {
                throw new IOException("no offset " + offset + " in " + file.getFileName());
            }
            byte[] bytes = new byte[(int) Math.min(CHUNK, remaining)];
            raf.seek(offset);
            raf.readFully(bytes);
            return bytes;
        }
    }

    private void fetch(Kind kind, Descriptor descriptor) throws IOException {
        Path file = file(kind, descriptor.base());
        ChunkSource source = chunks;
        if (source == null || descriptor.member().equals(localMember)) {
            throw new IOException("snapshot file " + file.getFileName() + " is missing");
        }
        Files.createDirectories(dir);
        Path temp = dir.resolve(file.getFileName() + ".fetch");
        long started = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), BUFFER)) {
            long offset = 0;
            boolean more = true;
            while (more) {
                byte[] chunk = source.fetch(descriptor.member(), kind, descriptor.base(), offset);
                if (descriptor.isSelfChecked()) {
                    // Its length is in the file: a chunk short of the most one carries is the last.
                    more = chunk.length == CHUNK;
                } else {
                    if (chunk.length == 0) {
                        throw new IOException("snapshot " + descriptor.index() + " on " + descriptor.member()
                                + " ended at " + offset + " of " + descriptor.length() + " bytes");
                    }
                    more = offset + chunk.length < descriptor.length();
                }
                out.write(chunk);
                offset += chunk.length;
            }
        }
        if (!matches(temp, descriptor)) {
            Files.deleteIfExists(temp);
            throw new IOException("snapshot file " + file.getFileName() + " fetched from " + descriptor.member()
                    + " does not match its descriptor");
        }
        long fetched = Files.size(temp);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("Fetched snapshot file {} ({} bytes) from {} in {} ms", file.getFileName(), fetched,
                descriptor.member(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        prune();
    }

    private static boolean matches(Path file, Descriptor descriptor) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        long length = descriptor.length();
        long expectedCrc = descriptor.crc();
        if (descriptor.isSelfChecked()) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() < TRAILER) {
                    return false;
                }
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
                while (trailer.hasRemaining()) {
                    if (channel.read(trailer, channel.size() - TRAILER + trailer.position()) < 0) {
                        return false;
                    }
                }
                trailer.flip();
                length = trailer.getLong();
                expectedCrc = trailer.getLong();
                if (length != channel.size() - TRAILER) {
                    return false;
                }
            }
        } else if (Files.size(file) != length) {
            return false;
        }
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            byte[] buffer = new byte[BUFFER];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return false;
                }
                left -= n;
            }
        }
        return crc.getValue() == expectedCrc;
    }

    private Path file(Kind kind, long index) {
        return dir.resolve(PREFIX + index + kind.suffix);
    }

    /** Deletes what a writer killed midway left: one snapshot is written at a time, so no other is being written. */
    private void deleteUnfinished() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path unfinished : listing.filter(p -> p.getFileName().toString().endsWith(UNFINISHED)).toList()) {
                Files.deleteIfExists(unfinished);
            }
        }
    }

    /**
     * Deletes the snapshots (state file and delta, by the state file's index) that are neither among the newest
     * {@link #KEEP} nor the one Atomix recorded.
     */
    synchronized void prune() throws IOException {
        long recorded = recordedIndex.getAsLong();
        if (recorded == UNKNOWN) {
            return;
        }
        List<Long> bases;
        try (Stream<Path> listing = Files.list(dir)) {
            bases = listing.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(PREFIX) && name.endsWith(Kind.STATE.suffix))
                    .map(name -> Long.parseLong(name.substring(PREFIX.length(),
                            name.length() - Kind.STATE.suffix.length())))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
        Long recordedBase = bases.stream().filter(base -> base <= recorded).findFirst().orElse(null);
        for (long old : bases.subList(Math.min(KEEP, bases.size()), bases.size())) {
            if (recordedBase == null || old != recordedBase) {
                Files.deleteIfExists(file(Kind.STATE, old));
                Files.deleteIfExists(file(Kind.DELTA, old));
            }
        }
    }
}
