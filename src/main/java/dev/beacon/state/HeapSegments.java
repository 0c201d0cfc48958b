package dev.beacon.state;

import java.util.Arrays;

/** {@link ValueLog} segments in byte arrays that grow as values are appended. */
final class HeapSegments implements ValueLog.Segments {
    private static final int INITIAL_BYTES = 4096;

    @Override
    public ValueLog.Segment create(int id) {
        return new ValueLog.Segment() {
            /** Volatile: a {@link ValueLog.Pin} reads from another thread while appends replace the array. */
            private volatile byte[] bytes = new byte[0];

            @Override
            public void write(int offset, byte[] value) {
                int end = offset + value.length;
                if (end > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(end, Math.max(INITIAL_BYTES, bytes.length * 2)));
                }
                System.arraycopy(value, 0, bytes, offset, value.length);
            }

            @Override
            public byte[] read(int offset, int length) {
                return Arrays.copyOfRange(bytes, offset, offset + length);
            }

            @Override
            public void flush() {
                // Written straight into the array, which a pin reads through the volatile field.
            }

            @Override
            public void delete() {
                bytes = new byte[0];
            }
        };
    }

    @Override
    public boolean onHeap() {
        return true;
    }

    @Override
    public void deleteAll() {
        // Nothing outlives the segments' arrays.
    }
}
