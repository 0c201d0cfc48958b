package dev.beacon.state;

/**
 * Estimates of the heap the store's data holds, in bytes, for the storage quota. They count the object headers,
 * references and map nodes of a 64-bit JVM with compressed pointers besides the keys and values themselves, so
 * that the sum tracks a heap dump of the store within a few per cent for KV-heavy data (bench/README.md has the
 * measurement). Catalog rows, sessions and events are counted per row: they are few and small beside KV.
 * <p>
 * Pure functions of the data, so every server computes the same figure for the same state.
 */
final class Footprint {
    /** A KV entry: its row, its map node, the key's String and the two array headers. */
    static final int KV_ENTRY_OVERHEAD = 160;
    /** A tombstone: its map node, the boxed index and the key's String. */
    static final int TOMBSTONE_OVERHEAD = 96;
    static final int NODE = 1024;
    static final int SERVICE = 1024;
    static final int CHECK = 1024;
    static final int SESSION = 512;
    static final int EVENT_OVERHEAD = 256;
    /** A service's or node's own index: its map node, the boxed index and the name's String. */
    static final int NAME_INDEX_OVERHEAD = 96;

    private Footprint() {
    }

    /** A KV entry whose value takes {@code valueBytes} of heap (none when the values are kept in files). */
    static long entry(String key, int valueBytes) {
        return KV_ENTRY_OVERHEAD + key.length() + Math.max(valueBytes, 0);
    }

    static long tombstone(String key) {
        return TOMBSTONE_OVERHEAD + key.length();
    }

    static long nameIndex(String name) {
        return NAME_INDEX_OVERHEAD + name.length();
    }
}
