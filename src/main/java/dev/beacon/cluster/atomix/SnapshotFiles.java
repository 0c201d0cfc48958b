package dev.beacon.cluster.atomix;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import dev.beacon.cluster.CompactionPolicy;
import dev.beacon.state.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's snapshots as files of their own, beside the Raft log. Atomix takes a snapshot into one heap buffer
 * that doubles as it grows: that needs up to three times the state in free heap, in one contiguous piece, and
 * cannot pass 1 GiB. With a few hundred MB of data a 1 GB JVM failed to find that room and died. So the store
 * streams its snapshot to a file here, and only a small {@link Descriptor} goes into Atomix's snapshot.
 * <p>
 * A follower that is sent such a snapshot and lacks the file fetches it, in chunks, from the server that wrote it
 * (the leader that sent the snapshot), over Atomix's messaging on the Raft port. The newest {@link #KEEP} files are
 * kept, so that a file stays available while a follower fetches it even if the leader snapshots again meanwhile.
 * <p>
 * So is, always, the file of the snapshot Atomix would restore this server from: Atomix records a snapshot only
 * some time after the store wrote its file, and a server killed in between restarts from the snapshot before. A
 * server killed that way three times running had lost that file to the newest three, failed to restore it, and
 * then applied the rest of its log to an empty store (the fault suite's ten rounds found it).
 */
final class SnapshotFiles {
    /** The recorded index ({@link #setRecordedIndex}) while it cannot be told: then no file is deleted. */
    static final long UNKNOWN = -1;
    /** How many snapshot files to keep. */
    static final int KEEP = 3;
    /** The most bytes one chunk of a fetch carries. */
    static final int CHUNK = 1 << 20;
    private static final int BUFFER = 1 << 16;
    private static final String PREFIX = "state-";
    private static final String SUFFIX = ".snapshot";
    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);

    /** Which snapshot file (by the store index it was taken at), its length and CRC-32, and who wrote it. */
    record Descriptor(long index, long length, long crc, String member) {
    }

    /** Asks a member for the bytes of one of its snapshot files from {@code offset}: at most CHUNK of them. */
    interface ChunkSource {
        byte[] fetch(String member, long index, long offset) throws IOException;
    }

    private final Path dir;
    private final String localMember;
    private final AtomicLong appliedSinceSnapshot = new AtomicLong();
    private volatile long lastSnapshotBytes = CompactionPolicy.NO_SNAPSHOT;
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
     * {@link #UNKNOWN} while it cannot tell. The file of that snapshot is the newest at or below that index.
     */
    void setRecordedIndex(LongSupplier recordedIndex) {
        this.recordedIndex = recordedIndex;
    }

    /** Counts the bytes of a command applied to the store: the log that the next snapshot will cover. */
    void noteApplied(int bytes) {
        appliedSinceSnapshot.addAndGet(bytes);
    }

    /** Bytes of commands applied since the last snapshot was written or restored (or since start). */
    long appliedSinceSnapshot() {
        return appliedSinceSnapshot.get();
    }

    /** The length of the last snapshot written or restored, or {@link CompactionPolicy#NO_SNAPSHOT}. */
    long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    /** Notes that the store now is the snapshot a descriptor names: the log to count starts after it. */
    void restored(Descriptor descriptor) {
        appliedSinceSnapshot.set(0);
        lastSnapshotBytes = descriptor.length();
    }

    /** Writes the store's snapshot to a file (on disk when this returns) and keeps only the newest files. */
    Descriptor write(Store store) throws IOException {
        Files.createDirectories(dir);
        long started = System.nanoTime();
        appliedSinceSnapshot.set(0);
        long index = store.lastIndex();
        Path temp = dir.resolve(PREFIX + index + SUFFIX + ".tmp");
        CRC32 crc = new CRC32();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(
                    new CheckedOutputStream(Channels.newOutputStream(channel), crc), BUFFER);
            store.writeSnapshot(out);
            out.flush();
            channel.force(true);
        }
        long length = Files.size(temp);
        lastSnapshotBytes = length;
        Files.move(temp, file(index), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        prune();
        log.info("Wrote snapshot {} ({} bytes) in {} ms", index, length,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return new Descriptor(index, length, crc.getValue(), localMember);
    }

    /** The snapshot a descriptor names, fetched from its writer first if this server does not have it intact. */
    InputStream open(Descriptor descriptor) throws IOException {
        Path file = file(descriptor.index());
        if (!matches(file, descriptor)) {
            fetch(descriptor);
        }
        return new BufferedInputStream(Files.newInputStream(file), BUFFER);
    }

    /** Bytes of a local snapshot file from {@code offset}, at most {@link #CHUNK}: for a follower fetching it. */
    byte[] chunk(long index, long offset) throws IOException {
        Path file = file(index);
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

    private void fetch(Descriptor descriptor) throws IOException {
        ChunkSource source = chunks;
        if (source == null || descriptor.member().equals(localMember)) {
            throw new IOException("snapshot file " + file(descriptor.index()).getFileName() + " is missing");
        }
        Files.createDirectories(dir);
        Path temp = dir.resolve(PREFIX + descriptor.index() + SUFFIX + ".fetch");
        long started = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), BUFFER)) {
            long offset = 0;
            while (offset < descriptor.length()) {
                byte[] chunk = source.fetch(descriptor.member(), descriptor.index(), offset);
                if (chunk.length == 0) {
                    throw new IOException("snapshot " + descriptor.index() + " on " + descriptor.member()
                            + " ended at " + offset + " of " + descriptor.length() + " bytes");
                }
                out.write(chunk);
                offset += chunk.length;
            }
        }
        if (!matches(temp, descriptor)) {
            Files.deleteIfExists(temp);
            throw new IOException("snapshot " + descriptor.index() + " fetched from " + descriptor.member()
                    + " does not match its descriptor");
        }
        Files.move(temp, file(descriptor.index()), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        log.info("Fetched snapshot {} ({} bytes) from {} in {} ms", descriptor.index(), descriptor.length(),
                descriptor.member(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        prune();
    }

    private static boolean matches(Path file, Descriptor descriptor) throws IOException {
        if (!Files.exists(file) || Files.size(file) != descriptor.length()) {
            return false;
        }
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return crc.getValue() == descriptor.crc();
    }

    private Path file(long index) {
        return dir.resolve(PREFIX + index + SUFFIX);
    }

    /** Deletes the files that are neither among the newest {@link #KEEP} nor the one Atomix recorded. */
    private void prune() throws IOException {
        long recorded = recordedIndex.getAsLong();
        if (recorded == UNKNOWN) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparingLong(SnapshotFiles::indexOf).reversed())
                    .toList();
        }
        Path recordedFile = files.stream().filter(file -> indexOf(file) <= recorded).findFirst().orElse(null);
        for (Path old : files.subList(Math.min(KEEP, files.size()), files.size())) {
            if (!old.equals(recordedFile)) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static long indexOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }
}
