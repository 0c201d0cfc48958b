package dev.beacon.cluster.atomix;

import java.io.InputStream;

import io.atomix.primitive.service.BackupInput;

/** Reads an Atomix snapshot buffer as a stream: for snapshots taken before the store wrote its own files. */
final class BackupStreams {
    private BackupStreams() {
    }

    static InputStream readingFrom(BackupInput input) {
        return new InputStream() {
            @Override
            public int read() {
                return input.hasRemaining() ? input.readUnsignedByte() : -1;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                int n = Math.min(length, input.remaining());
                if (n <= 0) {
                    return -1;
                }
                input.read(bytes, offset, n);
                return n;
            }

            @Override
            public int available() {
                return Math.max(0, input.remaining());
            }
        };
    }
}
