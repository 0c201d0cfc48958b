package dev.beacon.cluster.atomix;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The commands a server applied while a snapshot file was being written, each with the Raft index and entry time it
 * was applied at: that file plus these make the state at a later index, which is what Atomix's snapshot records (see
 * {@link StoreSnapshots#prepare}). The state machine's thread appends each command as it applies it; the file ends
 * with an end mark and the trailer of {@link SnapshotFiles#TRAILER} bytes every snapshot file carries.
 */
final class SnapshotDelta {
    private static final long END = -1;
    private static final int BUFFER = 1 << 16;

    /** Applies one recorded command, as the state machine did. */
    interface Replay {
        void apply(long index, long time, byte[] command);
    }

    private final Path temp;
    private final FileChannel channel;
    private final CRC32 crc = new CRC32();
    private final DataOutputStream out;
    private boolean closed;

    private SnapshotDelta(Path temp, FileChannel channel) {
        this.temp = temp;
        this.channel = channel;
        this.out = new DataOutputStream(new BufferedOutputStream(
                new CheckedOutputStream(Channels.newOutputStream(channel), crc), BUFFER));
    }

    /** Starts recording into {@code temp}, emptied first. */
    static SnapshotDelta create(Path temp) throws IOException {
        return new SnapshotDelta(temp, FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING));
    }

    /** Appends a command the state machine has applied. */
    synchronized void record(long index, long time, byte[] command) throws IOException {
        if (closed) {
            return;
        }
        out.writeLong(index);
        out.writeLong(time);
        out.writeInt(command.length);
        out.write(command);
    }

    /** Ends the record and names it {@code file}; its bytes reach the disk at {@link #force}. */
    synchronized void finish(Path file) throws IOException {
        out.writeLong(END);
        out.flush();
        SnapshotFiles.writeTrailer(channel, channel.position(), crc.getValue());
        closed = true;
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the finished file through to the disk and closes it. */
    synchronized void force() throws IOException {
        try (channel) {
            channel.force(true);
        }
    }

    /** Stops recording and deletes what was recorded. */
    synchronized void discard() {
        closed = true;
        try (channel) {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing refers to an unfinished record; the next one empties the same file.
        }
    }

    /** Applies the commands of a finished record with an index above {@code afterIndex}, in order. */
    static void replay(InputStream in, long afterIndex, Replay replay) throws IOException {
        DataInputStream data = new DataInputStream(in);
        for (long index = data.readLong(); index != END; index = data.readLong()) {
            long time = data.readLong();
            byte[] command = new byte[data.readInt()];
            data.readFully(command);
            if (index > afterIndex) {
                replay.apply(index, time, command);
            }
        }
    }
}
