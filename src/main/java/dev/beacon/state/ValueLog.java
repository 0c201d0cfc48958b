package dev.beacon.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the store keeps KV values: appended to segments and found again by a reference, so that a server's heap
 * holds only the keys and their metadata (etcd keeps its values once, in a file it maps; bench/README.md, "1,000,000
 * keys", has the measurement that moved them). A value is never changed in place: a new value is appended and the
 * old one becomes garbage, which {@link #reclaim} takes back by moving what is still live out of mostly dead
 * segments.
 * <p>
 * The values are a cache of what the Raft log and snapshots hold, never read back after a restart: the segments
 * are emptied when the log is created, and the state machine refills them as it replays. Where the bytes sit never
 * shows in the replicated state, so the state stays the same on every server whatever this does.
 * <p>
 * Not thread-safe on its own: the {@link Store}'s lock lets many readers or the one writer in. A {@link Pin} is the
 * exception: it reads the values written before it was taken from any thread, while appends go on.
 */
public final class ValueLog {
    /** A reference to no bytes: null and empty values take no room. */
    static final long NOWHERE = 0;
    private static final int FIRST_SEGMENT = 1;
    /** Segments of this size when nothing else is set: files big enough to be few, small enough to empty often. */
    static final int DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

    /** One segment's bytes. */
    interface Segment {
        void write(int offset, byte[] bytes);

        byte[] read(int offset, int length);

        /** Makes every write so far readable by a {@link Pin}'s thread. */
        void flush();

        /** Frees the segment; nothing reads it afterwards. */
        void delete();
    }

    /** Makes segments, on the heap or in files. */
    interface Segments {
        Segment create(int id);

        /** Whether the bytes written take heap (and so count in the store's footprint). */
        boolean onHeap();

        /** Deletes every segment, including those of an earlier run. */
        void deleteAll();
    }

    private final Segments storage;
    private final int segmentBytes;
    private final TreeMap<Integer, Placed> segments = new TreeMap<>();
    /** The segment appended to, and its number. */
    private Placed head;
    private int headId;
    private long totalBytes;
    private long nextReclaimAt;
    /** Guards {@link #pins}; waited on by {@link #clear} while a pin is held. */
    private final Object pinLock = new Object();
    private int pins;

    ValueLog(Segments storage, int segmentBytes) {
        if (segmentBytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive: " + segmentBytes);
        }
        this.storage = storage;
        this.segmentBytes = segmentBytes;
        clear();
    }

    /** Values kept on the heap: for tests and tools that have no data directory. */
    public static ValueLog onHeap() {
        return new ValueLog(new HeapSegments(), DEFAULT_SEGMENT_BYTES);
    }

    /** Values kept in files under {@code directory}, which this empties first (see class comment). */
    public static ValueLog inDirectory(Path directory) {
        return new ValueLog(new FileSegments(directory), DEFAULT_SEGMENT_BYTES);
    }

    boolean onHeapStorage() {
        return storage.onHeap();
    }

    /** Keeps a value; returns its reference ({@link #NOWHERE} for null or empty, which need no bytes). */
    long append(byte[] value) {
        if (value == null || value.length == 0) {
            return NOWHERE;
        }
        if (head.size > 0 && (long) head.size + value.length > segmentBytes) {
            roll();
        }
        int offset = head.size;
        head.bytes.write(offset, value);
        head.size += value.length;
        totalBytes += value.length;
        return reference(headId, offset);
    }

    /** The value a reference and length point at; null for a length below zero (a key without a value). */
    byte[] read(long reference, int length) {
        return length <= 0 ? noBytes(length) : segments.get(segmentOf(reference)).bytes.read(offsetOf(reference),
                length);
    }

    /** What a reference to no bytes reads: null for no value (length below zero), else an empty one. */
    private static byte[] noBytes(int length) {
        return length < 0 ? null : new byte[0];
    }

    /** Bytes held in all segments, live or not. */
    long totalBytes() {
        return totalBytes;
    }

    int segmentCount() {
        return segments.size();
    }

    /**
     * Whether enough has been appended since the last reclaim for another to be worth scanning the live values. Never
     * while a {@link Pin} is held: a reclaim deletes segments its reader may still need.
     */
    boolean reclaimDue() {
        return totalBytes >= nextReclaimAt && !pinned();
    }

    /**
     * Keeps every value written so far readable, from any thread, until the pin is closed: a snapshot of the store
     * is written that way while commands go on appending. No segment is deleted meanwhile ({@link #reclaimDue} is
     * false, and {@link #clear} waits for the pin).
     */
    Pin pin() {
        synchronized (pinLock) {
            pins++;
        }
        head.bytes.flush();
        Map<Integer, Segment> frozen = new HashMap<>();
        segments.forEach((id, placed) -> frozen.put(id, placed.bytes));
        return new Pin(frozen);
    }

    private boolean pinned() {
        synchronized (pinLock) {
            return pins > 0;
        }
    }

    /** Waits until no pin is held; an interrupt is kept for the caller but does not cut the wait short. */
    private void awaitUnpinned() {
        boolean interrupted = false;
        synchronized (pinLock) {
            while (pins > 0) {
                try {
                    pinLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts taking back the room of dead values. The caller reports every live value with {@link Reclaim#live},
     * then moves each one {@link Reclaim#isMoving} names and stores the new reference, then calls
     * {@link Reclaim#finish}. Segments less than half live are emptied, so each byte moved frees at least one.
     */
    Reclaim reclaim() {
        return new Reclaim();
    }

    /** Forgets every value (a snapshot restore replaces the whole state), once no pin is held. */
    void clear() {
        awaitUnpinned();
        segments.values().forEach(segment -> segment.bytes.delete());
        segments.clear();
        storage.deleteAll();
        headId = FIRST_SEGMENT - 1;
        totalBytes = 0;
        roll();
        nextReclaimAt = segmentBytes;
    }

    private void roll() {
        if (head != null) {
            head.bytes.flush();
        }
        headId++;
        head = new Placed(storage.create(headId));
        segments.put(headId, head);
    }

    /** A segment and how many bytes it holds. */
    private static final class Placed {
        private final Segment bytes;
        private int size;

        private Placed(Segment bytes) {
            this.bytes = bytes;
        }
    }

    private static long reference(int segment, int offset) {
        return ((long) segment << 32) | (offset & 0xffffffffL);
    }

    private static int segmentOf(long reference) {
        return (int) (reference >>> 32);
    }

    private static int offsetOf(long reference) {
        return (int) reference;
    }

    /** The values written before {@link #pin()}, readable from any thread until closed. */
    final class Pin implements AutoCloseable {
        private final Map<Integer, Segment> frozen;
        private boolean closed;

        private Pin(Map<Integer, Segment> frozen) {
            this.frozen = frozen;
        }

        /** As {@link ValueLog#read}, for a value written before the pin was taken. */
        byte[] read(long reference, int length) {
            return length <= 0 ? noBytes(length) : frozen.get(segmentOf(reference)).read(offsetOf(reference), length);
        }

        @Override
        public void close() {
            synchronized (pinLock) {
                if (!closed) {
                    closed = true;
                    pins--;
                    pinLock.notifyAll();
                }
            }
        }
    }

    /** One pass of {@link #reclaim()}. */
    final class Reclaim {
        private final Map<Integer, Long> liveBytes = new TreeMap<>();
        private Set<Integer> victims;

        private Reclaim() {
        }

        /** Reports a live value. */
        void live(long reference, int length) {
            if (victims != null) {
                throw new IllegalStateException("live values are reported before any is moved");
            }
            if (length > 0) {
                liveBytes.merge(segmentOf(reference), (long) length, Long::sum);
            }
        }

        /** Whether the value at this reference must be moved (and its new reference stored). */
        boolean isMoving(long reference, int length) {
            return length > 0 && victims().contains(segmentOf(reference));
        }

        /** Copies a live value out of a segment being emptied; returns its new reference. */
        long move(long reference, int length) {
            return append(read(reference, length));
        }

        /** Deletes the emptied segments; the next pass is due once as many bytes as are live have been added. */
        void finish() {
            long live = 0;
            for (int segment : victims()) {
                Placed emptied = segments.remove(segment);
                emptied.bytes.delete();
                totalBytes -= emptied.size;
            }
            for (long bytes : liveBytes.values()) {
                live += bytes;
            }
            nextReclaimAt = totalBytes + Math.max(live, segmentBytes);
        }

        private Set<Integer> victims() {
            if (victims == null) {
                victims = new HashSet<>();
                for (Map.Entry<Integer, Placed> segment : segments.entrySet()) {
                    long live = liveBytes.getOrDefault(segment.getKey(), 0L);
                    if (segment.getKey() != headId && live * 2 < segment.getValue().size) {
                        victims.add(segment.getKey());
                    }
                }
            }
            return victims;
        }
    }
}
