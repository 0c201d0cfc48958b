package dev.beacon.state;

import java.util.List;
import java.util.Set;

/**
 * A read of the store that can be answered by any replica: locally for stale reads, or by the leader's replica
 * for Consul's default and consistent reads (as Consul forwards those to its leader). {@code R} is the type of
 * the value read; every query answers with an {@link Indexed} of it.
 */
public sealed interface Query<R> permits Query.KvGet, Query.KvList, Query.KvKeys, Query.CatalogSlice,
        Query.Sessions, Query.Events, Query.Acl, Query.KvSubtree, Query.PreparedQueries {

    /** One key: its entry (or null) and its index. */
    record KvGet(String key) implements Query<KvEntry> {
    }

    /** The entries under a prefix, sorted, with the index of the prefix. */
    record KvList(String prefix) implements Query<List<KvEntry>> {
    }

    /** The keys under a prefix, sorted, with the index of the prefix; no value is read. */
    record KvKeys(String prefix) implements Query<List<String>> {
    }

    /**
     * Part of the catalog: with {@code node} set, that node only; with {@code service} set, the instances of that
     * service and the nodes they run on; checks of the selected nodes, node-level ones and those of the selected
     * instances. Null means "all". The index, and what a blocking read waits for, is the service's own index when
     * {@code service} is set, else the node's own index when {@code node} is set (Consul GH-3890: a change to
     * another service or node wakes nobody here); with neither, or for a name never registered, it is the highest
     * index of {@code tables}: each endpoint names the tables its answer depends on, as Consul does.
     */
    record CatalogSlice(String node, String service, Set<Table> tables) implements Query<CatalogView> {
        public CatalogSlice {
            if (tables.isEmpty()) {
                throw new IllegalArgumentException("a catalog query covers at least one table");
            }
            tables = Set.copyOf(tables);
        }
    }

    /** Sessions: the one with {@code id}, else those on {@code node}, else all (null means "any"). */
    record Sessions(String node, String id) implements Query<List<Session>> {
    }

    /** Every prepared query, by id. */
    record PreparedQueries() implements Query<List<PreparedQuery>> {
    }

    /** The recent user events, oldest first. */
    record Events() implements Query<List<Event>> {
    }

    /** All ACL data, with the index of its last change (tokens, policies or roles). */
    record Acl() implements Query<AclTables> {
        /** The tables its index covers and its watches wait on. */
        public static final Set<Table> TABLES = Set.of(Table.ACL_TOKENS, Table.ACL_POLICIES, Table.ACL_ROLES);
    }

    /**
     * A key of etcd's tree and everything below it ({@code path} without etcd's leading slash; empty for the root),
     * with the KV table's index, which is etcd's {@code X-Etcd-Index}. Watches wait on the prefix {@code path}.
     */
    record KvSubtree(String path) implements Query<dev.beacon.state.KvSubtree> {
    }
}
