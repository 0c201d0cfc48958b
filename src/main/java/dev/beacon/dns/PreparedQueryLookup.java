package dev.beacon.dns;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a prepared query for a {@code <name>.query.consul} lookup (failing over to other datacenters as it says). */
@FunctionalInterface
public interface PreparedQueryLookup {
    /** A server without prepared queries: every such name is unknown. */
    PreparedQueryLookup NONE = nameOrId -> CompletableFuture.completedFuture(null);

    /** What the query with this name (or id) selects; null when no query has it. */
    CompletableFuture<Answer> execute(String nameOrId);

    /**
     * A query's instances and where they come from.
     *
     * @param datacenter the datacenter that answered (another one after a failover), which SRV targets name
     * @param ttlSeconds the query's DNS TTL, or -1 for the service's
     * @param instances  the instances, already filtered by health and shuffled
     */
    record Answer(String datacenter, long ttlSeconds, List<DnsCatalog.Instance> instances) {
        public Answer {
            instances = List.copyOf(instances);
        }
    }
}
