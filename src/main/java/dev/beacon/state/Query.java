package dev.beacon.state;

import java.util.List;

/**
 * A read of the store that can be answered by any replica: locally for stale reads, or by the leader's replica
 * for Consul's default and consistent reads (as Consul forwards those to its leader). {@code R} is the type of
 * the value read; every query answers with an {@link Indexed} of it.
 */
public sealed interface Query<R> permits Query.KvGet, Query.KvList {

    /** One key: its entry (or null) and its index. */
    record KvGet(String key) implements Query<KvEntry> {
    }

    /** The entries under a prefix, sorted, with the index of the prefix. */
    record KvList(String prefix) implements Query<List<KvEntry>> {
    }
}
