package dev.beacon.api.coordinate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.beacon.cluster.Datacenters;

/**
 * Consul's {@code ?near=<node>} (or {@code _agent}, this server): a listing sorted by estimated round trip from that
 * node, nearest first. With Beacon's coordinates ({@link Coordinate}) the estimate from a node to another is the sum
 * of their heights, so the listing is sorted by each node's measured round trip from this server, the named node
 * first; nodes without a coordinate keep their order after those with one, as Consul puts them last. A node that
 * itself has no coordinate leaves the listing as it is, as in Consul.
 */
public final class NearestFirst {
    private static final String AGENT = "_agent";
    private final Datacenters datacenters;
    private final String agentNode;

    public NearestFirst(Datacenters datacenters, String agentNode) {
        this.datacenters = datacenters;
        this.agentNode = agentNode;
    }

    /** {@code items} sorted for {@code ?near=} (null or empty: as they are). */
    public <T> List<T> sort(String near, List<T> items, Function<T, String> nodeOf) {
        if (near == null || near.isEmpty()) {
            return items;
        }
        String origin = near.equals(AGENT) ? agentNode : near;
        Map<String, Double> trips = LocalRoundTrips.of(datacenters);
        if (!trips.containsKey(origin)) {
            return items;
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(item -> {
            String node = nodeOf.apply(item);
            return node.equals(origin) ? -1 : trips.getOrDefault(node, Double.MAX_VALUE);
        }));
        return sorted;
    }
}
