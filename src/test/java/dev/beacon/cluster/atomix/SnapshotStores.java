package dev.beacon.cluster.atomix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import dev.beacon.state.Command;
import dev.beacon.state.Store;

/** Stores to snapshot in the snapshot tests, and their snapshots' bytes. */
final class SnapshotStores {
    private SnapshotStores() {
    }

    /** A store of {@code keys} keys of 3,000 bytes each, one written at each index from 1. */
    static Store storeWith(int keys) {
        Store store = new Store();
        for (int i = 1; i <= keys; i++) {
            store.apply(i, 0, new Command.KvSet("k" + i, new byte[3000], 0, Command.NO_CAS));
        }
        return store;
    }

    static byte[] snapshotOf(Store store) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeSnapshot(out);
        return out.toByteArray();
    }
}
