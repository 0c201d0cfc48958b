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

/**
 * {@link ValueLog} segments as files, read with positional reads rather than mapped: the kernel's page cache keeps
 * the hot values, and it can drop them under pressure, which the heap or a mapping could not. Nothing is synced:
 * the files are rebuilt from the Raft log after a crash (see {@link ValueLog}).
 * <p>
 * An I/O failure is thrown as {@link UncheckedIOException}; the state machine must stop rather than apply on
 * without the value.
 */
final class FileSegments implements ValueLog.Segments {
    private static final String PREFIX = "values-";
    private static final String SUFFIX = ".seg";

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

        FileSegment(Path file) {
            this.file = file;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw failure("create", e);
            }
        }

        @Override
        public void write(int offset, byte[] bytes) {
            transferAll("write", ByteBuffer.wrap(bytes), offset, (channel, buffer, at) -> channel.write(buffer, at));
        }

        @Override
        public byte[] read(int offset, int length) {
            byte[] bytes = new byte[length];
            transferAll("read", ByteBuffer.wrap(bytes), offset, (channel, buffer, at) -> channel.read(buffer, at));
            return bytes;
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
