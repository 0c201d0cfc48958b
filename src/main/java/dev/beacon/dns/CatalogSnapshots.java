package dev.beacon.dns;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.beacon.state.CatalogView;
import dev.beacon.state.Indexed;
import dev.beacon.state.Query;
import dev.beacon.state.Store;
import dev.beacon.state.Table;

/**
 * The local replica's catalog as a {@link DnsCatalog}, rebuilt only when a catalog table has changed. While one
 * thread rebuilds, the others answer from the previous snapshot: DNS reads are stale reads anyway, and this way
 * a burst of queries after a change never queues behind the rebuild. Any index change counts, not only a higher
 * one: a replica that restores a snapshot or replays its log can go back. What DNS may show is decided by
 * {@code visible} (ACLs, with DNS's token), so a change to the ACL data, or of the token itself, rebuilds it too.
 */
public final class CatalogSnapshots implements Supplier<DnsCatalog> {
    private static final Query.CatalogSlice EVERYTHING =
            new Query.CatalogSlice(null, null, EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS));
    /** The tables whose changes can change an answer: the catalog's, and the ACL data that filters it. */
    private static final Set<Table> SHOWN_BY = EnumSet.of(Table.NODES, Table.SERVICES, Table.CHECKS,
            Table.ACL_TOKENS, Table.ACL_POLICIES, Table.ACL_ROLES);

    private final Store store;
    private final UnaryOperator<CatalogView> visible;
    private final LongSupplier visibleVersion;
    private final ReentrantLock rebuild = new ReentrantLock();
    private volatile Built current;

    /** A snapshot with what it was built from. */
    private record Built(DnsCatalog catalog, long visibleVersion) {
        boolean from(long index, long version) {
            return catalog.index() == index && visibleVersion == version;
        }
    }

    /**
     * @param visible        what of the catalog DNS may answer with
     * @param visibleVersion changes whenever {@code visible} would filter differently on the same data (its token)
     */
    public CatalogSnapshots(Store store, UnaryOperator<CatalogView> visible, LongSupplier visibleVersion) {
        this.store = store;
        this.visible = visible;
        this.visibleVersion = visibleVersion;
    }

    @Override
    public DnsCatalog get() {
        long index = catalogIndex();
        long version = visibleVersion.getAsLong();
        Built snapshot = current;
        if (snapshot != null && snapshot.from(index, version)) {
            return snapshot.catalog();
        }
        if (snapshot != null && !rebuild.tryLock()) {
            return snapshot.catalog();
        }
        if (snapshot == null) {
            rebuild.lock();
        }
        try {
            snapshot = current;
            if (snapshot == null || !snapshot.from(index, version)) {
                Indexed<CatalogView> read = store.query(EVERYTHING);
                snapshot = new Built(DnsCatalog.of(visible.apply(read.value()), index), version);
                current = snapshot;
            }
            return snapshot.catalog();
        } finally {
            rebuild.unlock();
        }
    }

    private long catalogIndex() {
        long index = 0;
        for (Table table : SHOWN_BY) {
            index = Math.max(index, store.tableIndex(table));
        }
        return index;
    }
}
