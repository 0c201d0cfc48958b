package dev.beacon.state;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The store at one index, taken in a moment and written out at leisure, on any thread, while the store goes on
 * applying commands: a snapshot of a million keys takes seconds to write, and holding the state machine for that
 * long stalled every write of the cluster (bench/README.md, "1,000,000 keys"). Taking it copies the KV rows and pins
 * their values in the value log; until it is closed the store reclaims no value room, and a restore waits for it.
 */
public final class StoreImage implements AutoCloseable {
    private final SnapshotCodec.Contents rest;
    private final KvTable.Frozen kv;
    private final long lineage;

    StoreImage(SnapshotCodec.Contents rest, KvTable.Frozen kv, long lineage) {
        this.rest = rest;
        this.kv = kv;
        this.lineage = lineage;
    }

    /** The Raft index of the last command in the image. */
    public long index() {
        return rest.lastIndex();
    }

    /**
     * The store's {@link Store#lineage} when the image was taken: the commands the store applies after it lead on
     * from this image only while the store's lineage is the same.
     */
    public long lineage() {
        return lineage;
    }

    /** Writes the image in the snapshot format, the same bytes {@link Store#writeSnapshot} would have written. */
    public void writeTo(OutputStream out) throws IOException {
        SnapshotCodec.write(out, rest, kv);
    }

    /** Lets the store reclaim value room and restore snapshots again; the image cannot be written afterwards. */
    @Override
    public void close() {
        kv.close();
    }
}
