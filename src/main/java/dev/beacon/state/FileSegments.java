package dev.beacon.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * {@link ValueLog} segments as files, read with positional reads rather than mapped: the kernel's page cache keeps
 * the hot values, and it can drop them under pressure, which the heap or a mapping could not. Nothing is synced:
 * the files are rebuilt from the Raft log after a crash (see {@link ValueLog}).
 * <p>
 * Appends gather in a buffer that goes to the file in one write when it fills, when the segment is flushed (a
 * {@link ValueLog.Pin} is taken) and before a value too large for it: a write system call per value was a tenth of
 * the apply thread's time under 64-client puts (bench/README.md, session 35). Values still in the buffer are read
 * from it.
 * <p>
 * An I/O failure is thrown as {@link UncheckedIOException}; the state machine must stop rather than apply on
 * without the value.
 */
final class FileSegments implements ValueLog.Segments {
    private static final String PREFIX = "values-";
    private static final String SUFFIX = ".seg";
    /** Bytes gathered before one write: 256 values of 1 KiB. */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private final Path directory;

    FileSegments(Path directory) {
        this.directory = directory;
    }

    @Override
    public ValueLog.Segment create(int id) {
        return new FileSegment(directory.resolve(String.format("%s%08d%s", PREFIX, id, SUFFIX)));
    }

    @Override
    public boolean onHeap() {
        return false;
    }

    @Override
    public void deleteAll() {
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
                for (Path file : files) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the value directory " + directory, e);
        }
    }

    private static final class FileSegment implements ValueLog.Segment {
        private final Path file;
        private volatile FileChannel channel;
        /**
         * The appends not yet in the file. A fresh buffer follows each write to the file, so a reader that took the
         * old one still finds its bytes there; a reader holding a pin reads only below {@link Pending#start} of the
         * buffer it sees (the pin flushed what it covers).
         */
        private volatile Pending pending = new Pending(0, NO_BYTES);
        /** How many bytes of {@link #pending} are used; the appending thread's alone. */
        private int pendingLength;

        FileSegment(Path file) {
            this.file = file;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw failure("create", e);
            }
        }

        /** Appends arrive in order: {@code offset} is where the last one ended. */
        @Override
        public void write(int offset, byte[] bytes) {
            if (pendingLength + bytes.length > WRITE_BUFFER_BYTES) {
                flush();
            }
            if (bytes.length > WRITE_BUFFER_BYTES) {
                writeToFile(offset, bytes, bytes.length);
                pending = new Pending(offset + bytes.length, NO_BYTES);
                return;
            }
            if (pending.bytes.length == 0) {
                pending = new Pending(offset, new byte[WRITE_BUFFER_BYTES]);
            }
            System.arraycopy(bytes, 0, pending.bytes, pendingLength, bytes.length);
            pendingLength += bytes.length;
        }

        @Override
        public void flush() {
            Pending flushed = pending;
            if (pendingLength > 0) {
                writeToFile(flushed.start, flushed.bytes, pendingLength);
                pending = new Pending(flushed.start + pendingLength, NO_BYTES);
                pendingLength = 0;
            }
        }

        @Override
        public byte[] read(int offset, int length) {
            Pending buffered = pending;
            if (offset >= buffered.start) {
                int from = offset - buffered.start;
                return Arrays.copyOfRange(buffered.bytes, from, from + length);
            }
            byte[] bytes = new byte[length];
            transferAll("read", ByteBuffer.wrap(bytes), offset, (channel, buffer, at) -> channel.read(buffer, at));
            return bytes;
        }

        private void writeToFile(int offset, byte[] bytes, int length) {
            transferAll("write", ByteBuffer.wrap(bytes, 0, length), offset,
                    (channel, buffer, at) -> channel.write(buffer, at));
        }

        /** A buffer of appends (none until the first after a flush) and the file offset of its first byte. */
        private static final class Pending {
            private final int start;
            private final byte[] bytes;

            private Pending(int start, byte[] bytes) {
                this.start = start;
                this.bytes = bytes;
            }
        }

        /** One positional read or write of the channel; returns bytes moved, or -1 at the end of the file. */
        private interface Transfer {
            int apply(FileChannel channel, ByteBuffer buffer, long position) throws IOException;
        }

        /** Moves the whole buffer between it and the file from {@code offset}, reopening a channel closed under it. */
        private void transferAll(String action, ByteBuffer buffer, int offset, Transfer transfer) {
            boolean interrupted = false;
            try {
                while (buffer.hasRemaining()) {
                    try {
                        if (transfer.apply(channel, buffer, (long) offset + buffer.position()) < 0) {
                            throw failure(action, new IOException("it ends before offset " + (offset
                                    + buffer.limit())));
                        }
                    } catch (ClosedChannelException e) {
                        interrupted |= reopen(e);
                    } catch (IOException e) {
                        throw failure(action, e);
                    }
                }
            } finally {
                keepInterrupt(interrupted);
            }
        }

        @Override
        public void delete() {
            pending = new Pending(pending.start, NO_BYTES);
            pendingLength = 0;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw failure("delete", e);
            }
        }

        /**
         * A channel operation on an interrupted thread closes the channel for every thread. The file is still
         * there, so open it again and go on; the interrupted thread's flag is cleared for the retry and set again
         * when it is done (returns whether it was set).
         */
        private boolean reopen(ClosedChannelException cause) {
            boolean interrupted = Thread.interrupted();
            synchronized (this) {
                if (!channel.isOpen()) {
                    try {
                        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    } catch (IOException e) {
                        e.addSuppressed(cause);
                        throw failure("reopen", e);
                    }
                }
            }
            return interrupted;
        }

        private static void keepInterrupt(boolean interrupted) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private UncheckedIOException failure(String action, IOException e) {
            return new UncheckedIOException("cannot " + action + " value segment " + file + ": " + e.getMessage(), e);
        }
    }
}
