package dev.beacon.dns;

import java.util.EnumSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.beacon.state.CatalogView;
import dev.beacon.state.Indexed;
import dev.beacon.state.Query;
import dev.beacon.state.Store;
import dev.beacon.state.Table;

/**
 * The local replica's catalog as a {@link DnsCatalog}, rebuilt only when a catalog table has changed. While one
 * thread rebuilds, the others answer from the previous snapshot: DNS reads are stale reads anyway, and this way
 * a burst of queries after a change never queues behind the rebuild. Any index change counts, not only a higher
 * one: a replica that restores a snapshot or replays its log can go back.
 */
public final class CatalogSnapshots implements Supplier<DnsCatalog> {
    private static final Query.CatalogSlice EVERYTHING =
            new Query.CatalogSlice(null, null, EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS));

    private final Store store;
    private final ReentrantLock rebuild = new ReentrantLock();
    private volatile DnsCatalog current;

    public CatalogSnapshots(Store store) {
        this.store = store;
    }

    @Override
    public DnsCatalog get() {
        long index = catalogIndex();
        DnsCatalog snapshot = current;
        if (snapshot != null && snapshot.index() == index) {
            return snapshot;
        }
        if (snapshot != null && !rebuild.tryLock()) {
            return snapshot;
        }
        if (snapshot == null) {
            rebuild.lock();
        }
        try {
            snapshot = current;
            if (snapshot == null || snapshot.index() != index) {
                Indexed<CatalogView> read = store.query(EVERYTHING);
                snapshot = DnsCatalog.of(read.value(), read.index());
                current = snapshot;
            }
            return snapshot;
        } finally {
            rebuild.unlock();
        }
    }

    private long catalogIndex() {
        return Math.max(store.tableIndex(Table.NODES),
                Math.max(store.tableIndex(Table.SERVICES), store.tableIndex(Table.CHECKS)));
    }
}
